# affirm/affirm_msg of true conditions, the unlocked heap (_malloc...), MAGIC_BREAK where it is
# not enabled, types.h: the program runs to the end.
run: assert_test ok
expect: assert_test: ok (size_t 4, uint64_t 8 bytes)
reject: panic:
reject: init: frames leaked
status: 0
