# Copy-on-write: after fork, parent and child each keep their own .data, .bss, heap, new_pages
# and stack values; a child's remove_pages/new_pages does not touch the parent's region; the
# kernel's own writes (readfile, wait) into a shared page go to the caller's copy only.
run: cow_test
expect: cow_test: parent and child each saw their own values
expect: cow_test: a second child saw the parent's later values
expect: cow_test: kernel writes (readfile, wait) went to the caller's copy only
expect: cow_test: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
