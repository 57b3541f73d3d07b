# esp3 40 bytes above 0x01000000: the exception frame would reach into kernel memory, so the
# fault kills (and the kernel writes nothing there).
run: swexn_kill low
expect: swexn_kill: exception stack reaching the kernel: faulting
expect-re: kernel: killed .*invalid opcode.*
reject: FAILED
reject: init: frames leaked
status: -2
