# An exception for an empty slot crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_slot
expect: guest_crash_slot: ud2 with slot 6 empty
expect-re: hypervisor: guest (guests/)?guest_crash_slot \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
