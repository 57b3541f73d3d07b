# Two bss-only segments on one page, read-only then writable: the later one's permissions win
# (as with file bytes), so the program's write works and it ends with task_vanish(7).
run: overlap_bss.elf
add: tests/data/overlap_bss.elf
reject: kernel: killed
reject: init: frames leaked
status: 7
