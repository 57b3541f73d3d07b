# A jump into unmapped user memory (0xdead0000): the task is killed, status -2.
run: wild_write unmapped
expect: wild_write: unmapped
expect-re: kernel: killed.*cr2 0xdead0000.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
