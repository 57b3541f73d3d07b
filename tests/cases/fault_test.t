# A write to unmapped user memory (0xdead0000) kills the task: status -2.
run: fault_test wild
expect: fault_test: wild access
expect-re: kernel: killed.*
reject: fault_test: FAILED
status: -2
