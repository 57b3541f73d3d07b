# Lock misuse panics ("panic: ...", status -2): unlocking a rwlock nobody holds.
run: thr_locks misuse rwlock_unlock_unheld
expect: thr_misuse: rwlock_unlock_unheld: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
