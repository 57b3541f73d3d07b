# Lock misuse panics ("panic: ...", status -2): locking a mutex the caller already holds.
run: thr_locks misuse mutex_relock
expect: thr_misuse: mutex_relock: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
