# No arguments: argc is 1, argv[1] is NULL.
run: args_test
expect: args_test: argc=1
expect: args_test: argv[0]=args_test
expect: args_test: ok
reject: args_test: FAILED
status: 0
