# Two guests and a normal program at once, each collected with its own status.
run: guest_pair guests/guest_timer guests/guest_paging=0 guests/guest_exit=42 hello
timeout: 40
expect: guest_pair: guests/guest_timer status 0
expect: guest_pair: guests/guest_paging status 0
expect: guest_pair: guests/guest_exit status 42
expect: guest_pair: hello status 0
expect: guest_pair: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
