# A fault with a handler whose exception stack is unmapped kills, as with no handler.
run: swexn_kill unmapped
expect: swexn_kill: unmapped exception stack: faulting
expect-re: kernel: killed .*invalid opcode.*
reject: FAILED
reject: init: frames leaked
status: -2
