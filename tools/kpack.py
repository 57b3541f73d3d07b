#!/usr/bin/env python3
"""kpack.py - pack the kernel file, so that the boot reads fewer floppy sectors.

    python3 tools/kpack.py IN OUT SPLIT

IN is the kernel as it runs (objcopy -O binary, symbols in place); OUT gets IN's first SPLIT
bytes unchanged and the rest packed. entry.asm's unpack_kernel (which lies before SPLIT, at
entry.asm's label packed_start) unpacks them in place at boot. The 8 bytes before SPLIT are
entry.asm's placeholders packed_bytes and unpacked_bytes, which this fills in.

Under Bochs the floppy turns at its real speed: 11 ms (55,000 instructions) a sector. Each
sector this saves is worth far more than the few instructions unpacking a sector's worth of
bytes costs.

The packed stream is a sequence of commands, each starting with one byte c:

    0lllllll            l + 1 literal bytes (1..128) follow: copy them
    10llllll d          copy l + 3 bytes (3..66) from d + 1 bytes back (1..256) in the output
    11llllll d0 d1      the same from (d0 | d1 << 8) + 1 bytes back (1..65536)

A copy may overlap what it produces (distance < length repeats a pattern): unpack_kernel copies
byte by byte, front to back. The stream ends when the output reaches unpacked_bytes.
"""
import struct
import sys

MIN_NEAR, MIN_FAR = 3, 4        # a near copy costs 2 bytes, a far one 3: shorter ones lose
MAX_LEN = 66
NEAR, FAR = 256, 65536
CHAIN = 512                     # how many earlier places with the same 3 bytes are tried


def longest_match(data, i, places):
    """(length, distance) of the best earlier copy of data[i:], or (0, 0)."""
    best_len, best_dist, n = 0, 0, len(data)
    for p in reversed(places[-CHAIN:]):
        dist = i - p
        if dist > FAR:
            break
        limit = min(MAX_LEN, n - i)
        length = 0
        while length < limit and data[p + length] == data[i + length]:
            length += 1
        if length < (MIN_NEAR if dist <= NEAR else MIN_FAR):
            continue
        saved = length - (2 if dist <= NEAR else 3)
        best_saved = best_len - (2 if best_dist <= NEAR else 3)
        if best_len == 0 or saved > best_saved:
            best_len, best_dist = length, dist
    return best_len, best_dist


def pack(data):
    out, literals, seen, i = bytearray(), bytearray(), {}, 0

    def note(k):                # remember where each 3-byte string starts
        if k + 3 <= len(data):
            seen.setdefault(data[k:k + 3], []).append(k)

    def flush():
        while literals:
            k = min(len(literals), 128)
            out.append(k - 1)
            out.extend(literals[:k])
            del literals[:k]

    def match_at(k):
        return longest_match(data, k, seen.get(data[k:k + 3], [])) if k + 3 <= len(data) \
            else (0, 0)

    while i < len(data):
        length, dist = match_at(i)
        if length and match_at(i + 1)[0] > length + 1:
            length = 0          # a literal now buys a longer copy next (lazy matching)
        if not length:
            note(i)
            literals.append(data[i])
            i += 1
            continue
        flush()
        if dist <= NEAR:
            out += bytes([0x80 | (length - 3), dist - 1])
        else:
            out += bytes([0xC0 | (length - 3)]) + struct.pack('<H', dist - 1)
        for k in range(i, i + length):
            note(k)
        i += length
    flush()
    return bytes(out)


def unpack(stream, size):
    """The same algorithm as unpack_kernel, to check every packed file before it is used."""
    out, i = bytearray(), 0
    while len(out) < size:
        c = stream[i]
        i += 1
        if c < 0x80:
            out += stream[i:i + c + 1]
            i += c + 1
            continue
        length = (c & 0x3F) + 3
        if c < 0xC0:
            dist = stream[i] + 1
            i += 1
        else:
            dist = (stream[i] | stream[i + 1] << 8) + 1
            i += 2
        for _ in range(length):
            out.append(out[-dist])
    return bytes(out)


def main():
    src, dst, split = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
    image = open(src, 'rb').read()
    head, tail = bytearray(image[:split]), image[split:]
    if head[split - 8:] != bytes(8):
        sys.exit('kpack: the 8 bytes before the split are not the zeroed size fields')
    packed = pack(tail)
    if unpack(packed, len(tail)) != tail:
        sys.exit('kpack: the packed kernel does not unpack to the kernel')
    head[split - 8:] = struct.pack('<II', len(packed), len(tail))
    with open(dst, 'wb') as f:
        f.write(head + packed)


if __name__ == '__main__':
    main()
