# fork and exec fail (-12) with a second thread running, sleeping or descheduled; work once alone.
run: fork_threaded
expect: fork_threaded: ok
reject: fork_threaded: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
