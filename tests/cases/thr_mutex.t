# 8 threads x 400 locked increments with yields inside: exact totals, nobody inside together;
# six queued waiters get the mutex in arrival order, before the releaser's own relock.
run: thr_locks mutex
expect: thr_mutex: 8 threads x 400 rounds: 3200
expect: thr_mutex: waiters served in order
expect: thr_mutex: ok
reject: thr_mutex: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
modes: 2 4
