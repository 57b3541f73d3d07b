# A write to kernel memory (0x00100000): the task is killed, status -2.
run: wild_write
expect: wild_write: kernel
expect-re: kernel: killed.*cr2 0x00100000.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
