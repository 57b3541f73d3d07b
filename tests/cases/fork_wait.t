# fork/wait: tids, exact exit statuses, wait(NULL), unwritable status pointers (-3, child still
# collectable), status into a fresh zero-fill page, no children (-7 at once).
run: fork_wait
expect: fork_wait: no children: wait fails at once
expect: fork_wait: 8 statuses came back exactly
expect: fork_wait: child tid matches fork's result
expect: fork_wait: wait(NULL) collects
expect-re: fork_wait: unwritable status pointers refused \([0-9]+ ticks\)
expect: fork_wait: status written to a fresh zero-fill page
expect: fork_wait: ok
reject: fork_wait: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
