# thread_mass with misbehave 4: memory runs short while dead threads wait for the reaper.
run: -m 4 thread_mass
expect: thread_mass: ok
reject: thread_mass: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 60
# Needs more than the 8 MiB of user memory a guest has (its 24 MiB less the kernel's 16).
guest: no
