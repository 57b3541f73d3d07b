# thr_join refuses oneself, unknown tids, a second join and a second joiner; the first joiner
# still gets the status.
run: thr_threads join_errors
expect: thr_join_errors: ok
reject: thr_join_errors: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
