# Legal but heavy work for the hypervisor, in loops: guests/guest_churn (user/guests/
# guest_churn.c), one of 11 variants per run: a directory mapping itself, 1,017 entries on it,
# a million pages on 16 frames, tables of random words probed from both modes, thousands of
# hv_setpd and hv_adjustpg, guest-user demand paging (2,048 faults), every fault a guest-user
# program can take, exceptions resumed and single steps in guest-kernel mode, hypercalls at
# the edges of the allowed, an x87 error pending at exit. Each run checks what it saw and
# exits with its own number (`self`: a run that read another variant cannot pass). Every
# variant alone first (frames counted around each), then five rounds six at a time.
run: guest_hammer -r 6 -p 6 guests/guest_churn 1-11=self 12=99
timeout: 60
expect: guest_churn: 1: a directory that maps itself
expect: guest_churn: ok
expect: guest_churn: 2: 1,017 directory entries on the directory
expect: guest_churn: ok
expect: guest_churn: 3: a million pages on 16 frames
expect: guest_churn: ok
expect: guest_churn: 4: tables of random words, kernel and user
expect: guest_churn: ok
expect: guest_churn: 5: hv_setpd 2,000 times
expect: guest_churn: ok
expect: guest_churn: 6: hv_adjustpg 3,000 times
expect: guest_churn: ok
expect: guest_churn: 7: guest-user demand paging, twice 1,024 faults
expect: guest_churn: ok
expect: guest_churn: 8: guest-user faults of every kind, 2,700
expect: guest_churn: ok
expect: guest_churn: 9: guest-kernel exceptions resumed, 1,500 and steps
expect: guest_churn: ok
expect: guest_churn: 10: hypercalls at the edges
expect: guest_churn: ok
expect: guest_churn: 11: an x87 error pending to the end
expect: guest_churn: ok
expect: guest_churn: 11 variants; no variant 12
expect: guest_hammer: round 1: 12 runs one at a time
expect: guest_hammer: round 6: 12 runs at once
expect: guest_hammer: ok
reject: FAILED
reject: crashed
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
