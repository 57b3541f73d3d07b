# A read of address 0 kills the task: status -2.
run: fault_test null
expect: fault_test: null access
expect-re: kernel: killed.*
reject: fault_test: FAILED
status: -2
