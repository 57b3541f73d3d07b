# The hypervisor benchmark prints its three figures (their values are for the README).
run: guests/guest_bench
timeout: 40
expect-re: bench: hv_magic [0-9]+ cycles
expect-re: bench: guest_syscall [0-9]+ cycles
expect-re: bench: shadow_fill -?[0-9]+ cycles
expect: guest_bench: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
