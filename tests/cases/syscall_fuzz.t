# Random system calls with random (mostly bad) arguments from eight children, and an INT to a
# vector without a gate from a ninth: the kernel survives, each child ends (finished, or killed
# for scribbling over itself), and every frame comes back.
run: syscall_fuzz
expect-re: syscall_fuzz: [0-9]+ children finished, [0-9]+ killed
expect: syscall_fuzz: kernel alive
reject: FAILED
timeout: 60
