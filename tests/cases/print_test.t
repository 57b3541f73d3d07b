# print(): control characters and bad lengths/buffers (errors, program goes on); the longest
# print (65536 bytes: 256 lines of 256) shows every line, one byte more is E_INVAL and shows none.
run: print_test
expect: print_test: maximum print, line 001 of 256
expect: print_test: maximum print, line 128 of 256
expect: print_test: maximum print, line 256 of 256
expect: print_test: after the maximum print
expect: print_test: one byte more: refused
expect: print_test: ok
reject: print_test: FAILED
status: 0
# Everything printed also reached COM1, in full and in order.
com1: same
