# task_vanish ends threads that sleep, are descheduled, wait, print, spin; status, frames back.
run: task_vanish_test2
expect: task_vanish_test2: calling task_vanish(42)
expect: task_vanish_test2: round 0: status 42
expect: task_vanish_test2: calling task_vanish(43)
expect: task_vanish_test2: round 1: status 43
expect: task_vanish_test2: ok
reject: task_vanish_test2: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
