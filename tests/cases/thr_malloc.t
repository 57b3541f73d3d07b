# malloc, calloc, realloc and free from 16 threads at once: every byte checked, then the heap
# is one free block again (the first time while the heap grows).
run: thr_libc malloc
expect: thr_malloc: 16 threads x 20 rounds while the heap grows
expect: thr_malloc: 16 threads x 20 rounds, heap whole again
expect: thr_malloc: ok
reject: thr_malloc: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
modes: 2 4
