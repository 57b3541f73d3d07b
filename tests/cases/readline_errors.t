# readline's errors: -2 for len < 0 or > 4096, -3 for a buf not writable for len bytes; they
# come at once (nothing typed; another thread holding the turn) and lose nothing typed.
run: readline_errors
expect: readline_errors: console 2 waits for go
type: {alt-f1}keep this line\nand this\n{alt-f2}go\n
expect: go
expect: readline_errors: reading
expect: keep this line
expect: and this
expect: readline_errors: bad calls done while another reads, type a line
type: last line\n
expect: last line
expect: readline_errors: ok
reject: FAILED
reject: thisgo
