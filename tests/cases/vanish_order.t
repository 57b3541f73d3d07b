# a task ends with its last thread, main first, last or in between; set_status reaches wait.
run: vanish_order
expect: vanish_order: ok
reject: vanish_order: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
