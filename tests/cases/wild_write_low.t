# A write to the last kernel page (0x00fff000), just below user memory: killed, status -2.
run: wild_write low
expect: wild_write: low
expect-re: kernel: killed.*cr2 0x00fff000.*
reject: wild_write: FAILED
reject: init: frames leaked
status: -2
