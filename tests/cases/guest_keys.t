# Key events through slot 0x21: held while interrupts are off, press and release, shift in
# the modifiers, the unshifted character, an arrow key.
run: guests/guest_keys
expect: guest_keys: interrupts off, type q and w
type: qw
expect: guest_keys: got q and w, type the line
type: aB1{up}\n
expect: guest_keys: typed aB1<up>
expect: guest_keys: ok
reject: FAILED
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
