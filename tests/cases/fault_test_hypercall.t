# INT 0xDE (a guest's hypercall) from an ordinary program is a general protection fault, as for
# any vector without a gate: the task is killed, status -2.
run: fault_test hypercall
expect: fault_test: hypercall access
expect-re: kernel: killed task [0-9]+ \(fault_test\) thread [0-9]+: general protection at .*
reject: fault_test: FAILED
status: -2
