# exec drops the swexn handler. crt0 registers its own handler before main and would hide a
# handler that survived exec, so swexn_inherit is relinked here without crt0 (entry point
# main) as swexn_inherit_nocrt; its handler sits at the same address in the exec'd image.
prepare: tests/nocrt.sh swexn_inherit "$IMG.x" && mcopy -i "$IMG" "$IMG.x" ::swexn_inherit_nocrt
run: swexn_inherit_nocrt
expect-re: kernel: killed .*\(swexn_inherit_nocrt\).*invalid opcode.*
expect: swexn_inherit: thread killed, its task lives on
expect: swexn_inherit: exec child faults
expect-re: kernel: killed .*\(swexn_inherit_nocrt\).*invalid opcode.*
expect: swexn_inherit: ok
reject: FAILED
reject: init: frames leaked
status: 0
