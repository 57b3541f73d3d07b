# Every call that takes an argument packet returns -3 (E_FAULT) for a packet it cannot read
# whole (NULL, kernel memory, unmapped, running off a mapped page, wrapping around), and for
# a bad pointer inside a packet or in %esi (wait, deschedule); the caller is never killed.
# Each group runs in a child, so a kill shows as "the kernel killed the caller".
run: syscall_packet
expect: syscall_packet: exec: done, 0 failure(s)
expect: syscall_packet: new_pages: done, 0 failure(s)
expect: syscall_packet: readline: done, 0 failure(s)
expect: syscall_packet: print: done, 0 failure(s)
expect: syscall_packet: set_cursor_pos: done, 0 failure(s)
expect: syscall_packet: get_cursor_pos: done, 0 failure(s)
expect: syscall_packet: readfile: done, 0 failure(s)
expect: syscall_packet: swexn: done, 0 failure(s)
expect: syscall_packet: log_print: done, 0 failure(s)
expect: syscall_packet: pointers in packets: done, 0 failure(s)
expect: syscall_packet: wait: done, 0 failure(s)
expect: syscall_packet: deschedule: done, 0 failure(s)
expect: syscall_packet: ok
reject: FAILED
reject: kernel: killed
reject: init: frames leaked
status: 0
