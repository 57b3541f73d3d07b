# 8 threads check all general registers across 2000 timer ticks (thousands of preemptions).
run: regs_test
expect: regs_test: ok
reject: regs_test: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
