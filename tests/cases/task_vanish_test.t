# task_vanish(77) wins over an earlier set_status(5) and does not return.
run: task_vanish_test
expect: task_vanish_test: task_vanish(77)
reject: task_vanish_test: FAILED
status: 77
