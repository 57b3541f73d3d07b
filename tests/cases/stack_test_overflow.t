# Endless recursion stops at the 1 MiB stack limit: status -2.
# Needs swexn and new_pages.
run: stack_test overflow
expect: stack_test: recursing without end
expect-re: autostack: stack overflow.*
expect-re: kernel: killed.*
reject: stack_test: FAILED
status: -2
