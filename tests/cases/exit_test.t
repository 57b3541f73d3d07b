# Returning 3 from main exits with status 3.
run: exit_test
expect: exit_test: returning 3 from main
status: 3
