# wait from several threads of one task (doc/syscalls.md 4): with one child and two waiters one
# gets it and the other E_CHILD (-7) at once, in either order, together, or after the child
# ended; with 6 children and 6 (then 8) waiters each child comes back once with its status.
run: thr_threads wait_many
expect: thr_wait_many: in order, first thread first: one wait got the child, the other -7
expect: thr_wait_many: in order, created thread first: one wait got the child, the other -7
expect: thr_wait_many: together: one wait got the child, the other -7
expect: thr_wait_many: ended: one wait got the child, the other -7
expect: thr_wait_many: 6 children, 6 waiters: each child once, 0 waits got -7
expect: thr_wait_many: 6 children, 8 waiters: each child once, 2 waits got -7
expect: thr_wait_many: ok
reject: thr_wait_many: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
