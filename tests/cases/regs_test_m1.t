# regs_test with misbehave 1: the timer ticks every 1 ms, so ten times the preemptions.
run: -m 1 regs_test
expect: regs_test: ok
reject: regs_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
