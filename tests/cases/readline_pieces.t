# A line longer than readline's len is delivered in pieces to the next calls, without new
# typing; a piece can be just the '\n'; a line of exactly len fits; pieces stop at a line's end.
run: readline_pieces
expect: readline_pieces: type a long line
type: abcdefghijkl\n
expect: abcdefghijkl
expect: readline_pieces: type a line of four
type: wxyz\n
expect: wxyz
expect: readline_pieces: type a line of five
type: 1234\n
expect: 1234
expect: readline_pieces: type two lines
type: one\ntwo\n
expect: one
expect: two
expect: readline_pieces: ok
reject: FAILED
