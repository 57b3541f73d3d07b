# .text is read-only: writing to our own code kills the task: status -2.
run: text_write_test
expect-re: text_write_test: writing to \.text at 0x[0-9a-f]+
expect-re: kernel: killed.*
reject: text_write_test: FAILED
status: -2
