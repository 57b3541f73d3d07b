# Lock misuse panics ("panic: ...", status -2): a semaphore used after sem_destroy; the message
# names the call.
run: thr_locks misuse destroyed
expect: thr_misuse: destroyed: misusing
expect-re: panic: sem_signal: 0x[0-9a-f]+ was never initialised, or was destroyed
reject: thr_misuse: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
