# fork children inherit the swexn handler, thread_fork'ed threads do not (their fault kills
# only them), and the program an exec starts faults to its death (see swexn_inherit_exec).
run: swexn_inherit
expect-re: kernel: killed .*\(swexn_inherit\).*invalid opcode.*
expect: swexn_inherit: thread killed, its task lives on
expect: swexn_inherit: exec child faults
expect-re: kernel: killed .*\(swexn_inherit\).*invalid opcode.*
expect: swexn_inherit: ok
reject: FAILED
reject: init: frames leaked
status: 0
