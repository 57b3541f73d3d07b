#!/usr/bin/env python3
"""mkbadelf.py DIR: write malformed (and oddly formed) ELF files into DIR for exec_bad.

build.sh runs this into build/badelf/ when this script changes; the case exec_bad copies the
folder onto its scratch image (not onto the floppy, which has little room left) and
user/tests/exec_bad.c execs every file in it from a child of its own.

A file's name starts with the outcome exec must give it (doc/syscalls.md 12 and 16), which
exec_bad reads back from the name:
  noexec_     exec returns E_NOEXEC (-6) and the caller runs on
  nomem_      exec returns E_NOMEM (-5): the image needs more frames than the machine has
  runs_       exec succeeds; the program ends itself with task_vanish(7)
  edge_       as runs_ where the initial stack starts at 0xFFFBF000, the native layout; a
              lower stack (inside pebbles-guest) makes it noexec_
  faults_     exec succeeds; the program faults at once and the kernel ends it (status -2)
  guest_      a guest kernel (every loadable segment below 16 MiB): it calls hv_exit(77), or
              exec fails where no guest can run
  guestcrash_ a guest kernel that crashes (status 0xDEADC0DE), or exec fails as for guest_
"""
import os
import struct
import sys

USER = 0x01000000           # lowest user address; also the guest load limit
STACK_LOW = 0xFFFBF000      # the initial stack's lowest byte (native layout)
PT_NULL, PT_LOAD, PT_INTERP, PT_NOTE, PT_PHDR = 0, 1, 3, 4, 6
RX, RW, R = 5, 6, 4         # p_flags
EHDR, PHDR = 52, 32         # sizes of the 32-bit ELF header and program header
DATA = 0x100                # where segment bytes start in a built file

# mov $7, %esi; int $0x57: task_vanish(7), the status runs_ files end with.
VANISH7 = b"\xbe\x07\x00\x00\x00\xcd\x57"


def guest_exit_code(stack):
    """mov $stack, %esp; push $77; mov $1, %eax; int $0xDE: hv_exit(77). A guest starts
    with %esp 0, so it needs a stack of its own before the push."""
    return (b"\xbc" + struct.pack("<I", stack) + b"\x6a\x4d"
            + b"\xb8\x01\x00\x00\x00\xcd\xde")


def ehdr(phnum, entry=USER, **f):
    """The ELF header; keyword arguments replace fields (an ELF32 executable for i386)."""
    v = dict(ident=b"\x7fELF", cls=1, data=1, ver=1, type=2, machine=3, version=1,
             entry=entry, phoff=EHDR, shoff=0, flags=0, ehsize=EHDR, phentsize=PHDR,
             phnum=phnum, shentsize=40, shnum=0, shstrndx=0)
    v.update(f)
    return struct.pack("<4sBBBB8xHHIIIIIHHHHHH", v["ident"], v["cls"], v["data"], v["ver"],
                       0, v["type"], v["machine"], v["version"], v["entry"], v["phoff"],
                       v["shoff"], v["flags"], v["ehsize"], v["phentsize"], v["phnum"],
                       v["shentsize"], v["shnum"], v["shstrndx"])


def seg(vaddr, body=b"", memsz=None, flags=RX, type=PT_LOAD, **f):
    """A segment: its bytes, and program-header fields to force (offset, filesz)."""
    return dict(vaddr=vaddr, body=body, memsz=len(body) if memsz is None else memsz,
                flags=flags, type=type, **f)


def elf(segs, entry=USER, **hdr):
    """A whole file: header, program headers, then each segment's bytes from DATA on,
    16-byte aligned. Fields a segment forces are written as given, however wrong."""
    pos, bodies, phdrs = max(DATA, EHDR + PHDR * len(segs)), b"", b""
    for s in segs:
        off = s.get("offset", pos + len(bodies))
        filesz = s.get("filesz", len(s["body"]))
        phdrs += struct.pack("<8I", s["type"], off, s["vaddr"], s["vaddr"], filesz,
                             s["memsz"], s["flags"], 0x1000)
        bodies += s["body"] + b"\0" * (-len(s["body"]) % 16)
    head = ehdr(len(segs), entry, **hdr) + phdrs
    return head + b"\0" * (pos - len(head)) + bodies


GOOD = elf([seg(USER, VANISH7)])            # a program that runs: the base of most cases
TEXT = seg(USER, VANISH7)                   # its one segment, to pair with a bad one


def good_but(**f):
    """GOOD with header fields replaced (its program header stays where it was)."""
    return ehdr(**({"phnum": 1} | f)) + GOOD[EHDR:]


