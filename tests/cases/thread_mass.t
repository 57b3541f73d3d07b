# 128 tasks x 64 threads made with thread_spawn and reaped, 16 tasks at a time; statuses checked.
run: thread_mass
expect: thread_mass: ok
reject: thread_mass: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 60
# Needs more than the 8 MiB of user memory a guest has (its 24 MiB less the kernel's 16).
guest: no
