# A thread's endless recursion on a 4 KiB stack (thr_init(4096)) hits its guard page: the
# whole task ends with status -2 and one message naming the thread; the first thread, waiting
# in thr_join, never goes on, nor do a thread asleep on a mutex and one in sleep().
run: thr_threads crash overflow join
expect: thr_crash: the first thread waits (join)
expect-re: thr_crash: thread [0-9]+ crashes \(overflow\)
expect-re: thread [0-9]+: page fault at eip 0x.{8}, cr2 0x.{8} \(stack overflow\); ending the task .*
reject: thr_crash: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
