# exit from a second thread ends the task with its status (7) while the first sleeps, spins,
# is descheduled or sleeps in thr_join; main returning 9, or the first thread's exit(11),
# ends it while others spin, sleep, wait for a lock or join the first thread. No thread runs on.
run: thr_threads exit_other
expect-re: thr_exit_other: sleep: thread [0-9]+ calls exit\(7\)
expect: thr_exit_other: sleep: the task ended with status 7
expect-re: thr_exit_other: spin: thread [0-9]+ calls exit\(7\)
expect: thr_exit_other: spin: the task ended with status 7
expect-re: thr_exit_other: deschedule: thread [0-9]+ calls exit\(7\)
expect: thr_exit_other: deschedule: the task ended with status 7
expect-re: thr_exit_other: join: thread [0-9]+ calls exit\(7\)
expect: thr_exit_other: join: the task ended with status 7
expect: thr_exit_other: return: the first thread ends the task with 9; 4 threads run on
expect: thr_exit_other: return: the task ended with status 9
expect: thr_exit_other: exit: the first thread ends the task with 11; 4 threads run on
expect: thr_exit_other: exit: the task ended with status 11
expect: thr_exit_other: ok
reject: thr_exit_other: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
