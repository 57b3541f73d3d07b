# affirm_msg(false, fmt, ...) panics with the formatted message; status -2.
run: assert_test affirm_msg
expect: assert_test: affirm_msg
expect: panic: argc is 2, not 99
reject: FAILED
reject: init: frames leaked
status: -2
