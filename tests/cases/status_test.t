# set_status(0) then vanish(): status 0.
run: status_test 0
expect: status_test: set_status(0), then vanish()
reject: status_test: FAILED
status: 0
