# A crash ends that guest alone: the other guest and the program finish normally.
run: guest_pair guests/guest_crash_slot=-559038242 guests/guest_magic hello
timeout: 40
expect-re: hypervisor: guest (guests/)?guest_crash_slot \(task [0-9]+\) crashed: .+
expect: guest_pair: guests/guest_crash_slot status -559038242
expect: guest_pair: guests/guest_magic status 0
expect: guest_pair: hello status 0
expect: guest_pair: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
