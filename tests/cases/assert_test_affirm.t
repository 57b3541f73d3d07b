# affirm(false) panics: file, line and the condition, then the task ends with status -2.
run: assert_test affirm
expect: assert_test: affirm
expect-re: panic: user/tests/assert_test.c:[0-9]+: affirm failed: argc == 99
reject: FAILED
reject: init: frames leaked
status: -2
