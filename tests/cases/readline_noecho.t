# "hello" typed on console 1 while nobody reads there is not echoed; the readline that takes
# it later echoes it, then " world" typed while it waits. (keyin.h: the gate on console 2.)
run: readline_noecho
expect: readline_noecho: console 2 waits for go
type: {alt-f1}hello{alt-f2}go\n
expect: go
expect: readline_noecho: reading now
type: \sworld\n
expect: hello world
expect: readline_noecho: ok
reject: hellogo
reject: FAILED
