# An ELF whose read-only bss page is then written by a later segment on the same page must not
# write into the shared zero frame: fresh memory of every task stays zero.
run: zero_frame_elf
add: tests/data/overlap.elf
expect: zero_frame_elf: new_pages -> 0
expect: zero_frame_elf: 0 non-zero bytes in fresh memory: ""
