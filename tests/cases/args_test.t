# argc/argv as the kernel passes them, inside the initial stack region.
run: args_test a bb ccc
expect: args_test: argc=4
expect: args_test: argv[0]=args_test
expect: args_test: argv[1]=a
expect: args_test: argv[2]=bb
expect: args_test: argv[3]=ccc
expect: args_test: ok
reject: args_test: FAILED
status: 0
