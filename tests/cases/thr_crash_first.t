# The first thread executes ud2 while other threads run and sleep: the whole task ends with
# status -2 and a message naming the thread.
run: thr_threads crash ud2 first
expect-re: thr_crash: thread [0-9]+ crashes \(ud2\)
expect-re: thread [0-9]+: invalid opcode at eip 0x.{8}, cr2 0x.{8}; ending the task \(status -2\)
reject: thr_crash: FAILED
reject: init: frames leaked
reject: kernel: killed
status: -2
modes: 2 4
