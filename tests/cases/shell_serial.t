# The shell from a terminal on COM1: a line, Backspace, ESC [ A as Up.
run: shell
expect: Pebbles shell: type help for the commands and programs.
serial: echo one\n
expect: one
serial: \e[A\b\b\btwo\n
expect: two
serial: exit 2\n
status: 2
