# hv_cons_set_cursor_pos to row 25 crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_position
expect: guest_crash_position: cursor to row 25
expect-re: hypervisor: guest (guests/)?guest_crash_position \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
