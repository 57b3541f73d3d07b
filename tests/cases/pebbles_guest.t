# The kernel as a guest of itself: `guest pebbles-guest &` at the shell boots a second Pebbles
# on a console of its own, with its own init and shell; programs run there; Alt+F1 goes back
# to the machine's shell while the guest keeps running; `halt 7` in the guest ends it, and the
# machine's `wait` collects it with status 7. Screenshots of both screens (README).
run: shell
timeout: 120
expect: Pebbles shell: type help for the commands and programs.
after: $
# (in pieces: a loaded Bochs once lost a key of the whole line typed in one go)
type: guest {pause 2}pebbl{pause 2}es-gu{pause 2}est &\n
after: Pebbles kernel booting (version 0.2, a guest)
expect: memory: 15348 KiB kernel frames, 8188 KiB user frames (map from the hypervisor)
after: Pebbles shell: type help for the commands and programs.
after: $
type: hello\n
expect: Hello from user space!
after: $
type: peon 2 &\n
after: done
type: wait\n
after: done, status 2
after: $
type: echo inside the guest\n
expect: inside the guest
after: $
screenshot: pebbles_guest
screen: Pebbles kernel booting (version 0.2, a guest)
screen: $ hello
screen: Hello from user space!
screen: $ echo inside the guest
type: {alt-f1}echo on the machine\n
expect: on the machine
after: $
screenshot: pebbles_host
screen: $ guest pebbles-guest &
screen: $ echo on the machine
type: {alt-f2}halt 7\n
after: kernel: halt, status 7
type: {alt-f1}wait\n
after: done, status 7
after: $
type: exit 0\n
status: 0
reject: KERNEL PANIC
reject: frames leaked
# It starts a guest: not inside one.
guest: no
