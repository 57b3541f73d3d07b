#!/usr/bin/env python3
"""mkflood.py keys|serial N: print the test case of an input flood (user/tests/input_flood.c).

    python3 tests/data/mkflood.py keys 400 > tests/cases/input_flood_keys.t
    python3 tests/data/mkflood.py serial 300 > tests/cases/input_flood_serial.t

keys N:   the keyboard types "1 2 3 ... N " while nobody reads console 1.
serial N: COM1 gets N blocks: "%04d:", eight garbage bytes (every value turns up: NUL, ESC,
          '[', '\\r', DEL...), "\\r\\n".

The console keeps the first 256 characters; the case expects the kernel's note of exactly how
many of the rest it dropped, which this script counts by the contract's COM1 translation
(doc/syscalls.md 11), as input_flood.c does for the characters it checks.
"""
import sys

KEPT = 256                  # what a console's input ring holds
KEYS_LOST = 3               # keys the emulator may lose on the way (input_flood.c)
GARBAGE = 8                 # garbage bytes per serial block
WIDTH = 99                  # longest case line (the project keeps lines under 100 columns)
ESC, KEY_UP = 0x1B, 0x81


def garbage(b, k):
    """Garbage byte k of block b (input_flood.c's garbage())."""
    return (b * 37 + k * 101 + (b >> 3) * 11) & 0xFF


def serial_raw(n):
    """The bytes of the serial flood, block by block."""
    return [b'%04d:' % b + bytes(garbage(b, k) for k in range(GARBAGE)) + b'\r\n'
            for b in range(n)]


def translated_count(raw):
    """How many characters COM1 bytes give a reader: \\r is \\n, a \\n right after a \\r is
    dropped, ESC [ x is one arrow (x in A..D) or nothing, ESC before anything else is ESC."""
    count, esc, last_cr = 0, 0, False
    for b in raw:
        cr_pair = last_cr and b == 0x0A
        last_cr = b == 0x0D
        if esc == 2:
            esc = 0
            count += 0x41 <= b <= 0x44
            continue
        if esc == 1:
            esc = 2 if b == 0x5B else 0
            if esc:
                continue
            count += 1                  # the ESC itself
        if b == ESC:
            esc = 1
        elif not cr_pair:
            count += 1
    return count


def serial_escape(block):
    """A block as serial: text: its number and ':' as they are, the rest as \\xHH."""
    return block[:5].decode() + ''.join('\\x%02x' % c for c in block[5:])


def pack(pieces, prefix, glue, room=0):
    """Case lines of at most WIDTH - ROOM columns, each PREFIX then pieces joined by GLUE."""
    lines, line = [], ''
    for p in pieces:
        if line and len(prefix) + len(line) + len(glue) + len(p) > WIDTH - room:
            lines.append(prefix + line)
            line = ''
        line += (glue if line else '') + p
    return lines + [prefix + line]


HEAD = """\
# {what},
# while nobody reads console 1 (its task waits for a gate child: keyin.h): the ring keeps
# exactly the first 256 characters (input_flood checks each), the kernel says in the debug log
# how many it dropped, and input works afterwards; nothing leaks (init's check).
{note}# Made by: python3 tests/data/mkflood.py {mode} {n}
run: input_flood {mode} {n}
timeout: {timeout}
expect: input_flood: console 2 waits for go
type: {{alt-f1}}k
expect: input_flood: console 1 is in front, flood it
"""

# Keys can be lost before the kernel sees them: allowed for here, exact in the COM1 case.
KEYS_NOTE = """\
# Up to 3 keys that Bochs drops on the way (its keyboard buffer is 16 bytes, and the typist
# cannot tell when the guest has read them) are allowed for; the COM1 case is exact.
"""

# The end of the keyboard case: the gate, the check, one more line typed.
KEYS_TAIL = """\
type: {{alt-f2}}go\\n
expect: go
expect: input_flood: reading now
expect-re: kernel: console 1: input full, ({dropped_range}) characters dropped
expect: input_flood: kept the first 256, type one more line
type: after\\n
expect: after
"""

# The end of the COM1 case: the gate after a pause, the check, a line on COM1, then one typed.
SERIAL_TAIL = """\
# COM1 bytes and keys travel separately: give the last bytes time to land before "go"
type: {{pause 50}}{{alt-f2}}go\\n
expect: input_flood: reading now
expect: kernel: console 1: input full, {dropped} characters dropped
expect: input_flood: kept the first 256, send one more line on COM1
serial: after\\r
expect: after
expect: input_flood: and type one
type: keys too\\n
expect: keys too
"""

END = """\
expect: input_flood: ok
reject: FAILED
# Inside a guest, typed characters first wait in the hypervisor's queue of 64 key events,
# which a flood overruns before the guest's own ring is reached: a test of the bare machine.
guest: no
"""


def main():
    mode, n = sys.argv[1], int(sys.argv[2])
    if mode == 'keys':
        text = ''.join('%d ' % i for i in range(1, n + 1))
        # a space may not end a type: line (it would be dropped): \s spells it there
        lines = [l + '\\s' for l in pack(text.split(), 'type: ', ' ', 2)]
        what = 'The keyboard types %d keys ("1 2 3 ... %d ")' % (len(text), n)
        sent, tail = len(text), KEYS_TAIL
    else:
        raw = serial_raw(n)
        lines = pack([serial_escape(b) for b in raw], 'serial: ', '')
        total = sum(len(b) for b in raw)
        what = 'COM1 gets %d bytes: %d blocks of text and binary garbage' % (total, n)
        sent = translated_count(b''.join(raw))
        tail = SERIAL_TAIL
    timeout = 120 if mode == 'keys' else 60
    note = KEYS_NOTE if mode == 'keys' else ''
    sys.stdout.write(HEAD.format(what=what, mode=mode, n=n, timeout=timeout, note=note))
    sys.stdout.write('\n'.join(lines) + '\n')
    dropped = sent - KEPT
    # keys the emulator lost never reach the count (input_flood.c: KEYS_LOST, at most 3)
    dropped_range = '|'.join(str(d) for d in range(dropped - KEYS_LOST, dropped + 1))
    sys.stdout.write(tail.format(dropped=dropped, dropped_range=dropped_range) + END)


if __name__ == '__main__':
    main()
