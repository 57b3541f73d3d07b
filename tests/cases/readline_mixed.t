# readline and getchar callers in one queue, in the order they came: readline(2) "on", getchar
# 'e' and '\n' (the rest of that line), readline "two\n", getchar 'x' (no echo), readline "yz\n".
run: readline_mixed
expect: readline_mixed: six readers wait, type
type: one\ntwo\nxyz\n
expect: one
expect: two
expect: yz
expect: readline_mixed: ok
reject: xyz
reject: FAILED
