# The stack grows on demand (autostack). Needs swexn and new_pages.
run: stack_test
expect: stack_test: ok
reject: stack_test: FAILED
status: 0
