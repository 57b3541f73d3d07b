# A fault with a handler whose exception stack is read-only (.rodata) kills.
run: swexn_kill readonly
expect: swexn_kill: read-only exception stack: faulting
expect-re: kernel: killed .*invalid opcode.*
reject: FAILED
reject: init: frames leaked
status: -2
