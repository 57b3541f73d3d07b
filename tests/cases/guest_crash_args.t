# A hypercall whose arguments cannot be read crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_args
expect: guest_crash_args: hv_print with esp at 24 MiB
expect-re: hypervisor: guest (guests/)?guest_crash_args \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
