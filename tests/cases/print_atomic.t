# Two threads print at once; no line mixes their output (doc/syscalls.md 7).
run: print_atomic
expect: print_atomic: ok
reject: AB
reject: BA
reject: FAILED
# Everything printed also reached COM1, in full and in order.
com1: same
