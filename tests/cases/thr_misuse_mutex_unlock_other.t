# Lock misuse panics ("panic: ...", status -2): unlocking a mutex another thread holds.
run: thr_locks misuse mutex_unlock_other
expect: thr_misuse: mutex_unlock_other: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
