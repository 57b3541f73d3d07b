# A guest starts with the registers of doc/syscalls.md 16; hv_magic answers 0xC001C0DE and
# changes no register but eax; hypercall arguments are read from the stack with no return
# address.
run: guests/guest_magic
expect-re: guest_magic: entry eax 15410de0 ebx 6143 ecx feffffff
expect: guest_magic: printed by hand
expect: guest_magic: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
