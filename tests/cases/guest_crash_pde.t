# A PDE naming a table beyond guest memory crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_pde
expect: guest_crash_pde: reading under a PDE with frame 6144
expect-re: hypervisor: guest (guests/)?guest_crash_pde \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
