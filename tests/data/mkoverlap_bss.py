import struct, sys
# Makes tests/data/overlap_bss.elf (python3 tests/data/mkoverlap_bss.py tests/data/overlap_bss.elf).
# A text segment, then two bss-only segments on the same page 0x1001000: first read-only, then
# writable. The later segment's permissions must win, as they do when the pages hold file
# bytes: the code writes the page, then ends with task_vanish(7). Left read-only, the write
# faults and the status is -2.
code = (b"\xc7\x05\x00\x10\x00\x01\x2a\x00\x00\x00"   # movl $42, 0x1001000
        b"\xbe\x07\x00\x00\x00"                       # mov $7, %esi
        b"\xcd\x57")                                  # int $0x57: task_vanish(7)
ehsize, phsize, nph = 52, 32, 3
dataoff = 0x100
eh = struct.pack("<4sBBBB8sHHIIIIIHHHHHH", b"\x7fELF", 1, 1, 1, 0, b"\0"*8,
                 2, 3, 1, 0x1000000, ehsize, 0, 0, ehsize, phsize, nph, 40, 0, 0)
text = struct.pack("<8I", 1, dataoff, 0x1000000, 0x1000000, len(code), len(code), 5, 0x1000)
ro_bss = struct.pack("<8I", 1, 0, 0x1001000, 0x1001000, 0, 0x1000, 4, 0x1000)
rw_bss = struct.pack("<8I", 1, 0, 0x1001000, 0x1001000, 0, 0x1000, 6, 0x1000)
img = bytearray(eh + text + ro_bss + rw_bss)
img += b"\0" * (dataoff - len(img))
img += code
open(sys.argv[1], "wb").write(img)
