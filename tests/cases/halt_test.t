# halt() stops at once; the halt line shows the set_status value.
run: halt_test
expect: halt_test: halting with status 5
reject: halt_test: FAILED
status: 5
