# panic() in a thread ends the whole task (the first thread waits in thr_join): status -2.
run: assert_test panic
expect: assert_test: panic
expect-re: panic: assert_test: thread [0-9]+ gives up \(on purpose\)
reject: FAILED
reject: init: frames leaked
status: -2
