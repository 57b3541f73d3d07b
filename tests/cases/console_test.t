# set_term_color, set_cursor_pos, get_cursor_pos: ranges, bad pointers, the cursor follows output.
run: console_test
expect: console_test: a yellow-on-blue line
expect: console_test: ok
reject: FAILED
