# A read of kernel memory (the kernel image at 0x00010000): the task is killed, status -2.
run: wild_write kread
expect: wild_write: kread
expect-re: kernel: killed.*cr2 0x00010000.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
