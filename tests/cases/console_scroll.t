# Scrolling and '\b' on the screen (doc/syscalls.md 7): on a full screen a '\n' on row 24, or
# a character in its last cell, keeps the cursor on row 24 and moves every row up one, and the
# new bottom row is blank; '\b' blanks the cell it backs onto and stops at column 0. The
# program writes onto the rows where texts must have gone, so each screen: line joins two
# prints: it is on the screen only if the scrolling put the first print on that row.
run: console_scroll
expect: console_scroll: line 30
after: console_scroll: waiting for a key
screenshot: console_scroll
screen: console_scroll: line 11 is on row 0
screen: console_scroll: line 30 is on row 19
screen: console_scroll: erase [x  ]
screen: console_scroll: a full row ====================================================|
screen: console_scroll: backspace stops at column 0
screen: console_scroll: bottom row ----------------------------------------------------+
screen: console_scroll: waiting for a key                                             |
type: x
expect: console_scroll: line 11 was on row 0
expect: console_scroll: ok
reject: FAILED