# GOOD with one header field wrong: (name, field, value).
BAD_FIELDS = [
    ("class64_i386", "cls", 2), ("class0", "cls", 0), ("big_endian", "data", 2),
    ("data0", "data", 0), ("type_rel", "type", 1), ("type_dyn", "type", 3),
    ("type_core", "type", 4), ("machine_none", "machine", 0), ("machine_x86_64", "machine", 62),
    ("machine_arm", "machine", 40), ("phentsize_0", "phentsize", 0),
    ("phentsize_31", "phentsize", 31), ("phentsize_56", "phentsize", 56),
    ("phnum_0", "phnum", 0), ("phnum_65535", "phnum", 0xFFFF),
    ("phoff_at_end", "phoff", len(GOOD)), ("phoff_one_short", "phoff", len(GOOD) - PHDR + 1),
    ("phoff_huge", "phoff", 0xFFFFFFF0), ("phoff_wraps", "phoff", 0xFFFFFFE0),
]


def header_cases():
    """Files whose ELF header is short, foreign or inconsistent."""
    sixty4 = (struct.pack("<4sBBBB8xHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 2, 62, 1,
                          USER, 64, 0, 0, 64, 56, 1, 64, 0, 0)
              + struct.pack("<IIQQQQQQ", PT_LOAD, 5, 0x120, USER, USER, 7, 7, 0x1000))
    sixty4 += b"\0" * (0x120 - len(sixty4)) + VANISH7
    cases = {"noexec_" + name: good_but(**{field: value}) for name, field, value in BAD_FIELDS}
    return cases | {
        "noexec_empty": b"",
        "noexec_one_byte": b"\x7f",
        "noexec_magic_only": b"\x7fELF",
        "noexec_header_51_bytes": GOOD[:EHDR - 1],
        "noexec_header_only": GOOD[:EHDR],
        "noexec_phdr_cut_in_half": GOOD[:EHDR + PHDR // 2],
        "noexec_second_phdr_short": elf([TEXT, TEXT])[:EHDR + 2 * PHDR - 1],
        "noexec_bad_magic": b"\x7fELG" + GOOD[4:],
        "noexec_magic_mz": b"MZ" + GOOD[2:],
        "noexec_text_file": b"#!/bin/sh\necho hello\n" + b" " * 100,
        "noexec_zeros": b"\0" * 512,
        "noexec_elf64": sixty4,
    }


def phdr_table_cases():
    """Files whose program-header table is too long, or holds no loadable segment (the
    table's place and size in the header are in BAD_FIELDS)."""
    nulls = [seg(0, type=PT_NULL)]
    return {
        "noexec_phnum_17": elf(nulls * 16 + [TEXT]),
        "noexec_phnum_1000": elf(nulls * 999 + [TEXT]),
        "noexec_no_load": elf(nulls),
        "noexec_notes_only": elf([seg(USER, b"note", type=PT_NOTE),
                                  seg(USER, b"/lib/ld.so\0", type=PT_INTERP),
                                  seg(0, type=PT_PHDR)]),
    }


def segment_cases():
    """Files with a segment whose bytes lie outside the file or whose memory lies outside
    user memory below the stack: wrapping, kernel, stack, the last page."""
    return {
        "noexec_seg_offset_past_end": elf([seg(USER, VANISH7, offset=0x10000)]),
        "noexec_seg_bytes_past_end": elf([seg(USER, VANISH7, filesz=len(VANISH7) + 10,
                                              memsz=0x1000)]),
        "noexec_seg_offset_wraps": elf([seg(USER, VANISH7, offset=0xFFFFFF00, filesz=0x200,
                                            memsz=0x1000)]),
        "noexec_filesz_gt_memsz": elf([seg(USER, VANISH7, memsz=4)]),
        "noexec_seg_at_zero_and_user": elf([seg(0, b"x"), TEXT]),
        "noexec_seg_kernel_and_user": elf([seg(0x00100000, b"x"), TEXT]),
        "noexec_seg_crosses_16m": elf([seg(0x00FFF000, VANISH7, memsz=0x2000)], 0x00FFF000),
        "noexec_seg_into_stack": elf([TEXT, seg(0xFFFB0000, memsz=0x10000, flags=RW)]),
        "noexec_seg_in_stack": elf([TEXT, seg(0xFFFC0000, memsz=0x1000, flags=RW)]),
        "noexec_seg_stack_plus_1": elf([TEXT, seg(STACK_LOW - 0x1000, memsz=0x1001,
                                                  flags=RW)]),
        "noexec_seg_last_page": elf([TEXT, seg(0xFFFFF000, memsz=0x1000, flags=RW)]),
        "noexec_seg_wraps_4g": elf([TEXT, seg(0x02000000, memsz=0xFF000000, flags=RW)]),
        "noexec_seg_at_top_wraps": elf([TEXT, seg(0xFFFFFFFF, memsz=2, flags=RW)]),
        "noexec_memsz_max": elf([seg(USER, VANISH7, memsz=0xFFFFFFFF)]),
        "noexec_entry_zero": elf([TEXT], 0),
        "noexec_entry_kernel": elf([TEXT], 0x00100000),
        "noexec_entry_in_stack": elf([TEXT], 0xFFFC0000),
        "noexec_entry_top": elf([TEXT], 0xFFFFFFFF),
        "noexec_guest_entry_high": elf([seg(0x00100000, guest_exit_code(0x00102000),
                                            memsz=0x2000)], USER),
        "noexec_guest_seg_wraps": elf([seg(0x00F00000, b"x", memsz=0xFF200000)], 0x00F00000),
    }


def memory_cases():
    """Files that are well formed but need more memory than any machine here has."""
    huge = [seg(0x10000000 * i, memsz=0x0F000000, flags=RW) for i in range(1, 15)]
    return {
        "nomem_huge_memsz": elf([seg(USER, VANISH7, memsz=0xF0000000)]),
        "nomem_memsz_readonly": elf([TEXT, seg(USER + 0x1000, memsz=0xFD000000, flags=R)]),
        "nomem_15_huge_segments": elf([TEXT] + huge),
    }


def running_cases():
    """Odd but valid files: exec succeeds, and the program either ends itself with status 7
    or faults at its first instruction."""
    code_at_end = b"\0" * 0xFFF + b"\x90"   # a nop on the last byte, then no next page
    nulls = [seg(0, type=PT_NULL)] * 15
    return {
        "runs_overlap_same": elf([TEXT, TEXT]),
        "runs_overlap_bss_on_text": elf([TEXT, seg(USER, memsz=0x1000, flags=RW)]),
        "runs_overlap_partial": elf([seg(USER, VANISH7, memsz=0x2000),
                                     seg(USER + 0x1800, b"data", memsz=0x1800, flags=RW)]),
        "runs_16_phdrs": elf(nulls + [TEXT]),
        "runs_entry_second_seg": elf([seg(USER, b"\xff" * 16, flags=R),
                                      seg(USER + 0x5000, VANISH7)], USER + 0x5000),
        "runs_unaligned_vaddr": elf([seg(USER + 0x123, VANISH7)], USER + 0x123),
        "runs_unaligned_offset": elf([seg(USER, VANISH7, offset=0x177)]).ljust(0x177, b"\0")
        + VANISH7,
        "runs_notes_first": elf([seg(USER, b"note", type=PT_NOTE), seg(0, type=PT_PHDR),
                                 TEXT]),
        "edge_seg_ends_at_stack": elf([TEXT, seg(STACK_LOW - 0x1000, memsz=0x1000,
                                                 flags=RW)]),
        "faults_entry_in_gap": elf([TEXT], USER + 0x800000),
        "faults_entry_in_bss": elf([TEXT, seg(USER + 0x1000, memsz=0x1000, flags=RW)],
                                   USER + 0x1000),
        "faults_entry_runs_off_end": elf([seg(USER, code_at_end)], USER + 0xFFF),
        "faults_entry_bad_opcode": elf([seg(USER, b"\xff" * 16)]),
    }


def guest_cases():
    """Guest kernels: every loadable segment below 16 MiB (doc/syscalls.md 16)."""
    return {
        "guest_tiny": elf([seg(0x00100000, guest_exit_code(0x00102000), memsz=0x2000)],
                          0x00100000),
        "guest_at_zero": elf([seg(0, guest_exit_code(0x2000), memsz=0x2000)], 0),
        "guest_ends_at_16m": elf([seg(USER - 0x1000, guest_exit_code(USER - 0x100),
                                      memsz=0x1000)], USER - 0x1000),
        "guestcrash_ud2": elf([seg(0x00100000, b"\x0f\x0b")], 0x00100000),
    }


def all_cases():
    cases = {}
    for part in (header_cases, phdr_table_cases, segment_cases, memory_cases,
                 running_cases, guest_cases):
        cases.update(part())
    return cases


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mkbadelf.py DIR")
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, data in sorted(all_cases().items()):
        with open(os.path.join(sys.argv[1], name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
