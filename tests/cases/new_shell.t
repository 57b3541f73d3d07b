# new_shell opens console 2 with a shell on it (typing now goes there); when it exits the
# console is freed, and the shell on console 1 collects the job.
run: shell
expect: Pebbles shell: type help for the commands and programs.
type: new_shell &\n
expect-re: \[[0-9]+\]
expect-re: (\$ )?Pebbles shell: type help for the commands and programs\.
type: echo on console 2\n
expect: on console 2
type: exit 7\n
type: {alt-f1}wait\n
expect-re: \[[0-9]+\] done, status 7
type: exit\n
status: 0
