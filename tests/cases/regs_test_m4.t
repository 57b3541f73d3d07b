# regs_test with misbehave 4: every kernel mutex release yields.
run: -m 4 regs_test
expect: regs_test: ok
reject: regs_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
