# Six tasks map and unmap a page of their own, 10,000 times each, with 1 ms ticks and random
# pauses: the pool of spare page tables (kernel.c section 16) gives each table to one address
# space only. Found by `fuzz 100000 3 -new_console` in Bochs (a table taken twice: KERNEL
# PANIC in vm_map_zero or kframe_free) before the pool changed with interrupts off.
run: table_race
expect: table_race: 0 wrong
timeout: 60
