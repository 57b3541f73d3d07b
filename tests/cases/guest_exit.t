# hv_exit(42): the guest's task ends with status 42 for its parent's wait.
run: guests/guest_exit
expect: guest_exit: calling hv_exit(42)
reject: FAILED
status: 42
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
