# A file name that runs without a NUL up to the last byte of memory (4 GiB) is a bad pointer
# (-3) for readfile and exec, not a kernel fault.
run: name_at_top
expect: name_at_top: new_pages top -> 0
expect: name_at_top: readfile -> -3
expect: name_at_top: exec -> -3
expect: name_at_top: survived
# The last page of 4 GiB: a guest's programs end at 0xFEFFFFFF (doc/syscalls.md 16).
guest: no
