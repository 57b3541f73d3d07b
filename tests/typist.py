#!/usr/bin/env python3
"""tests/typist.py: types into a Pebbles machine under test and photographs its screen.

    typist.py drive EMU DIR CASE SHOTS   type the case's `type:`/`serial:` lines into the
                                         emulator booting in DIR (bochs or qemu), each once the
                                         output above it has been seen; save `screenshot:`s in
                                         SHOTS. Progress goes to DIR/typist.txt, whose last line
                                         tells how it ended.
    typist.py check CASE LOG SHOTS       print the first expectation of the case (expect,
                                         expect-re, after, screen) the log or a screen misses
    typist.py lint CASE                  print the first bad `type:`/`serial:` line
    typist.py keys TEXT                  print the keys TEXT stands for (to try an escape)

The harness (tests/harness.sh) runs `drive` beside the emulator for the cases that type, and
`check` instead of its own expect test for them. Python 3 standard library only.

How keys reach the guest: QEMU through its QMP socket (`sendkey`, whose key names are also the
names the case files use), Bochs through its VNC (RFB 3.3) display, whose key events carry X
keysyms that Bochs turns into set-1 scan codes. COM1 is a socket in both (QEMU: a Unix socket
it serves; Bochs: TCP port 5555 in its private network namespace); what the guest writes there
is copied to DIR/com1.txt. Screens come from the emulator's own display (QEMU's
`screendump`, Bochs's VNC frame buffer); the text is read back from the pixels with the VGA
BIOS's 8x16 font.
"""
import faulthandler
import fcntl
import functools
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import zlib

COM1_PORT = 5555          # Bochs's COM1 server inside its own network namespace
RFB_PORT = 5900           # Bochs's VNC display, likewise
CONNECT_TIMEOUT = 30      # seconds to wait for the emulator's sockets
KEY_GAP = 0.02            # seconds between two key events (Bochs must not queue many)
KBD_BATCH = 8             # bytes of scan codes per batch: two undrained batches fit in the 16
POLL = 0.02               # seconds between two looks at the output
QEMU_HOLD_MS = 20         # how long QEMU holds a key down (emulated milliseconds)
MATCH_KINDS = ('expect', 'expect-re', 'after')
ACTION_KINDS = ('type', 'serial', 'screenshot')
CASE_KINDS = MATCH_KINDS + ACTION_KINDS + ('screen',)


class CaseError(Exception):
    """A case file line the typist cannot carry out (a bad escape, an unknown key)."""


class MachineGone(Exception):
    """The emulator went away while the typist still needed it."""


#==== Case files ====

# read_steps: the case file's lines that the typist cares about, as (line number, kind, value),
# in file order. The value is the text after the colon without its leading spaces, as the
# harness reads it; all but after: lose trailing spaces too (write \s for one). Bytes stand
# for themselves, as in the log (Latin-1), except on screen: lines, whose text is compared
# with the screen's characters (UTF-8).
def read_steps(path):
    steps = []
    with open(path, encoding='latin-1') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n').rstrip('\r')
            if not line or line.startswith('#') or ':' not in line:
                continue
            kind, value = line.split(':', 1)
            if kind not in CASE_KINDS:
                continue
            value = value.lstrip(' ')
            if kind != 'after':
                value = value.rstrip(' \t')
            if kind == 'screen':
                value = value.encode('latin-1').decode('utf-8', 'replace')
            steps.append((number, kind, value))
    return steps


# live_steps: the steps the typist itself must carry out, which end at the last action;
# expectations after it are left to `check`, which explains a miss better than a time-out.
def live_steps(steps):
    last = max((i for i, s in enumerate(steps) if s[1] in ACTION_KINDS), default=-1)
    return steps[:last + 1]


#==== Typed text ====

# Characters that are one unshifted key on a US keyboard, by QEMU sendkey name.
PLAIN_KEYS = {
    '-': 'minus', '=': 'equal', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash',
    ';': 'semicolon', "'": 'apostrophe', '`': 'grave_accent', ',': 'comma', '.': 'dot',
    '/': 'slash', ' ': 'spc', '\n': 'ret', '\t': 'tab', '\b': 'backspace', '\x1b': 'esc',
}
# Characters typed with Shift held, by the key under them.
SHIFTED_KEYS = {
    '!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9',
    ')': '0', '_': 'minus', '+': 'equal', '{': 'bracket_left', '}': 'bracket_right',
    '|': 'backslash', ':': 'semicolon', '"': 'apostrophe', '~': 'grave_accent', '<': 'comma',
    '>': 'dot', '?': 'slash',
}
# The backslash escapes of `type:`, `serial:`, `after:` and `screen:` text.
# (\r and \xHH are for serial: text, where any byte may be sent.)
ESCAPES = {'n': '\n', 'b': '\b', 't': '\t', 'e': '\x1b', 's': ' ', '\\': '\\', '{': '{',
           'r': '\r'}


