# Key events go only to the guest whose console is in front: two guests on consoles 2 and 3
# (3 in front) each wait for a line; "three" goes to console 3's, then Alt+F2 and "two" to
# console 2's.
run: guest_pair -c guests/guest_keyfront guests/guest_keyfront
expect: guest_keyfront: waiting for a line
expect: guest_keyfront: waiting for a line
type: three\n
expect: guest_keyfront: got three
type: {alt-f2}two\n
expect: guest_keyfront: got two
expect: guest_pair: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
