# Lock misuse panics ("panic: ...", status -2): destroying a mutex with a holder and a waiter.
run: thr_locks misuse mutex_destroy_waiters
expect: thr_misuse: mutex_destroy_waiters: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