# x_keysyms: every key name a case may use (QEMU's sendkey names), with the X keysym that
# Bochs's VNC display understands for it.
def x_keysyms():
    syms = {c: ord(c) for c in 'abcdefghijklmnopqrstuvwxyz0123456789'}
    syms.update({name: ord(c) for c, name in PLAIN_KEYS.items() if len(c) == 1 and c >= ' '})
    syms.update({
        'ret': 0xff0d, 'tab': 0xff09, 'backspace': 0xff08, 'esc': 0xff1b, 'delete': 0xffff,
        'insert': 0xff63, 'home': 0xff50, 'end': 0xff57, 'pgup': 0xff55, 'pgdn': 0xff56,
        'left': 0xff51, 'up': 0xff52, 'right': 0xff53, 'down': 0xff54,
        'shift': 0xffe1, 'shift_r': 0xffe2, 'ctrl': 0xffe3, 'ctrl_r': 0xffe4, 'alt': 0xffe9,
        'alt_r': 0xffea, 'caps_lock': 0xffe5, 'num_lock': 0xff7f, 'scroll_lock': 0xff14,
        'print': 0xff61, 'pause': 0xff13, 'kp_enter': 0xff8d, 'kp_add': 0xffab,
        'kp_subtract': 0xffad, 'kp_multiply': 0xffaa, 'kp_divide': 0xffaf,
        'kp_decimal': 0xffae,
    })
    syms.update({'f%d' % n: 0xffbe + n - 1 for n in range(1, 13)})
    syms.update({'kp_%d' % n: 0xffb0 + n for n in range(10)})
    return syms


KEYSYMS = x_keysyms()
# Keys whose press and release take more than the usual two bytes of scan codes (E0 prefixes).
SCAN_CODE_BYTES = dict({name: 4 for name in ('up', 'down', 'left', 'right', 'home', 'end',
                                             'pgup', 'pgdn', 'insert', 'delete', 'kp_enter',
                                             'kp_divide', 'ctrl_r', 'alt_r')},
                       pause=6, print=8)


# scan_code_bytes: how many bytes of set-1 scan codes pressing and releasing a chord makes.
def scan_code_bytes(names):
    return sum(SCAN_CODE_BYTES.get(name, 2) for name in names)


# char_chord: the keys that type one character, e.g. 'A' -> ['shift', 'a'].
def char_chord(c):
    if c in PLAIN_KEYS:
        return [PLAIN_KEYS[c]]
    if c.isascii() and (c.islower() or c.isdigit()):
        return [c]
    if c.isascii() and c.isupper():
        return ['shift', c.lower()]
    if c in SHIFTED_KEYS:
        return ['shift', SHIFTED_KEYS[c]]
    raise CaseError('no key types %r' % c)


# escaped: the character that the backslash escape at TEXT[I] stands for, and the escape's
# length: \xHH is any byte, the others are two characters long.
def escaped(text, i):
    if re.fullmatch(r'\\x[0-9a-fA-F]{2}', text[i:i + 4]):
        return chr(int(text[i + 2:i + 4], 16)), 4
    if i + 1 >= len(text) or text[i + 1] not in ESCAPES:
        raise CaseError('bad escape %r' % text[i:i + 2])
    return ESCAPES[text[i + 1]], 2


# unescape: split TEXT into literal characters and {...} groups, resolving the backslash
# escapes. Returns a list of ('char', c) and ('group', contents).
def unescape(text):
    parts, i = [], 0
    while i < len(text):
        c = text[i]
        if c == '\\':
            char, length = escaped(text, i)
            parts.append(('char', char))
            i += length
        elif c == '{':
            end = text.find('}', i)
            if end < 0:
                raise CaseError('"{" without "}" (write \\{ for a brace)')
            parts.append(('group', text[i + 1:end].strip().lower()))
            i = end + 1
        else:
            parts.append(('char', c))
            i += 1
    return parts


# plain_text: TEXT of an after: or screen: line with its backslash escapes resolved (braces
# are just braces there).
def plain_text(text):
    chars, i = [], 0
    while i < len(text):
        if text[i] == '\\':
            char, length = escaped(text, i)
            chars.append(char)
            i += length
        else:
            chars.append(text[i])
            i += 1
    return ''.join(chars)


# pause_seconds: the wait a group like "pause 5" asks for (tenths of a second), or None.
def pause_seconds(group):
    m = re.fullmatch(r'pause\s+([0-9]+)', group)
    return int(m.group(1)) / 10 if m else None


# guest_chord: inside a guest (the harness's --guest, PEBBLES_GUEST=1) Alt+Fn stays with the
# machine's kernel, and the guest switches its consoles with Ctrl+Alt+Fn: so {alt-f2} is typed
# as {ctrl-alt-f2} there, and a case means the same in both.
def guest_chord(names):
    fkey = any(re.fullmatch(r'f[0-9]+', n) for n in names)
    if os.environ.get('PEBBLES_GUEST') == '1' and fkey and 'alt' in names and 'ctrl' not in names:
        return ['ctrl'] + names
    return names


# key_actions: what a `type:` TEXT does, as ('keys', [names...]) chords (pressed in order,
# released in reverse) and ('pause', seconds).
def key_actions(text):
    actions = []
    for kind, value in unescape(text):
        if kind == 'char':
            actions.append(('keys', char_chord(value)))
        elif pause_seconds(value) is not None:
            actions.append(('pause', pause_seconds(value)))
        else:
            names = value.split('-')
            for name in names:
                if name not in KEYSYMS:
                    raise CaseError('unknown key %r in {%s}' % (name, value))
            actions.append(('keys', guest_chord(names)))
    return actions


