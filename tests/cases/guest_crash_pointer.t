# hv_print of a buffer past the guest's memory crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_pointer
expect: guest_crash_pointer: hv_print across the end of memory
expect-re: hypervisor: guest (guests/)?guest_crash_pointer \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
reject: PARTIAL-PRINT
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
