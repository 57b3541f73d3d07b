# sleep_test with every misbehave bit: 1 ms timer, yield at system-call exit and mutex release.
run: -m 7 sleep_test
expect: sleep_test: ok
reject: sleep_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
