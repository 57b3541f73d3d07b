# hv_iret with NT in eflags crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_nt
expect: guest_crash_nt: hv_iret with NT
expect-re: hypervisor: guest (guests/)?guest_crash_nt \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
