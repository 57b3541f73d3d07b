# Two guests that point 1,020 directory entries at one page table, beside a normal program:
# the shadow tables stay bounded (no out-of-memory crash, hello still runs) and every frame
# comes back (init's leak check).
run: guest_pair guests/guest_shared_pt guests/guest_shared_pt hello
timeout: 60
expect: guest_pair: guests/guest_shared_pt status 0
expect: guest_pair: guests/guest_shared_pt status 0
expect: guest_pair: hello status 0
expect: guest_pair: ok
reject: FAILED
reject: crashed
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
