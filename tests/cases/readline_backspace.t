# Backspace in readline: removes the last character and echoes "\b"; nothing (not even an
# echo) on an empty line. The echo lines are matched byte for byte ([^[:print:]] is the \b).
run: readline_backspace
expect: readline_backspace: type 1
type: \b\bhx\bello\n
expect-re: hx[^[:print:]]ello
expect: readline_backspace: type 2
type: ab\b\b\bc\n
expect-re: ab[^[:print:]]{2}c
expect: readline_backspace: type 3
type: xy\b\b\n
expect-re: xy[^[:print:]]{2}
expect: readline_backspace: type 4
type: abcd\bef\n
expect-re: abcd[^[:print:]]ef
expect: readline_backspace: ok
reject: FAILED
