# Three guests that touch all their 24 MiB at once, in a 64 MiB machine: guest memory comes
# from frames nobody was promised, so at least one crashes "out of memory" while the others
# finish; the machine goes on (hello after them) and every frame comes back.
run: guest_pair guests/guest_mem=0,crash guests/guest_mem=0,crash guests/guest_mem=0,crash +hello
timeout: 60
expect-re: hypervisor: guest (guests/)?guest_mem \(task [0-9]+\) crashed: out of memory.*
expect-re: guest_pair: guests/guest_mem status (0|-559038242)
expect-re: guest_pair: guests/guest_mem status (0|-559038242)
expect-re: guest_pair: guests/guest_mem status (0|-559038242)
expect: guest_pair: hello status 0
expect: guest_pair: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
