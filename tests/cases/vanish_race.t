# task_vanish(5) while sibling threads loop on set_status(7) and keep starting threads: the
# status is 5 every round (a killed thread used to run one more system call).
run: vanish_race
expect: vanish_race: ok
reject: FAILED
reject: init: frames leaked
reject: KERNEL PANIC
status: 0
timeout: 60
