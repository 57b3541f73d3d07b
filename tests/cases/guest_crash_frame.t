# A delivery frame on an unmapped stack crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_frame
expect: guest_crash_frame: ud2 with the stack unmapped
expect-re: hypervisor: guest (guests/)?guest_crash_frame \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
