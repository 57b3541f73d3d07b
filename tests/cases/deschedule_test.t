# deschedule/make_runnable errors, and 5000 ping-pongs racing them (a watchdog reports a hang).
run: deschedule_test
expect: deschedule_test: ok
reject: deschedule_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
