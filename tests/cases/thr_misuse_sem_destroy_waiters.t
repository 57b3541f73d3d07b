# Lock misuse panics ("panic: ...", status -2): destroying a semaphore a thread waits on.
run: thr_locks misuse sem_destroy_waiters
expect: thr_misuse: sem_destroy_waiters: misusing
expect-re: panic: .+
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
