# The x87 registers belong to their thread: another task's fninit while this one is preempted
# must not change them (doc/syscalls.md 1: every register is preserved).
run: fpu_preserve
expect: fpu_preserve: st(0) after preemption kept
