# A guest-virtual address above 0xFEFFFFFF crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_vaddr
expect: guest_crash_vaddr: reading 0xFF000000
expect-re: hypervisor: guest (guests/)?guest_crash_vaddr \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
