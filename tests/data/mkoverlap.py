import struct, sys
# Makes tests/data/overlap.elf (python3 tests/data/mkoverlap.py tests/data/overlap.elf).
# Two PT_LOAD segments on the same page: first read-only, all bss (memsz only); then a
# writable one with file bytes. The kernel's vm_protect turns page 0x1000000 into a plain
# read-only mapping of the shared zero frame, then vm_page_for_writing writes the second
# segment's bytes into that shared zero frame.
code = b"\xcd\x60" + b"ZEROFRAME-CORRUPTED!"   # int $0x60 (vanish), then a marker
ehsize, phsize = 52, 32
phoff = ehsize
dataoff = 0x100
eh = struct.pack("<4sBBBB8sHHIIIIIHHHHHH", b"\x7fELF", 1, 1, 1, 0, b"\0"*8,
                 2, 3, 1, 0x1000000, phoff, 0, 0, ehsize, phsize, 2, 40, 0, 0)
ph1 = struct.pack("<8I", 1, 0, 0x1000000, 0x1000000, 0, 0x1000, 4, 0x1000)
ph2 = struct.pack("<8I", 1, dataoff, 0x1000000, 0x1000000, len(code), len(code), 6, 0x1000)
img = bytearray(eh + ph1 + ph2)
img += b"\0" * (dataoff - len(img))
img += code
open(sys.argv[1], "wb").write(img)
