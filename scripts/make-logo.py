#!/usr/bin/env python3
"""make-logo.py — draws a plain example logo as an RGB PNG: a coloured disc
with a white ring, and, for a wide logo, a bar of the same colour beside
it (a word mark's place), for test letterheads.

    scripts/make-logo.py OUT.png WIDTH HEIGHT R,G,B

Pure Python (zlib + struct): no imaging library needed. Same arguments,
same bytes.
"""
import math
import struct
import sys
import zlib


def png(path, width, height, pixel):
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw.extend(pixel(x + 0.5, y + 0.5))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
        f.write(chunk(b"IEND", b""))


def main():
    out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    colour = tuple(int(c) for c in sys.argv[4].split(","))
    r = min(width, height) / 2

    def pixel(x, y):
        d = math.hypot(x - r, y - height / 2)
        inside = d < r * 0.95 and not (r * 0.45 < d < r * 0.6)
        bar = x > r * 2.3 and abs(y - height / 2) < r * 0.35
        return colour if inside or bar else (255, 255, 255)

    png(out, width, height, pixel)


main()
