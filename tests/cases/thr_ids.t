# Thread ids are the kernel's: thr_create's tid = thr_getid() = gettid(); yield, deschedule
# and make_runnable work with them both ways.
run: thr_threads ids
expect: thr_ids: ok
reject: thr_ids: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
