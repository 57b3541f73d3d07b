# deschedule_test with misbehave 2: a yield at every system-call exit widens the races.
run: -m 2 deschedule_test
expect: deschedule_test: ok
reject: deschedule_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
