# echo prints its arguments separated by single spaces.
run: echo one  two   three
expect: one two three
status: 0
