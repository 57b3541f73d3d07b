# A kernel bug must end in a full panic report: vector, error code, registers, %cr2, and a
# backtrace with function names (the self-test kernel faults on purpose in selftest_crash).
kernel: selftest
run: crash_kernel
panic: expected
expect: crash_kernel: asking the kernel to crash
expect: KERNEL PANIC: page fault in kernel mode
expect-re: [[:space:]]+vector 14 \(page fault\), error code 0x2, cr2 0x00000040
expect-re: [[:space:]]+eax [0-9a-f]{8} ebx [0-9a-f]{8} ecx [0-9a-f]{8} edx [0-9a-f]{8}
expect-re: [[:space:]]+eip [0-9a-f]{8} cs 0008 eflags [0-9a-f]{8} .*
expect: backtrace:
expect-re: [[:space:]]+[0-9a-f]{8}  selftest_crash\+0x[0-9a-f]+
expect-re: [[:space:]]+[0-9a-f]{8}  syscall_entry\+0x[0-9a-f]+
timeout: 30
