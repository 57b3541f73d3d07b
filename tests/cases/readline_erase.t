# readline's Backspace erases what the removed character took on the screen: the cells of a
# tab, and, once a long line has wrapped, cells on the row above; Ctrl+M ends a line as Enter
# does. (Before, a Backspace erased one cell and stopped at column 0.)
run: type_echo lines 3
expect: type_echo: ready
after: >\s
type: a\tb\b\b!\n
expect: type_echo: [a!\n]
after: >\s
type: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
type: yyyyyyy\b\b\b\b\b\b\b\b\b\bZ\n
expect: type_echo: [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxZ\n]
after: >\s
screenshot: readline_erase
screen: > a!
screen: > xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxZ
type: ok{ctrl-m}
expect: type_echo: [ok\n]
expect: type_echo: ok
