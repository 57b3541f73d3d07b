# Everything at once, a fixed amount of work (user/tests/soak.c): two shells on consoles 3 and
# 4, each running `soak worker` (copy-on-write, fork/wait, malloc, mutexes, knife); on console 2
# a runner of 94 guests (guest_churn's and guest_hostile's variants, five more of the suite);
# the thread-library programs; the system-call fuzzer, whose children open and close consoles
# at random. All start together at "go"; then each shell's last status must be 0, every
# program of the driver ends as it should, both shells exit 0, and every frame comes back.
run: soak
timeout: 120
expect: soak: consoles 2, 3 and 4 are ready
type: {alt-f3}soak worker\n
after: soak: a worker waits for go
type: {alt-f4}soak worker\n
after: soak: a worker waits for go
type: {alt-f1}go\n
expect: soak: go
expect: soak: stress over, exit both shells
# `status` prints the shell's last status: the worker's
type: {alt-f3}status\n
after: status\n0\n
type: {alt-f4}status\n
after: status\n0\n
type: {alt-f3}exit\n{alt-f4}exit\n
expect: soak: shells exited, free frames as before
expect: soak: ok
reject: FAILED
reject: exit status
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
