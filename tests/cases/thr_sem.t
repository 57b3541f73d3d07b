# Semaphores: 3 producers and 4 consumers pass 900 items through a 3-slot ring (each exactly
# once, in each producer's order); sleepers are let go in arrival order, and a unit signalled
# to a sleeper is not taken by the signaller's own sem_wait.
run: thr_locks sem
expect: thr_sem: 900 items through 3 slots
expect: thr_sem: waiters served in order
expect: thr_sem: ok
reject: thr_sem: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
modes: 2 4
