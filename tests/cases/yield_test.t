# yield to self, -1, runnable, descheduled, sleeping, waiting, missing and vanished threads.
run: yield_test
expect: yield_test: ok
reject: yield_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
