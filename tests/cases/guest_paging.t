# hv_setpd, shadow paging in guest-kernel mode: hypercall buffers at remapped addresses
# (one across two pages), wp = 0 and wp = 1, page faults with cr2 and error code,
# hv_adjustpg after a PTE edited in place, two address spaces.
run: guests/guest_paging
expect: guest_paging: paging on
expect: guest_paging: translated print: right page
expect: guest_paging: across pages: first|second
expect: guest_paging: address space B
expect: guest_paging: ok
reject: WRONG
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