# serial_actions: what a `serial:` TEXT does, as ('bytes', b'...') and ('pause', seconds).
def serial_actions(text):
    actions = []
    for kind, value in unescape(text):
        if kind == 'group':
            if pause_seconds(value) is None:
                raise CaseError('only {pause N} is allowed in serial text, not {%s}' % value)
            actions.append(('pause', pause_seconds(value)))
        elif actions and actions[-1][0] == 'bytes':
            actions[-1] = ('bytes', actions[-1][1] + value.encode('latin-1'))
        else:
            actions.append(('bytes', value.encode('latin-1')))
    return actions


# lint: the first bad typist line of a case, as a message, or None.
def lint(steps):
    shot = False
    for number, kind, value in steps:
        try:
            if kind == 'type':
                key_actions(value)
            elif kind == 'serial':
                serial_actions(value)
            elif kind == 'screenshot':
                if not re.fullmatch(r'[A-Za-z0-9_.-]+', value):
                    raise CaseError('a screenshot name is letters, digits, "_", "-" and "."')
                shot = True
            elif kind == 'screen' and not shot:
                raise CaseError('screen: before any screenshot:')
            elif kind in ('after', 'screen'):
                plain_text(value)
        except CaseError as e:
            return 'line %d: %s' % (number, e)
    return None


#==== Matching the output ====

# ere_to_python: a POSIX extended regular expression (as grep -E takes it) in Python's syntax.
# The two agree on everything the cases use except the bracket classes, spelled out here.
def ere_to_python(pattern):
    classes = {
        'alpha': 'A-Za-z', 'digit': '0-9', 'alnum': 'A-Za-z0-9', 'upper': 'A-Z',
        'lower': 'a-z', 'xdigit': '0-9A-Fa-f', 'space': ' \\t\\n\\r\\f\\v', 'blank': ' \\t',
        'print': ' -~', 'graph': '!-~', 'punct': re.escape('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'),
    }
    for name, members in classes.items():
        pattern = pattern.replace('[:%s:]' % name, members)
    return pattern


# line_matches: whether one output line (trailing white space dropped) is the expected one.
def line_matches(kind, want, line):
    line = line.rstrip(' \t\v\f\r')
    if kind == 'expect':
        return line == want.rstrip(' ')
    try:
        return re.fullmatch(ere_to_python(want), line) is not None
    except re.error:
        raise CaseError('bad regex: %s' % want) from None


# find_step: where the output TEXT, searched from POS, satisfies one expectation: the position
# just after it, or None. expect/expect-re need a whole line starting at or after POS (only a
# finished line, unless COMPLETE says the output is all there); after needs the substring.
def find_step(text, pos, kind, want, complete):
    if kind == 'after':
        want = plain_text(want)
        i = text.find(want, pos)
        return None if i < 0 else i + len(want)
    start = pos
    if start > 0 and text[start - 1] != '\n':
        start = text.find('\n', start) + 1
        if start == 0:
            return None
    while start < len(text):
        end = text.find('\n', start)
        if end < 0:
            if not complete:
                return None
            end = len(text)
        if line_matches(kind, want, text[start:end]):
            return min(end + 1, len(text))
        start = end + 1
    return None


# bochs_console: the guest's part of Bochs's stdout so far: what follows the debugger's first
# stop line, "(0) [0x...] ..." (before it come Bochs's banner and the debugger's greeting).
def bochs_console(text):
    m = re.search(r'^\(0\) \[0x[0-9a-f]+\] [^\n]*\n', text, re.M)
    return text[m.end():] if m else ''


class LiveOutput:
    """The console output of a running emulator, read from its stdout file as it grows."""

    def __init__(self, path, emu):
        self.path, self.emu, self.data = path, emu, b''
        self.file = None

    # text: everything the guest has printed so far, without carriage returns.
    def text(self):
        if self.file is None and os.path.exists(self.path):
            self.file = open(self.path, 'rb')
        if self.file is not None:
            self.data += self.file.read()
        text = self.data.decode('latin-1').replace('\r', '')
        return bochs_console(text) if self.emu == 'bochs' else text


#==== Screens ====

# The 16 colours of the VGA text palette, as the BIOS sets them up.
VGA_RGB = [(0, 0, 0), (0, 0, 170), (0, 170, 0), (0, 170, 170), (170, 0, 0), (170, 0, 170),
           (170, 85, 0), (170, 170, 170), (85, 85, 85), (85, 85, 255), (85, 255, 85),
           (85, 255, 255), (255, 85, 85), (255, 85, 255), (255, 255, 85), (255, 255, 255)]
FONT_ROMS = ['/usr/share/bochs/VGABIOS-lgpl-latest', '/usr/share/vgabios/vgabios.bin',
             '/usr/share/seabios/vgabios-stdvga.bin']
ROWS, COLS, CELL_H = 25, 80, 16
SETTLE_PICTURES = 8       # pictures a screenshot may take while the screen keeps changing
SCREEN_WAIT = 10          # seconds a screenshot may wait for its screen: lines to show


