# bootargs words keep their quoting, as a shell's would: "double" and 'single' quotes, a
# backslash before a space or a quote, an empty word ("" and ''); ./build.sh run writes
# bootargs this way (harness.sh bootargs_line).
run: args_test a "b c" 'd \e "f"' g\ h "i\"j\\k" "" ''
expect: args_test: argc=8
expect: args_test: argv[1]=a
expect: args_test: argv[2]=b c
expect: args_test: argv[3]=d \e "f"
expect: args_test: argv[4]=g h
expect: args_test: argv[5]=i"j\k
expect: args_test: argv[6]=
expect: args_test: argv[7]=
expect: args_test: ok
