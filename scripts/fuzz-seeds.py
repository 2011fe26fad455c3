#!/usr/bin/env python3
"""fuzz-seeds.py TARGET CORPUS — writes seeds close to the fuzzers' 1 MB input
limit into CORPUS, made from the example workspace (scripts/fuzz.sh calls it).
Existing seeds are left alone, so a growing corpus keeps its own."""
import os
import random
import struct
import sys
import zlib

LIMIT = 1_000_000


def put(corpus, name, data):
    path = os.path.join(corpus, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data[:LIMIT])


def read(path):
    with open(path, "rb") as f:
        return f.read()


def csv(corpus):
    src = read("letters/petitions/oil-workers-2022.csv").splitlines(keepends=True)
    out, n = [src[0]], 0
    while sum(map(len, out)) < LIMIT - 2000:
        n += 1  # distinct e-mails, so that rows are not all duplicates
        out += [r.replace(b"@", b"%d@" % n, 1) for r in src[1:]]
    put(corpus, "big-rows.csv", b"".join(out)[: LIMIT - 2000].rsplit(b"\n", 1)[0] + b"\n")
    put(corpus, "big-name.csv", src[0] + b"Individual," + b"A" * (LIMIT - 200) + b",,,,FR,a@example.org,2022-05-02 17:40,\n")


def letter(corpus):
    xml = read("letters/kazakhstan-2011.xml")
    word = b"Mangystau" * 40_000  # one 360 KB word: shaping and breaking
    para = b"workers were beaten " * 30_000  # a 600 KB paragraph
    put(corpus, "big-word.xml", xml.replace(b"<body>", b"<body><p>" + word + b"</p>", 1))
    put(corpus, "big-paragraph.xml", xml.replace(b"<body>", b"<body><p>" + para + b"</p>", 1))


def template(corpus):
    xml = read("templates/solidarity/en.xml")
    line = b"<line>{{ recipient.name }} {{ letter.reference | default:'DRAFT' }}</line>\n"
    block = b"<address>" + line * (LIMIT // len(line) - 100) + b"</address>"
    put(corpus, "big-address.xml", xml.replace(b"<address>", block + b"<address>", 1))


def ini(corpus):
    base = read("missive.ini")
    comment = b"; a note an office kept in its settings, line %d\n"
    out = bytearray(base)
    n = 0
    while len(out) < LIMIT - 200:
        n += 1
        out += comment % n
    put(corpus, "big-comments.ini", bytes(out))
    put(corpus, "big-value.ini", base.replace(b"series = LT", b"series = " + b"L" * (LIMIT - len(base) - 100), 1))


def png(corpus):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rnd = random.Random(12)
    w = h = 560  # noise does not compress: about 940 KB
    rows = b"".join(b"\0" + bytes(rnd.getrandbits(8) for _ in range(w * 3)) for _ in range(h))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
    put(corpus, "big-noise.png", data)


if __name__ == "__main__":
    target, corpus = sys.argv[1], sys.argv[2]
    {"csv": csv, "letter": letter, "template": template, "ini": ini, "png": png}[target](corpus)