# rom_font: the 8x16 font (256 glyphs of 16 bytes) inside a VGA BIOS image, found as the block
# where glyph 0 is blank, 'A' has its usual shape and 0xDB is a full block; or None.
def rom_font(path):
    try:
        with open(path, 'rb') as f:
            rom = f.read()
    except OSError:
        return None
    shape_a = bytes.fromhex('0000103' '86cc6c6fec6c6c6c6000000' '00')
    at = rom.find(shape_a)
    while at >= 0:
        base = at - 0x41 * 16
        font = rom[base:base + 4096]
        if base >= 0 and len(font) == 4096 and font[:16] == bytes(16) and \
                font[0xdb * 16:0xdc * 16] == b'\xff' * 16:
            return font
        at = rom.find(shape_a, at + 1)
    return None


# glyph_table (cached): bitmap (16 row bytes, leftmost pixel in the top bit) -> character
# code, from every VGA BIOS font found; printable ASCII wins where glyphs look alike (space
# and NUL).
@functools.lru_cache(maxsize=None)
def glyph_table():
    order = list(range(0x20, 0x7f)) + [c for c in range(256) if not 0x20 <= c < 0x7f]
    table = {}
    for path in FONT_ROMS:
        font = rom_font(path)
        for code in order if font else []:
            table.setdefault(font[code * 16:code * 16 + 16], code)
    if not table:
        raise CaseError('no VGA BIOS font to read the screen with (packages vgabios, bochsbios)')
    return table


class Frame:
    """A picture of the screen: WIDTH x HEIGHT pixels, each row RGB bytes."""

    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows

    # png: the picture as a PNG file (8-bit RGB, no filtering, zlib-compressed).
    def png(self):
        raw = b''.join(b'\x00' + row for row in self.rows)
        header = struct.pack('>IIBBBBB', self.width, self.height, 8, 2, 0, 0, 0)
        return (b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', header) +
                png_chunk(b'IDAT', zlib.compress(raw, 6)) + png_chunk(b'IEND', b''))

    # cells: the 25 rows of 80 text cells, each read as (ink, character): see read_cell.
    def cells(self, glyphs):
        cell_w = self.width // COLS
        return [[self.read_cell(glyphs, r * CELL_H, c * cell_w * 3) for c in range(COLS)]
                for r in range(ROWS)]

    # read_cell: the cell whose top left pixel is row Y0, byte X0 of a row. Its left 8 columns
    # (a ninth is only a gap) hold two colours, the foreground where the glyph has ink; either
    # may be the foreground. Returns the character ('?' if none fits) and its ink, the number
    # of pixels in the rarer colour: the blinking cursor adds ink, so of two pictures of a
    # cell, the one with less ink shows what is written there.
    def read_cell(self, glyphs, y0, x0):
        segments = [self.rows[y0 + y][x0:x0 + 24] for y in range(CELL_H)]
        if segments.count(segments[0]) == CELL_H and segments[0] == segments[0][:3] * 8:
            return 0, ' '                               # one colour: blank (the usual case)
        pixels = [[seg[3 * x:3 * x + 3] for x in range(8)] for seg in segments]
        flat = [p for row in pixels for p in row]
        colours = set(flat)
        if len(colours) > 2:
            return len(flat), '?'
        ink = min(flat.count(colour) for colour in colours)
        bitmaps = [bytes(sum(0x80 >> x for x in range(8) if row[x] == fg) for row in pixels)
                   for fg in colours]
        codes = [glyphs[b] for b in bitmaps if b in glyphs]
        if not codes:
            codes = [g for g in (cursor_glyph(glyphs, b) for b in bitmaps) if g is not None]
        if not codes:
            return ink, '?'
        codes.sort(key=lambda code: not 0x20 <= code < 0x7f)
        return ink, cell_text(codes[0])


# screen_text: the 25 lines of text (trailing spaces dropped) that pictures of one screen
# taken a blink apart show (GRIDS: their cells): each cell from the picture where it has the
# least ink, so that the cursor does not count as a character.
def screen_text(grids):
    return [''.join(min(grid[r][c] for grid in grids)[1] for c in range(COLS)).rstrip(' ')
            for r in range(ROWS)]


# cursor_glyph: the character under a text cursor: a glyph whose rows all match the bitmap but
# for one run of rows that the cursor shows inverted; None if there is no such glyph.
def cursor_glyph(glyphs, bitmap):
    best = None
    for glyph, code in glyphs.items():
        differ = [y for y in range(CELL_H) if glyph[y] != bitmap[y]]
        if not differ or differ != list(range(differ[0], differ[-1] + 1)):
            continue
        if all(glyph[y] ^ bitmap[y] == 0xff for y in differ):
            if best is None or len(differ) < best[0]:
                best = (len(differ), code)
    return best[1] if best else None


# cell_text: how a character code reads in the text file (code page 437; NUL as a space).
def cell_text(code):
    return ' ' if code == 0 else bytes([code]).decode('cp437')


# png_chunk: one PNG chunk: length, tag, data, CRC.
def png_chunk(tag, data):
    crc = zlib.crc32(tag + data) & 0xffffffff
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', crc)


