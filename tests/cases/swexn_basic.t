# swexn: a handler gets every user fault (divide, debug, int3, into, bound, ud2, GP, page
# faults, x87, alignment where emulated) with the exact registers, fixes it and resumes.
run: swexn_basic
expect-re: swexn_basic: (1[78]) faults delivered
expect: swexn_basic: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
