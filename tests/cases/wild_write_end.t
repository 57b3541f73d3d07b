# A write to the first page past the program image: the task is killed, status -2.
run: wild_write end
expect: wild_write: end
expect-re: kernel: killed.*cr2 0x01[0-9a-f]{6}.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
