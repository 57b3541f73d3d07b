# A thread writes to address 0: the whole task ends with status -2 and a message naming the
# thread; the first thread, waiting in thr_join, never goes on, nor do two sleeping threads.
run: thr_threads crash null join
expect: thr_crash: the first thread waits (join)
expect-re: thr_crash: thread [0-9]+ crashes \(null\)
expect-re: thread [0-9]+: page fault at eip 0x.{8}, cr2 0x00000000; ending the task \(status -2\)
reject: thr_crash: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
