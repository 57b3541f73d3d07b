# With NDEBUG assert() is compiled out, affirm() is not.
run: assert_test ndebug
expect: assert_test: ndebug
expect: assert_test: assert(0) compiled out
expect-re: panic: user/tests/assert_test.c:[0-9]+: affirm failed: argc == 99
reject: FAILED
status: -2
