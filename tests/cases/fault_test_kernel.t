# A write to kernel memory (0x100000) kills the task: status -2.
run: fault_test kernel
expect: fault_test: kernel access
expect-re: kernel: killed.*
reject: fault_test: FAILED
status: -2
