# hv_setpd of a directory beyond guest memory crashes the guest: it alone ends,
# with status 0xDEADC0DE and a one-line report.
run: guests/guest_crash_setpd
expect: guest_crash_setpd: hv_setpd at 24 MiB
expect-re: hypervisor: guest (guests/)?guest_crash_setpd \(task [0-9]+\) crashed: .+
reject: still running
reject: FAILED
status: -559038242
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
