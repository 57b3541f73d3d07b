# A call through a NULL function pointer: the task is killed, status -2.
run: wild_write nulljump
expect: wild_write: nulljump
expect-re: kernel: killed.*cr2 0x00000000.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
