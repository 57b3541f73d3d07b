# swexn refuses bad esp3/eip (-2), unsafe registers (-2), unreadable newureg (-3) and then
# changes nothing; good registers are installed exactly; each removal form removes.
run: swexn_errors
expect-re: kernel: killed .*\(swexn_errors\).*invalid opcode.*
expect: swexn_errors: removal form 4: a fault must kill now
expect-re: kernel: killed .*\(swexn_errors\).*invalid opcode.*
expect: swexn_errors: ok
reject: FAILED
reject: init: frames leaked
status: 0
