# set_status(42) then vanish(): status 42.
run: status_test 42
expect: status_test: set_status(42), then vanish()
reject: status_test: FAILED
status: 42
