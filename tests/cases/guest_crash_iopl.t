# hv_iret with IOPL 3 in eflags crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_iopl
expect: guest_crash_iopl: hv_iret with IOPL 3
expect-re: hypervisor: guest (guests/)?guest_crash_iopl \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
