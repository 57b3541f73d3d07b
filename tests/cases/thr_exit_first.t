# thr_exit from the first thread: another thread joins it (status 5), the workers run on and
# the last thread sets the task's status (42).
run: thr_threads exit_first
expect: thr_exit_first: the first thread leaves
expect: thr_exit_first: joined the first thread: 0, status 5
expect: thr_exit_first: worker 0 runs after the first thread left
expect: thr_exit_first: worker 1 runs after the first thread left
expect: thr_exit_first: worker 2 runs after the first thread left
expect: thr_exit_first: worker 3 runs after the first thread left
expect: thr_exit_first: last thread sets status 42
reject: thr_exit_first: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 42
modes: 2 4
