# print(): control characters and bad lengths/buffers (errors, program goes on).
run: print_test
expect: print_test: ok
reject: print_test: FAILED
status: 0
# Everything printed also reached COM1, in full and in order.
com1: same
