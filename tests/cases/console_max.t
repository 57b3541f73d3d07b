# At most 8 consoles: 7 children get one each with new_console, the 8th child and the parent
# are refused; once the children have exited their consoles are free for a second round.
run: console_max
expect-re: console_max: round 1: new_console refused: -[0-9]+
expect: console_max: round 1: 7 consoles made, the 8th refused
expect-re: console_max: round 2: new_console refused: -[0-9]+
expect: console_max: round 2: 7 consoles made, the 8th refused
expect: console_max: still on console 1
expect: console_max: ok
reject: FAILED
reject: init: frames leaked
