# The input ring of a console holds 256 characters nobody has read; 300 sent on COM1 while
# nobody reads keep exactly the first 256, the kernel reports the 44 dropped in the debug log
# when a reader takes a character, and input works afterwards. (keyin.h: the gate.)
run: input_full
expect: input_full: console 2 waits for go
type: {alt-f1}k
expect: input_full: console 1 is in front, send 300 characters
serial: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw
serial: xyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst
serial: uvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq
serial: rstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmn
# COM1 bytes and keys travel separately: give the last bytes time to land before the keys
type: {pause 10}{alt-f2}go\n
expect: go
expect: input_full: reading now
type: \n
expect: kernel: console 1: input full, 44 characters dropped
expect-re: (abcdefghijklmnopqrstuvwxyz){9}abcdefghijklmnopqrstuv
expect: input_full: type one more line
type: after\n
expect: after
expect: input_full: ok
reject: FAILED
# Inside a guest, typed characters first wait in the hypervisor's queue of 64 key events,
# which a flood of 300 overruns before the guest's own ring is reached: a test of the bare machine.
guest: no
