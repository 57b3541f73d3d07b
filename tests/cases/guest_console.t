# Every console hypercall on the guest's console: cursor after text, \r and \n, print_at
# leaving cursor and colour alone, the 410-byte maximum. The screenshot is taken while the
# guest waits for a key; its text shows each positioned string in its place.
run: guests/guest_console
expect: guest_console: start
expect: guest_console: long print line 0........
expect: guest_console: long print line 9........
expect: guest_console: waiting for a key
screenshot: guest_console
screen: cursor-at-20-5
screen: X-yellow-blue-still-yellow
screen: [        print_at-22-9
screen: 23-7023-75
type: x
expect: guest_console: ok
reject: FAILED
reject: not printed
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
