# Lock misuse panics ("panic: ...", status -2): destroying a cond_t a thread waits on.
run: thr_locks misuse cond_destroy_waiters
expect: thr_misuse: cond_destroy_waiters: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
