#!/usr/bin/env python3
"""make-signature.py — draws a handwritten-looking signature scribble as an
RGBA PNG (transparent background, dark blue ink), for example data.

    scripts/make-signature.py NAME OUT.png [--width 600] [--height 200]

The drawing is seeded from NAME, so the same name always gives the same
bytes. Pure Python (zlib + struct): no imaging library needed.

The strokes are cubic Bezier curves through a loopy, trochoid-like path
(what cursive handwriting looks like from afar), drawn with a pen whose
width follows the "pressure" along the stroke; pixels are antialiased by
their distance to the pen's centre line.
"""
import argparse
import math
import random
import struct
import zlib

INK = (22, 34, 110)  # dark blue


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.alpha = [0.0] * (width * height)

    def dab_segment(self, x0, y0, x1, y1, r0, r1):
        """Antialiased thick segment, radius going from r0 to r1."""
        rmax = max(r0, r1) + 1.0
        xa, xb = int(min(x0, x1) - rmax), int(max(x0, x1) + rmax) + 1
        ya, yb = int(min(y0, y1) - rmax), int(max(y0, y1) + rmax) + 1
        dx, dy = x1 - x0, y1 - y0
        ll = dx * dx + dy * dy or 1e-9
        for py in range(max(ya, 0), min(yb, self.height)):
            row = py * self.width
            for px in range(max(xa, 0), min(xb, self.width)):
                cx, cy = px + 0.5, py + 0.5
                t = max(0.0, min(1.0, ((cx - x0) * dx + (cy - y0) * dy) / ll))
                qx, qy = x0 + t * dx - cx, y0 + t * dy - cy
                d = math.sqrt(qx * qx + qy * qy)
                cover = r0 + (r1 - r0) * t + 0.5 - d
                if cover > 0:
                    cover = min(cover, 1.0)
                    i = row + px
                    if cover > self.alpha[i]:
                        self.alpha[i] = cover

    def stroke(self, points, width, rng):
        """Draws a polyline with pressure: thin at both ends, wobbling."""
        n = len(points)
        phase = rng.uniform(0, math.tau)
        radii = []
        for i in range(n):
            t = i / max(n - 1, 1)
            taper = min(1.0, t * 8, (1 - t) * 6) ** 0.6
            wobble = 1 + 0.25 * math.sin(t * 9 + phase)
            radii.append(max(0.35, width / 2 * taper * wobble))
        for i in range(n - 1):
            (x0, y0), (x1, y1) = points[i], points[i + 1]
            self.dab_segment(x0, y0, x1, y1, radii[i], radii[i + 1])

    def png(self):
        raw = bytearray()
        for y in range(self.height):
            raw.append(0)  # filter: none
            for x in range(self.width):
                a = self.alpha[y * self.width + x]
                raw += bytes((*INK, int(round(a * 255))))

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        ihdr = struct.pack(">IIBBBBB", self.width, self.height, 8, 6, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def bezier(p0, p1, p2, p3, steps):
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append((u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                    u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]))
    return out


def smooth_path(knots, steps=14):
    """Catmull-Rom through knots, as cubic Beziers, sampled densely."""
    pts = [knots[0]] + knots + [knots[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        seg = bezier(p1, c1, c2, p2, steps)
        out.extend(seg if not out else seg[1:])
    return out


def cursive(rng, x0, x1, baseline, height, loops):
    """Knots of a trochoid-like line of handwriting from x0 to x1."""
    knots = []
    count = loops * 4
    speed = (x1 - x0) / count
    radius = speed * rng.uniform(1.1, 1.8)  # > speed: the path loops back
    for i in range(count + 1):
        a = i * math.pi / 2 + rng.uniform(-0.25, 0.25)
        h = height * rng.uniform(0.5, 1.2) * (1 - 0.35 * i / count)
        if i % 4 == 0 and rng.random() < 0.3:
            h *= rng.uniform(1.8, 2.6)  # an ascender, as in l, d or k
        x = x0 + i * speed - radius * math.sin(a) * rng.uniform(0.5, 1.0)
        y = baseline - h * (0.5 + 0.5 * math.cos(a)) + rng.uniform(-4, 4)
        knots.append((x + (baseline - y) * 0.35, y))  # the usual rightward slant
    return knots


def signature(name, width, height):
    rng = random.Random(zlib.crc32(name.encode("utf-8")))
    canvas = Canvas(width, height)
    pen = width / 95
    base = height * rng.uniform(0.62, 0.7)
    # A tall capital: a loop rising well above the line.
    cap_x = width * rng.uniform(0.08, 0.14)
    capital = [(cap_x + 10, base + 8), (cap_x - 14, base - height * 0.25),
               (cap_x + 6, base - height * 0.55), (cap_x + 34, base - height * 0.42),
               (cap_x + 16, base - height * 0.1), (cap_x + 40, base - 6)]
    canvas.stroke(smooth_path(capital), pen * 1.15, rng)
    # Given name and family name as two runs of loops.
    words = name.split() or [name]
    start = cap_x + 44
    span = width * 0.86 - start
    total = sum(max(len(w), 3) for w in words)
    for word in words:
        w = span * max(len(word), 3) / total
        loops = max(2, min(7, len(word) // 2 + rng.randint(0, 2)))
        knots = cursive(rng, start, start + w * 0.9, base, height * rng.uniform(0.22, 0.3), loops)
        canvas.stroke(smooth_path(knots), pen, rng)
        start += w
    # The flourish underneath, from right to left.
    y = base + height * rng.uniform(0.1, 0.16)
    flourish = [(width * 0.9, base - height * 0.05), (width * 0.7, y + 12),
                (width * 0.35, y + rng.uniform(-6, 6)), (width * 0.12, y - 4)]
    canvas.stroke(bezier(*flourish, 160), pen * 0.8, rng)
    return canvas.png()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=600)
    parser.add_argument("--height", type=int, default=200)
    args = parser.parse_args()
    with open(args.out, "wb") as f:
        f.write(signature(args.name, args.width, args.height))


if __name__ == "__main__":
    main()
