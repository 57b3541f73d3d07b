# System calls change no register but %eax: general registers, %esp, segment registers and
# flags (CF ZF OF DF set, PF SF clear) are checked after quick, yielding, blocking and failing
# calls, and on both sides of fork and thread_fork. Also under misbehave 2 (every call
# yields on its way back to user mode).
run: regs_syscall
modes: 2
expect-re: regs_syscall: gettid returned [0-9]+: registers kept
expect-re: regs_syscall: get_ticks returned [0-9]+: registers kept
expect: regs_syscall: yield(-1) returned 0: registers kept
expect: regs_syscall: sleep(2) returned 0: registers kept
expect: regs_syscall: deschedule(&one) returned 0: registers kept
expect: regs_syscall: print through a probe
expect: regs_syscall: print returned 0: registers kept
expect: regs_syscall: set_cursor_pos(-1, 0) returned -2: registers kept
expect: regs_syscall: print(kernel packet) returned -3: registers kept
expect: regs_syscall: new_pages returned 0: registers kept
expect: regs_syscall: remove_pages returned 0: registers kept
expect-re: regs_syscall: free_frames returned [0-9]+: registers kept
# the parent and the child print in either order: one line each
expect-re: regs_syscall: fork \((parent|child)\) returned [0-9]+: registers kept
expect-re: regs_syscall: fork \((parent|child)\) returned [0-9]+: registers kept
expect-re: regs_syscall: wait returned [0-9]+: registers kept
expect: regs_syscall: thread_fork (new thread) returned 0: registers kept
expect-re: regs_syscall: thread_fork \(caller\) returned [0-9]+: registers kept
expect: regs_syscall: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
