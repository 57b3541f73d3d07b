# The 92-byte exception frame fits exactly above an unmapped page (esp3 rounded down):
# handled. One word lower, only the return address would be unmapped: killed.
run: swexn_kill edge
expect: swexn_kill: exact fit handled
expect: swexn_kill: frame one word too low: faulting
expect-re: kernel: killed .*invalid opcode.*
reject: FAILED
reject: init: frames leaked
status: -2
