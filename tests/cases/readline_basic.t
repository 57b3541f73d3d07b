# readline reads one line typed on the PS/2 keyboard (shifted characters included) and returns
# it with its '\n'; the echo shows the line as typed, before the program's answer.
run: readline_basic
expect: Enter something good, then press Return:
type: Hello, Pebbles! 42\n
expect: Hello, Pebbles! 42
expect: You typed 19 characters: Hello, Pebbles! 42
reject: readline failed
