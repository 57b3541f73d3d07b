# `guest NAME` (what a person types at the shell) moves to a new console and runs the guest
# kernel there; its output is on that console (and in the log) and its status comes back.
run: guest guests/guest_exit
expect-re: .*guest_exit.*
reject: guest: cannot
reject: init: frames leaked
status: 42
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
