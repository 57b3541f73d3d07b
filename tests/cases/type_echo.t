# The typing harness itself (tests/typist.py): keys on the PS/2 keyboard reach getchar as typed,
# a shifted character, Enter, Backspace, Tab, Esc, a named key and an Alt+F2 chord between them
# (a console switch: no character); then a line on COM1 through readline; then a screenshot.
run: type_echo keys 7
expect: type_echo: ready
type: aZ{alt-f2}{alt-f1}\n\b\t\e{up}
expect: type_echo: key 97
expect: type_echo: key 90
expect: type_echo: key 10
expect: type_echo: key 8
expect: type_echo: key 9
expect: type_echo: key 27
expect: type_echo: key 129
expect: type_echo: ok
