# A fault inside a swexn handler that registered nothing kills: the handler was removed
# when the first fault was delivered. Status -2 overrides set_status(7).
run: swexn_kill nested
expect: swexn_kill: nested: faulting
expect-re: swexn_kill: in the handler \(cause 6\), faulting again
expect-re: kernel: killed .*invalid opcode.*
reject: FAILED
reject: init: frames leaked
status: -2
