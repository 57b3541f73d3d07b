# Threads: 64 alive at once, 2000 in a row, 8 x 8 nested; every join gives the exact status.
run: thr_threads create_many
expect: thr_create_many: 64 threads at once
expect: thr_create_many: 2000 threads in a row
expect: thr_create_many: 8 x 8 nested
expect: thr_create_many: ok
reject: thr_create_many: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 60
modes: 2 4
