# Readers of a console are served first come, first served: tasks (two children, then the
# parent) and threads (three, started in turn) each get the line typed for their place.
run: readline_queue
expect: readline_queue: three tasks read, type three lines
type: one\ntwo\nthree\n
expect: one
expect: two
expect: three
expect: readline_queue: three threads read, type three lines
type: red\ngreen\nblue\n
expect: red
expect: green
expect: blue
expect: readline_queue: ok
reject: FAILED
