# A shell session typed on the keyboard: two programs, a missing one, one the kernel kills,
# one in the background (&) collected by `wait`, and a screenshot of it all
# (build/test-logs/<pass>/shell_session.png, shown in the README).
run: shell
expect: Pebbles shell: type help for the commands and programs.
after: $
type: hello\n
expect: Hello from user space!
after: $
type: echo Pebbles runs programs\n
expect: Pebbles runs programs
after: $
type: nosuchprog\n
expect: nosuchprog: no such program
after: [127] $
type: fault_test\n
expect: fault_test: wild access
expect-re: kernel: killed task [0-9]+ \(fault_test\).*
expect: fault_test: killed (status -2)
after: [-2] $
type: peon 3 &\n
expect-re: \[[0-9]+\]
after: $
# the job's lines and the prompt may come in either order: the checks below allow for both
type: wait\n
after: done, status 3
after: $
screenshot: shell_session
screen: $ hello
screen: Hello from user space!
screen: $ echo Pebbles runs programs
screen: Pebbles runs programs
screen: $ nosuchprog
screen: nosuchprog: no such program
screen: [127] $ fault_test
screen: fault_test: killed (status -2)
screen: [-2] $ peon 3 &
screen: ready to work
screen: job done, leaving with status 3
screen: done, status 3
type: exit\n
status: 0
