# task_vanish while one thread waits in readline and another waits behind it with getchar:
# both die, the task ends with status 7, and the reader queue's turn passes on to the parent.
run: readline_kill
expect: readline_kill: wait -> 1
expect: readline_kill: status 7
expect: readline_kill: type a key
type: x
expect: readline_kill: got 'x'
