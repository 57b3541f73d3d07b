# 64-bit / and %, unsigned and signed (libgcc): exact quotients and remainders, q * b + r = a.
run: thr_libc div64
expect: thr_div64: 10 unsigned and 10 signed divisions
expect: thr_div64: ok
reject: thr_div64: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
