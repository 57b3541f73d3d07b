# Lock misuse panics ("panic: ...", status -2): destroying a mutex the caller holds.
run: thr_locks misuse mutex_destroy_locked
expect: thr_misuse: mutex_destroy_locked: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
