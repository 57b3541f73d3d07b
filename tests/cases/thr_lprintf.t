# lprintf: the line reaches the log (port 0xE9), not the screen: the cursor stays put, and on
# the screen the brackets printed around an lprintf touch ("[]") while the log has the line
# between them. Lines from four threads at once arrive whole; a 300-character one is cut (by
# lprintf.c, at 254) but still ends its line.
run: thr_libc lprintf
expect: thr_lprintf: before
expect: thr_lprintf: to the log only: 42 words beef !
expect: thr_lprintf: screen [thr_lprintf: between the brackets
expect: ]
expect-re: thr_lprintf: thread [0-3] line 4
expect-re: thr_lprintf: long (abcdefghijklmnopqrstuvwxyz){3}[a-z]*( end)?
expect: thr_lprintf: waiting for a line
screenshot: thr_lprintf
screen: thr_lprintf: before
screen: thr_lprintf: screen []
screen: thr_lprintf: waiting for a line
type: \n
expect: thr_lprintf: ok
reject: thr_lprintf: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
modes: 2 4
