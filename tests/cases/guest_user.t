# Guest-user mode: hv_iret into it; user page faults (cr2, error code, the 0x13370000 frame
# at esp0 with the user esp), supervisor pages refused, INT 0x80 to a non-privileged slot,
# #GP for privileged, empty and ignored slots and for INT 0xDE, cli and hlt; a timer tick.
run: guests/guest_user
expect: guest_user: user mode entered twice, 18 probes
expect: guest_user: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
