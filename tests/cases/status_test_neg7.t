# set_status(-7) then vanish(): a negative status survives.
run: status_test -7
expect: status_test: set_status(-7), then vanish()
reject: status_test: FAILED
status: -7
