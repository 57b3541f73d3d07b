# A read of the last word of memory, 0xfffffffc, above the stack: the task is killed, status -2.
run: wild_write top
expect: wild_write: top
expect-re: kernel: killed.*cr2 0xfffffffc.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
