# The frame promise holds across fork: after fork and with all other memory used up, parent and
# child each write every page of a shared 4 MiB region (copy-on-write) and neither is killed.
run: mem_exhaust cow
expect-re: mem_exhaust: [0-9]+ MiB in 1 MiB regions, then new_pages returned -5
expect-re: mem_exhaust: [0-9]+ more single pages, then new_pages returned -5
expect: mem_exhaust: cow: parent and child wrote 1024 shared pages with memory exhausted
expect: mem_exhaust: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 60
# Needs more than the 8 MiB of user memory a guest has (its 24 MiB less the kernel's 16).
guest: no
