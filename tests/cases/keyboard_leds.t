# Caps Lock and Num Lock: Caps Lock makes letters capitals (and shifted letters small), and
# both light their LEDs: the kernel sends the keyboard its set-LEDs command when a lock key
# changes (Num Lock is on from the start). QEMU's trace of the keyboard's LED states is checked
# (`leds:`); Bochs runs check the letters only.
run: type_echo lines 2
expect: type_echo: ready
after: >\s
type: {caps_lock}ab{shift-c}\n
expect: type_echo: [ABc\n]
after: >\s
type: {caps_lock}d{num_lock}\n
expect: type_echo: [d\n]
expect: type_echo: ok
leds: 2 6 0
