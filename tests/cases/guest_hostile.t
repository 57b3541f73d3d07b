# A hostile guest, run 468 times: guests/guest_hostile (user/guests/guest_hostile.c) breaks the
# PebPeb contract in one of 78 ways per run (bad hypercall numbers and arguments, bad eflags,
# faults with no handler, delivery frames that cannot be written, host memory through the
# host's own segments, page tables pointing beyond memory, at themselves, at random words).
# guest_hammer runs every variant alone first (free frames counted around each run), then five
# rounds of all of them six at a time, in other orders: every run must crash alone (status
# 0xDEADC0DE), the host goes on, and every frame comes back. Variant 79 does not exist (99).
run: guest_hammer -r 6 -p 6 guests/guest_hostile 1-78=crash 79=99
timeout: 60
# Round 1, in order: each variant says what it does, and the hypervisor ends it right there.
expect: guest_hostile: 1: unknown hypercall 13
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 2: unknown hypercall 0x1f
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 3: unknown hypercall 0x23
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 4: unknown hypercall 0x80000000
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 5: unknown hypercall 0xffffffff
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 6: hv_print of -1 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 7: hv_print of 411 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 8: hv_print of 0x80000000 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 9: hv_print from beyond memory (paging off)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 10: hv_print from 0xffffffff
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 11: hv_print across the top of guest-virtual
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 12: hv_print into a page that is not present
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 13: hv_print from a frame beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 14: hv_print_at row 25
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 15: hv_print_at column 80
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 16: hv_print_at row -1
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 17: hv_print_at colour 0x100
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 18: hv_print_at of 411 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 19: hv_print_at from a hole
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 20: hv_cons_set_cursor_pos(25, 0)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 21: hv_cons_set_cursor_pos(0, -1)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 22: hv_cons_set_cursor_pos(0x80000000, 0)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 23: hv_cons_set_term_color(0x100)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 24: hv_cons_set_term_color(-1)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 25: hv_cons_get_cursor_pos, row beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 26: hv_cons_get_cursor_pos, column beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 27: hv_cons_get_cursor_pos into a read-only page
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 28: hv_cons_get_cursor_pos at the top
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 29: hv_setpd at 24 MiB
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 30: hv_setpd at 0xfffff000
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 31: hv_adjustpg(0xff000000)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 32: hv_adjustpg(0xffffffff)
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 33: hv_disk_read of 16385 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 34: hv_disk_read of 0xffffffff bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 35: hv_disk_read into memory beyond
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 36: hv_disk_read into a read-only page
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 37: hv_log of 411 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 38: hv_log of -5 bytes
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 39: hv_log from a hole
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 40: hv_iret with IOPL 3
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 41: hv_iret with NT
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 42: hv_iret with VM
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 43: hv_iret with VIF
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 44: hv_iret with VIP
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 45: hv_setpd not page-aligned
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 46: ud2 with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 47: divide error with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 48: int3 with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 49: INT 0x99 from guest-kernel mode, no #GP handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 50: x87 error (#MF) with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 51: timer ticks with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 52: single step (TF) with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 53: read beyond memory with paging off
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 54: write at the top with paging off
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 55: guest-kernel read above 0xfeffffff
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 56: guest-kernel jump above 0xfeffffff
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 57: hv_iret to 0xfffffff0
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 58: read host memory through the host's data segment
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 59: write host memory through the host's data segment
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 60: read host memory through the host's code segment
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 61: delivery frame beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 62: delivery frame on a read-only page
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 63: delivery frame in a hole
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 64: delivery frame below address 0
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 65: hypercall arguments beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 66: hypercall arguments past the top
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 67: hypercall arguments in a hole
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 68: guest-user fault with esp0 beyond memory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 69: guest-user page fault with no handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 70: hv_setpd of an empty directory
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 71: a directory of random words
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 72: a directory entry naming 0xfffff000
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 73: a page-table entry naming 0xfffff000
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 74: a self-mapped directory showing a frame beyond
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 75: 1,018 entries on the directory, then one beyond
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 76: a handler above 0xfeffffff
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 77: a handler in a hole, no page-fault handler
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 78: every handler in a hole: a storm of faults
expect-re: hypervisor: guest (guests/)?guest_hostile \(task [0-9]+\) crashed: .+
expect: guest_hostile: 78 variants; no variant 79
expect: guest_hammer: round 1: 79 runs one at a time
expect: guest_hammer: round 2: 79 runs at once
expect: guest_hammer: round 6: 79 runs at once
expect: guest_hammer: ok
reject: still running
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
