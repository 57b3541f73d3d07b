# The virtual timer: ticks with interrupts on, none while off, one merged pending tick
# delivered at hv_enable_interrupts or at an hv_iret with IF set, delivery clearing the
# virtual IF, an exception nested inside the tick handler.
run: guests/guest_timer
expect-re: guest_timer: [0-9]+ cycles per tick
expect: guest_timer: ok
reject: FAILED
status: 0
# Runs guests: not inside a guest, which cannot run guests of its own.
guest: no
