# getchar on the keyboard: one key at a time, no echo; shifted characters, Ctrl+C = 3, Ctrl+A,
# Ctrl+Z, arrows 0x81..0x84, Delete 0x7F, Backspace, Tab, Esc, space and Enter.
run: getchar_keys
expect: getchar_keys: type one key
type: q
expect: getchar_keys: got the key, type the rest
type: aA!~{ctrl-c}{ctrl-a}{ctrl-z}{up}{left}{down}{right}{delete}\b\t\e\s\n
expect: getchar_keys: ok
reject: aA!
reject: FAILED
