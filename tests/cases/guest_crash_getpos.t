# hv_cons_get_cursor_pos into a read-only page crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_getpos
expect: guest_crash_getpos: column pointer into a read-only page
expect-re: hypervisor: guest (guests/)?guest_crash_getpos \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