# ppm_frame: a Frame from a binary PPM (P6, 8-bit), as QEMU's screendump writes it.
def ppm_frame(data):
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    magic, width, height = fields[0], int(fields[1]), int(fields[2])
    if magic != b'P6' or fields[3] != b'255':
        raise ValueError('not an 8-bit P6 image')
    pixels = data[i + 1:]
    stride = width * 3
    return Frame(width, height, [pixels[y * stride:(y + 1) * stride] for y in range(height)])


# save_screen: write a picture of the screen as SHOTS/NAME.png and its text as SHOTS/NAME.txt.
# The screen the emulator shows may lag the guest's video memory (Bochs redraws it a few times
# a second), so pictures are taken until the screen has settled and shows every text in WANTED
# (the case's screen: lines for this shot), or SCREEN_WAIT seconds have passed; `check` then
# judges the last one, so a screen that never shows a text still fails.
def save_screen(machine, shots, name, wanted):
    deadline = time.monotonic() + SCREEN_WAIT
    while True:
        frames, grids = settled_pictures(machine)
        text = screen_text(grids)
        if all(any(w in line for line in text) for w in wanted) or \
                time.monotonic() > deadline:
            break
    ink = [sum(cell[0] for row in grid for cell in row) for grid in grids]
    with open(os.path.join(shots, name + '.png'), 'wb') as f:
        f.write(frames[ink.index(max(ink))].png())
    with open(os.path.join(shots, name + '.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(text) + '\n')


# settled_pictures: the last two of the pictures taken until two in a row differ in no more
# than the cursor's cell (the screen may still be changing), and their cells.
def settled_pictures(machine):
    glyphs = glyph_table()
    frames, grids = [], []
    for _ in range(SETTLE_PICTURES):
        frames.append(machine.picture(first=not frames))
        grids.append(frames[-1].cells(glyphs))
        if len(grids) > 1 and cells_changed(grids[-2], grids[-1]) <= 1:
            break
    return frames[-2:], grids[-2:]


# cells_changed: in how many cells two readings of the screen show different characters.
def cells_changed(grid1, grid2):
    return sum(a[1] != b[1] for row1, row2 in zip(grid1, grid2) for a, b in zip(row1, row2))


#==== Talking to the emulators ====

# connect_retrying: a socket connected to ADDRESS (a path: Unix socket), trying again while the
# emulator is still starting up.
def connect_retrying(address):
    family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.connect(address)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise MachineGone('cannot connect to %s' % (address,))
            time.sleep(0.05)


# read_exact: exactly N bytes from a socket, or MachineGone when it closes first.
def read_exact(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise MachineGone('connection closed')
        data += chunk
    return data


class Machine:
    """What both emulators offer the typist: keys, COM1, screens, and whether it still runs."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.gone = threading.Event()
        self.com1 = None

    # copy_com1: keep the COM1 socket drained into com1.txt until the emulator closes it.
    def copy_com1(self):
        with open(os.path.join(self.workdir, 'com1.txt'), 'ab') as log:
            while True:
                try:
                    data = self.com1.recv(4096)
                except OSError:
                    data = b''
                if not data:
                    break
                log.write(data)
                log.flush()
        self.gone.set()

    # start_com1: connect COM1 (the emulator waits for us before it starts the guest).
    def start_com1(self, address):
        self.com1 = connect_retrying(address)
        threading.Thread(target=self.copy_com1, daemon=True).start()

    # send_serial: carry out `serial:` actions (bytes to COM1, pauses).
    def send_serial(self, actions):
        for kind, value in actions:
            if kind == 'pause':
                time.sleep(value)
                continue
            try:
                self.com1.sendall(value)
            except OSError:
                raise MachineGone('COM1 closed') from None

    # type_keys: carry out `type:` actions (key chords, pauses).
    def type_keys(self, actions):
        for kind, value in actions:
            if kind == 'pause':
                time.sleep(value)
            else:
                self.press_chord(value)

    # wait_gone: wait until the emulator has exited.
    def wait_gone(self):
        self.gone.wait()


class Qemu(Machine):
    """QEMU: COM1 on DIR/com1.sock, the QMP monitor on DIR/qmp.sock."""

    def connect(self):
        self.start_com1(os.path.join(self.workdir, 'com1.sock'))
        self.qmp = connect_retrying(os.path.join(self.workdir, 'qmp.sock'))
        self.replies = []
        self.replied = threading.Condition()
        threading.Thread(target=self.read_qmp, daemon=True).start()
        self.command('qmp_capabilities')

    # read_qmp: collect QMP's replies (skipping its event messages) until it closes.
    def read_qmp(self):
        try:
            for line in self.qmp.makefile('rb'):
                message = json.loads(line)
                if 'return' in message or 'error' in message:
                    with self.replied:
                        self.replies.append(message)
                        self.replied.notify()
        except OSError:
            pass                                # QEMU exited in the middle of a reply
        with self.replied:
            self.gone.set()
            self.replied.notify()

    # command: run one QMP command and return its result; MachineGone if QEMU has exited.
    def command(self, name, **arguments):
        message = {'execute': name, 'arguments': arguments} if arguments else {'execute': name}
        try:
            self.qmp.sendall(json.dumps(message).encode() + b'\n')
        except OSError:
            raise MachineGone('QEMU has exited') from None
        with self.replied:
            while not self.replies and not self.gone.is_set():
                self.replied.wait()
            if not self.replies:
                raise MachineGone('QEMU has exited')
            reply = self.replies.pop(0)
        if 'error' in reply:
            raise CaseError('QEMU: %s: %s' % (name, reply['error'].get('desc')))
        return reply['return']

    # press_chord: press the keys together, then release them (QEMU's sendkey does both).
    def press_chord(self, names):
        answer = self.command('human-monitor-command',
                              **{'command-line': 'sendkey %s %d' % ('-'.join(names),
                                                                     QEMU_HOLD_MS)})
        if answer.strip():
            raise CaseError('QEMU sendkey %s: %s' % ('-'.join(names), answer.strip()))
        time.sleep(KEY_GAP + QEMU_HOLD_MS / 1000)

    # picture: the screen as QEMU draws it (screendump of the VGA display to a PPM file). Not
    # the FIRST: a blink later, for QEMU turns the cursor on or off whenever it draws at least
    # 250 ms (wall time) after the last change.
    def picture(self, first):
        path = os.path.join(os.path.abspath(self.workdir), 'screen.ppm')
        if not first:
            time.sleep(0.3)
        self.command('screendump', filename=path)
        with open(path, 'rb') as f:
            return ppm_frame(f.read())


# rgb332_colours: the RGB colour (3 bytes) of each Bochs VNC pixel value. Bochs 2.7 packs red
# in bits 7-5, green in 4-2, blue in 1-0, whatever its ServerInit message says; the 16 VGA
# text colours all come out different, so they are mapped back exactly.
def rgb332_colours():
    exact = {}
    for r, g, b in VGA_RGB:
        exact[(r * 7 + 127) // 255 << 5 | (g * 7 + 127) // 255 << 2 |
              (b * 3 + 127) // 255] = bytes((r, g, b))
    return [exact.get(p, bytes(((p >> 5) * 255 // 7, (p >> 2 & 7) * 255 // 7,
                                (p & 3) * 255 // 3))) for p in range(256)]


# loopback_up: set the UP flag of the device "lo", which starts down in a new network namespace
# (what `ip link set lo up` does, without needing iproute2). Bochs listens on every address.
def loopback_up():
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack('16sH14x', b'lo', 0)
        flags = struct.unpack('16sH14x', fcntl.ioctl(s, siocgifflags, request))[1]
        if not flags & iff_up:
            fcntl.ioctl(s, siocsifflags, struct.pack('16sH14x', b'lo', flags | iff_up))


class Bochs(Machine):
    """Bochs: COM1 on port 5555 and the VNC display on port 5900, reached on 127.0.0.1 inside
    the network namespace that Bochs and the typist share."""

    def connect(self):
        loopback_up()
        self.start_com1(('127.0.0.1', COM1_PORT))
        self.rfb = connect_retrying(('127.0.0.1', RFB_PORT))
        self.handshake()
        self.updates = 0                    # frame-buffer updates received
        self.answers = 0                    # of which answers to a request for the whole
        self.lock = threading.Lock()
        self.updated = threading.Condition(self.lock)
        threading.Thread(target=self.read_rfb, daemon=True).start()

    # handshake: RFB 3.3 without security; learn the frame buffer's size (Bochs's window: a
    # tool bar, the 720x480 display area, a status bar), 8 bits a pixel.
    def handshake(self):
        version = read_exact(self.rfb, 12)
        if not version.startswith(b'RFB 003.'):
            raise MachineGone('not a VNC server: %r' % version)
        self.rfb.sendall(b'RFB 003.003\n')
        if struct.unpack('>I', read_exact(self.rfb, 4))[0] != 1:
            raise MachineGone('the VNC server wants a password')
        self.rfb.sendall(b'\x01')                       # shared session
        init = read_exact(self.rfb, 24)
        self.width, self.height = struct.unpack('>HH', init[:4])
        read_exact(self.rfb, struct.unpack('>I', init[20:24])[0])   # the desktop's name
        self.screen = bytearray(self.width * self.height)
        self.top = self.height - 480 - 18                # the tool bar's height

    # read_rfb: apply every frame-buffer update Bochs sends (raw encoding, the only one it
    # uses) and skip its other messages, until it closes. Bochs blocks if nobody reads.
    def read_rfb(self):
        try:
            while True:
                kind = read_exact(self.rfb, 1)[0]
                if kind == 0:
                    self.read_update()
                elif kind == 1:
                    _, _, count = struct.unpack('>BHH', read_exact(self.rfb, 5))
                    read_exact(self.rfb, 6 * count)
                elif kind == 3:
                    read_exact(self.rfb, struct.unpack('>3xI', read_exact(self.rfb, 7))[0])
                elif kind != 2:                          # 2 is the bell
                    raise MachineGone('unknown VNC message %d' % kind)
        except (MachineGone, OSError):
            with self.lock:
                self.gone.set()
                self.updated.notify_all()

    # read_update: one FramebufferUpdate: its rectangles of raw pixels, into self.screen.
    def read_update(self):
        count = struct.unpack('>xH', read_exact(self.rfb, 3))[0]
        for _ in range(count):
            x, y, w, h, encoding = struct.unpack('>HHHHi', read_exact(self.rfb, 12))
            if encoding != 0:
                continue                                 # a pseudo-encoding: no pixels
            pixels = read_exact(self.rfb, w * h)
            with self.lock:
                for row in range(min(h, self.height - y)):
                    at = (y + row) * self.width + x
                    self.screen[at:at + w] = pixels[row * w:row * w + w]
                if (x, y, w, h) == (0, 0, self.width, self.height):
                    self.answers += 1
        with self.lock:
            self.updates += 1
            self.updated.notify_all()

    # key_event: one key going down or up; then a pause, so that Bochs never queues many.
    def key_event(self, keysym, down):
        try:
            self.rfb.sendall(struct.pack('>BBxxI', 4, int(down), keysym))
        except OSError:
            raise MachineGone('Bochs has exited') from None
        time.sleep(KEY_GAP)

    # type_keys: carry out `type:` actions, in batches that Bochs's keyboard can hold. Bochs
    # hands the key events it has received to its keyboard only now and then (when it redraws,
    # a few times a second; never, while the host keeps it waiting), and the keyboard drops
    # scan codes beyond 16; so after at most KBD_BATCH bytes of scan codes, wait until Bochs
    # has taken the keys. Taken is not yet read by the guest: a batch of at most half the
    # keyboard's room leaves space for one batch the guest has not read yet (a 12-byte batch
    # once lost a key under load, in bochs-m1/readline_typeahead).
    def type_keys(self, actions):
        pending = 0
        for kind, value in actions:
            if kind == 'pause':
                self.sync()
                pending = 0
                time.sleep(value)
                continue
            if pending + scan_code_bytes(value) > KBD_BATCH:
                self.sync()
                pending = 0
            self.press_chord(value)
            pending += scan_code_bytes(value)
        self.sync()

    # sync: wait until Bochs has handed every key event sent so far to its keyboard. It does
    # that just before it answers a request for the whole frame buffer, which we then wait for.
    # Bochs loses a request that comes while it finishes sending an update: then ask again.
    def sync(self):
        with self.lock:
            seen = self.answers
        while True:
            try:
                self.rfb.sendall(struct.pack('>BBHHHH', 3, 0, 0, 0, self.width, self.height))
            except OSError:
                raise MachineGone('Bochs has exited') from None
            with self.lock:
                self.updated.wait_for(lambda: self.answers > seen or self.gone.is_set(), 1)
                if self.gone.is_set():
                    raise MachineGone('Bochs has exited')
                if self.answers > seen:
                    return

    # press_chord: press the keys in order, release them in reverse.
    def press_chord(self, names):
        for name in names:
            self.key_event(KEYSYMS[name], True)
        for name in reversed(names):
            self.key_event(KEYSYMS[name], False)

    # picture: the text screen (720x400 under the tool bar): the FIRST as Bochs answers a
    # request for the whole frame buffer, the others after its next redraw (it redraws the
    # text every few hundred milliseconds, as the cursor blinks).
    def picture(self, first):
        if first:
            self.sync()
        else:
            with self.lock:
                seen = self.updates
            self.wait_update(seen)
        return self.snapshot()

    # wait_update: wait (at most a second) until more than SEEN updates have come in.
    def wait_update(self, seen):
        with self.lock:
            self.updated.wait_for(lambda: self.updates > seen or self.gone.is_set(), 1)
            if self.gone.is_set():
                raise MachineGone('Bochs has exited')

    # snapshot: the text area of the frame buffer now, as a Frame.
    def snapshot(self):
        colours = rgb332_colours()
        with self.lock:
            rows = [self.screen[(self.top + y) * self.width:(self.top + y) * self.width + 720]
                    for y in range(400)]
        return Frame(720, 400, [b''.join(colours[p] for p in row) for row in rows])


#==== Commands ====

class Progress:
    """DIR/typist.txt: one line a step, with the seconds since the typist started; the last
    line says how things stand, for the harness: 'done', 'waiting for: TEXT', 'never saw:
    TEXT' or 'error: WHY'."""

    def __init__(self, path):
        self.file = open(path, 'w', encoding='utf-8')
        self.start = time.monotonic()

    # say: add one line.
    def say(self, line):
        self.file.write('%6.2f %s\n' % (time.monotonic() - self.start, line))
        self.file.flush()


# wait_for: wait until the live output satisfies one expectation; the new position. Ends the
# run's typing with "never saw" if the emulator exits first.
def wait_for(machine, output, pos, kind, want, progress):
    progress.say('waiting for: %s' % want)
    while True:
        exited = machine.gone.is_set()
        found = find_step(output.text(), pos, kind, want, False)
        if found is not None:
            return found
        if exited:
            raise MachineGone('never saw: %s' % want)
        time.sleep(POLL)


# carry_out: one action step of a case (WANTED: each screenshot's screen: texts).
def carry_out(machine, kind, value, shots, wanted, progress):
    progress.say('%s: %s' % (kind, value))
    if kind == 'type':
        machine.type_keys(key_actions(value))
    elif kind == 'serial':
        machine.send_serial(serial_actions(value))
    elif kind == 'screenshot':
        save_screen(machine, shots, value, wanted.get(value, []))


# remove_old_shots: delete the pictures an earlier run of the case left under these names.
def remove_old_shots(steps, shots):
    for _, kind, value in steps:
        for ext in ('.png', '.txt') if kind == 'screenshot' else ():
            if os.path.exists(os.path.join(shots, value + ext)):
                os.remove(os.path.join(shots, value + ext))


# on_term: at a time-out (SIGTERM from timeout), show in typist.log where we were, and leave.
def on_term(signum, _frame):
    faulthandler.dump_traceback(all_threads=True)
    os._exit(128 + signum)


def cmd_drive(emu, workdir, case, shots):
    signal.signal(signal.SIGTERM, on_term)
    all_steps = read_steps(case)
    steps = live_steps(all_steps)
    progress = Progress(os.path.join(workdir, 'typist.txt'))
    remove_old_shots(steps, shots)
    machine = Qemu(workdir) if emu == 'qemu' else Bochs(workdir)
    try:
        progress.say('connecting to %s' % emu)
        machine.connect()
        progress.say('connected')
        run_steps(machine, steps, LiveOutput(os.path.join(workdir, 'raw.txt'), emu),
                  shots, screen_wants(all_steps), progress)
    except MachineGone as e:
        progress.say(str(e) if str(e).startswith('never saw') else 'error: %s' % e)
        return 1
    except (CaseError, OSError, ValueError) as e:
        progress.say('error: %s' % e)
        return 1
    machine.wait_gone()                 # keep COM1 and the display drained until the end
    return 0


# run_steps: wait for each expectation, carry out each action, in order. The machine may stop
# during the last keys (the program they were for ends the test), but no sooner.
def run_steps(machine, steps, output, shots, wanted, progress):
    pos = 0
    for index, (_, kind, value) in enumerate(steps):
        if kind in MATCH_KINDS:
            pos = wait_for(machine, output, pos, kind, value, progress)
        if kind not in ACTION_KINDS:
            continue
        try:
            carry_out(machine, kind, value, shots, wanted, progress)
        except MachineGone:
            if kind == 'screenshot':
                raise MachineGone('screenshot %s came after the machine stopped' % value) \
                    from None
            if index < len(steps) - 1:
                raise
            progress.say('done (the machine stopped during the last keys)')
            return
    progress.say('done')


# screen_wants: for each screenshot of STEPS, the texts its screen: lines look for.
def screen_wants(steps):
    wanted, shot = {}, None
    for _, kind, value in steps:
        if kind == 'screenshot':
            shot = value
            wanted.setdefault(shot, [])
        elif kind == 'screen' and shot is not None:
            wanted[shot].append(plain_text(value))
    return wanted


# screen_lines: the saved text of screenshot NAME, or None if it was not taken.
def screen_lines(shots, name):
    try:
        with open(os.path.join(shots, name + '.txt'), encoding='utf-8') as f:
            return f.read().split('\n')
    except OSError:
        return None


def cmd_check(case, log, shots):
    with open(log, 'rb') as f:
        text = f.read().decode('latin-1').replace('\r', '')
    try:
        problem = first_miss(read_steps(case), text, shots)
    except CaseError as e:
        problem = 'bad case: %s' % e
    if problem:
        print(problem[:90])
        return 1
    return 0


# first_miss: the first expectation of STEPS that the output TEXT or a screenshot in SHOTS
# does not meet, as a message; None if all are met.
def first_miss(steps, text, shots):
    pos, screen, shot = 0, None, None
    for _, kind, value in steps:
        if kind in MATCH_KINDS:
            found = find_step(text, pos, kind, value, True)
            if found is None:
                return miss_message(text, kind, value)
            pos = found
        elif kind == 'screenshot':
            shot, screen = value, screen_lines(shots, value)
        elif kind == 'screen':
            if screen is None:
                return 'no screenshot %s' % shot if shot else 'screen: before a screenshot'
            if not any(plain_text(value) in line for line in screen):
                return 'not on screen %s: %s' % (shot, value)
    return None


# miss_message: why an expectation was not found: out of order, or not there at all.
def miss_message(text, kind, want):
    anywhere = find_step(text, 0, kind, want, True) is not None
    if anywhere:
        return 'out of order: %s' % want if kind == 'after' else 'line out of order: %s' % want
    return {'expect': 'missing line: ', 'expect-re': 'no line matches: ',
            'after': 'never saw: '}[kind] + want


def cmd_lint(case):
    problem = lint(read_steps(case))
    if problem:
        print(problem)
        return 1
    return 0


def cmd_keys(text):
    try:
        for kind, value in key_actions(text):
            print('pause %.1f s' % value if kind == 'pause' else '-'.join(value))
    except CaseError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


def main(argv):
    commands = {'drive': (cmd_drive, 4), 'check': (cmd_check, 3), 'lint': (cmd_lint, 1),
                'keys': (cmd_keys, 1)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__.split('\n\n')[1], file=sys.stderr)
        return 2
    return commands[argv[1]][0](*argv[2:])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
