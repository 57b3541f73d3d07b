# The shell runs programs with arguments, reports a non-zero status and shows it in the prompt,
# knows unknown names and files that are not programs, and leaves with `exit N`.
run: shell
expect: Pebbles shell: type help for the commands and programs.
type: echo hi there\n
expect: $ echo hi there
expect: hi there
type: peon 3\n
expect: peon 3 (tid 5): job done, leaving with status 3
expect: peon: exit status 3
type: status\n
expect: [3] $ status
expect: 3
type: nope\n
expect: nope: no such program
type: hello.txt\n
expect: [127] $ hello.txt
expect: hello.txt: not a program
type: exit 4\n
status: 4
reject: frames leaked
