# Lock misuse panics ("panic: ...", status -2): destroying a rwlock the caller holds to read.
run: thr_locks misuse rwlock_destroy_held
expect: thr_misuse: rwlock_destroy_held: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
