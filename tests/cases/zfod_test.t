# new_pages memory is zero everywhere and takes frames only when written; remove_pages returns
# them; the same range mapped again is zero again.
run: zfod_test
expect-re: zfod_test: free frames: .*
expect-re: zfod_test: one written page cost [0-9]+ frame\(s\)
expect-re: zfod_test: writing every page cost [0-9]+ frames
expect-re: zfod_test: remove_pages gave back all but [0-9]+ frames
expect: zfod_test: a new region at the same place is zero again
expect: zfod_test: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
timeout: 40
