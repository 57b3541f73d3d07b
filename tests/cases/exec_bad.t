# exec of 75 malformed or odd ELF files (tests/data/mkbadelf.py, built into build/badelf/):
# truncated headers, program headers past the end, 64-bit and foreign files, segments in the
# kernel, in the stack or wrapping past 4 GiB, 1000 program headers, no loadable segment, huge
# memory sizes, overlapping segments, bad entry points, guest kernels. Each is refused with the
# right error while the caller runs on unchanged, or starts and ends as its name says; no
# frame is lost on any of them (exec_bad checks after each file, init at the end).
prepare: mcopy -s -i "$IMG" build/badelf ::
run: exec_bad
expect-re: exec_bad: [0-9]+ files: [0-9]+ refused, [0-9]+ started \([0-9]+ guests\)
expect: exec_bad: ok
reject: FAILED
reject: KERNEL PANIC
reject: init: frames leaked
timeout: 90
