# Lines typed on console 1 before anyone reads there all reach later readline calls, in order,
# each echoed only when a readline takes it; the fourth is finished while a readline waits.
run: readline_typeahead
expect: readline_typeahead: console 2 waits for go
type: {alt-f1}first line\nSecond Line!\n3rd line\nfourth{alt-f2}go\n
expect: go
expect: readline_typeahead: reading 1
expect: first line
expect: readline_typeahead: reading 2
expect: Second Line!
expect: readline_typeahead: reading 3
expect: 3rd line
expect: readline_typeahead: reading 4
type: \sand last\n
expect: fourth and last
expect: readline_typeahead: ok
reject: fourthgo
reject: FAILED
