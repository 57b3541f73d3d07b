# Condition variables: 3 producers and 3 consumers pass 900 items through a 4-slot ring (each
# exactly once, in each producer's order); a signal with no waiter is lost; signals wake one
# waiter each, the longest first; a broadcast wakes all six, each holding the mutex alone.
run: thr_locks cond
expect: thr_cond: 900 items through 4 slots
expect: thr_cond: signals wake one each, in order
expect: thr_cond: one broadcast woke 6
expect: thr_cond: ok
reject: thr_cond: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
modes: 2 4
