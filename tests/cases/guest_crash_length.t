# hv_print of 411 bytes (410 at most) crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_length
expect: guest_crash_length: hv_print of 411 bytes
expect-re: hypervisor: guest (guests/)?guest_crash_length \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
reject: LLLLLLLLLL
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
