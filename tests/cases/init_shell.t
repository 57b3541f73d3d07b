# Without a program to run, init keeps a shell running: when it exits, init says so and starts
# another; a job the shell left running becomes init's orphan and is collected quietly. (When
# the job ends, relative to the typing, is not predictable: an idle machine's clock skips ahead.)
run: -m 0
expect: Pebbles shell: type help for the commands and programs.
type: peon 60 &\n
expect-re: \[[0-9]+\]
type: exit 3\n
expect: init: shell exited with status 3, starting a new one
expect: Pebbles shell: type help for the commands and programs.
type: halt_test\n
expect: halt_test: halting with status 5
status: 5
