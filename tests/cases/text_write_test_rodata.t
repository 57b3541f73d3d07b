# .rodata is read-only too: status -2.
run: text_write_test rodata
expect-re: text_write_test: writing to \.rodata at 0x[0-9a-f]+
expect-re: kernel: killed.*
reject: text_write_test: FAILED
status: -2
