# The shell's own line editing: Tab completes a unique program name, a second Tab lists the
# matches and redraws the line, Up recalls a line that Backspace then edits, Ctrl+C drops the
# line; a background job prints its tid and is reported when `wait` collects it.
run: shell
expect: Pebbles shell: type help for the commands and programs.
type: ech\thello\n
expect: $ echo hello
expect: hello
type: {up}\b\bp!\n
expect-re: \$ echo hello([^[:print:]] [^[:print:]]){2}p!
expect: help!
type: fork_\t\t
expect: fork_bomb  fork_grandchild  fork_loop  fork_many  fork_threaded  fork_wait
type: {ctrl-c}
expect: $ fork_^C
type: peo\t4 &\n
expect: $ peon 4 &
expect-re: \[[0-9]+\]
# the job's last line first, so that it cannot land inside the echo of `wait`
expect-re: peon 4 \(tid [0-9]+\): job done, leaving with status 4
type: wait\n
expect-re: \[[0-9]+\] done, status 4
type: exit 0\n
status: 0
reject: frames leaked
