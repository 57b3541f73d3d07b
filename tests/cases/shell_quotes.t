# The shell splits words as the kernel splits bootargs: quotes and backslashes keep spaces, a
# quoted or escaped '&' is an argument, an unquoted final '&' (even touching the word) a job.
run: shell
# (In type: text a backslash is written \\.)
expect: Pebbles shell: type help for the commands and programs.
type: args_test "b c" 'd \\e' f\\ g ""\n
expect: args_test: argc=5
expect: args_test: argv[1]=b c
expect: args_test: argv[2]=d \e
expect: args_test: argv[3]=f g
expect: args_test: argv[4]=
type: echo "x &" y\\&\n
expect: x & y&
type: peon 2&\n
expect-re: \[[0-9]+\]
expect-re: peon 2 \(tid [0-9]+\): job done, leaving with status 2
type: exit\n
status: 0
