# The last page of the address space (0xfffff000, above the stack) can be mapped: the range ends
# at 4 GiB but does not wrap around; every address from 16 MiB up is the task's
# (doc/syscalls.md 6).
run: new_pages_test top
expect: new_pages_test: the last page of memory works
expect: new_pages_test: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
# The last page of 4 GiB: a guest's programs end at 0xFEFFFFFF (doc/syscalls.md 16).
guest: no
