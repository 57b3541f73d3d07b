# thr_create until memory runs out (a negative error, no crash), all threads work and are
# joined with exact statuses; a second round reaches the same count; no frame leaks.
run: mem_threads
expect-re: mem_threads: round 1: [0-9]+ threads at once, then thr_create returned -5
expect-re: mem_threads: round 2: [0-9]+ threads at once, then thr_create returned -5
expect: mem_threads: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 120
