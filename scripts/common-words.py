#!/usr/bin/env python3
"""common-words.py OUT.c LANG=AFFIX,DICTIONARY[,MIN[,ANYCASE]]...

Build tool: expands each hunspell dictionary's stems by its affix rules
(prefixes, suffixes, their cross products and one level of twofold
suffixes, as hunspell reads them; FLAG long, num and UTF-8 included, which
hunspell-tools' unmunch cannot read) and writes, per language, a Bloom
filter of the lowercase word forms of at least MIN letters (default 5:
fewer cannot take a hyphen with 2 letters before and 3 after) as static C
data without pointers (src/render/common_words_tables.h). Only forms the
dictionary spells in lower case count (a common word, not a name), unless
ANYCASE is "any" (German, which capitalises its nouns). The filter keeps
12 bits a word with 8 probes: about 0.3% of words not in the dictionary
pass for words of it. missive reads no dictionary at run time."""
import re
import sys

BITS_PER_WORD = 12
PROBES = 8
MASK = (1 << 64) - 1


def mix(h):
    """splitmix64's finaliser."""
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & MASK
    return h ^ (h >> 31)


def hashes(data):
    """The two hashes of double hashing, as common_words.c computes them:
    the UTF-8 bytes in little-endian 8-byte chunks (the last padded with
    zeros), each mixed into the first."""
    h = 0x9E3779B97F4A7C15 ^ len(data)
    data += b"\0" * (-len(data) % 8)
    for i in range(0, len(data), 8):
        h = mix(h ^ int.from_bytes(data[i:i + 8], "little"))
    return h, mix(h ^ 0x5851F42D4C957F2D) | 1


def split_flags(text, kind):
    if kind == "long":
        return [text[i:i + 2] for i in range(0, len(text) - 1, 2)]
    if kind == "num":
        return [f for f in text.split(",") if f]
    return list(text)


def condition(cond, suffix):
    """A hunspell condition as a compiled regular expression."""
    if cond == ".":
        return None
    out, i = [], 0
    while i < len(cond):
        c = cond[i]
        if c == "[":
            j = cond.index("]", i)
            body = cond[i + 1:j]
            neg = body.startswith("^")
            body = body[1:] if neg else body
            out.append("[" + ("^" if neg else "") + "".join(re.escape(x) for x in body) + "]")
            i = j + 1
            continue
        out.append("." if c == "." else re.escape(c))
        i += 1
    return re.compile(("(?:%s)$" if suffix else "^(?:%s)") % "".join(out))


def read_affixes(path):
    raw = open(path, "rb").read()
    enc = "utf-8"
    m = re.search(rb"^SET\s+(\S+)", raw, re.M)
    if m:
        enc = m.group(1).decode().lower().replace("microsoft-", "")
    text = raw.decode(enc, errors="replace")
    kind, need, forbidden, rules = "char", None, None, {}
    lines = text.splitlines()
    for line in lines:
        f = line.split()
        if len(f) >= 2 and f[0] == "FLAG":
            kind = f[1].lower()
    for line in lines:
        f = line.split()
        if not f:
            continue
        if f[0] == "NEEDAFFIX" and len(f) > 1:
            need = f[1]
        elif f[0] == "FORBIDDENWORD" and len(f) > 1:
            forbidden = f[1]
        elif f[0] in ("SFX", "PFX") and len(f) == 4 and f[2] in "YN":
            rules[(f[0], f[1])] = {"cross": f[2] == "Y", "rules": []}
        elif f[0] in ("SFX", "PFX") and len(f) >= 5 and (f[0], f[1]) in rules:
            strip = "" if f[2] == "0" else f[2]
            add, _, cont = f[3].partition("/")
            add = "" if add == "0" else add
            rules[(f[0], f[1])]["rules"].append(
                (strip, add, condition(f[4], f[0] == "SFX"), split_flags(cont, kind)))
    return enc, kind, need, forbidden, rules


def apply(rules, kind_, flag, word):
    group = rules.get((kind_, flag))
    if not group:
        return
    for strip, add, cond, cont in group["rules"]:
        if kind_ == "SFX":
            if not word.endswith(strip) or (cond and not cond.search(word)):
                continue
            yield word[:len(word) - len(strip)] + add, cont, group["cross"]
        else:
            if not word.startswith(strip) or (cond and not cond.search(word)):
                continue
            yield add + word[len(strip):], cont, group["cross"]


def expand(affix, dictionary):
    enc, kind, need, forbidden, rules = read_affixes(affix)
    text = open(dictionary, "rb").read().decode(enc, errors="replace")
    for n, line in enumerate(text.splitlines()):
        if n == 0 or not line or line[0] in "#\t ":
            continue
        field = line.split()[0]
        word, _, flags = field.partition("/")
        word = word.replace("\\", "")
        flags = split_flags(flags, kind)
        if forbidden in flags:
            continue
        if need not in flags:
            yield word
        suffixed = []
        for flag in flags:
            for form, cont, cross in apply(rules, "SFX", flag, word):
                if need not in cont:
                    yield form
                suffixed.append((form, cross))
                # Twofold suffixes: a suffix's own continuation classes.
                for c in cont:
                    for form2, _, _ in apply(rules, "SFX", c, form):
                        yield form2
        for flag in flags:
            for form, _, cross in apply(rules, "PFX", flag, word):
                yield form
                if cross:
                    for sform, scross in suffixed:
                        if scross:
                            for pform, _, _ in apply(rules, "PFX", flag, sform):
                                yield pform


def letters_only(word):
    return word.isalpha()


def bloom(words):
    count = max(len(words), 1)
    bits = max(64, (count * BITS_PER_WORD + 63) // 64 * 64)
    table = [0] * (bits // 64)
    for w in words:
        h1, h2 = hashes(w.encode("utf-8"))
        for i in range(PROBES):
            bit = ((h1 + i * h2) & MASK) % bits
            table[bit >> 6] |= 1 << (bit & 63)
    return bits, table


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: common-words.py OUT.c LANG=AFFIX,DICTIONARY[,MIN[,any]]...")
    out = [f"/* Generated by scripts/common-words.py: do not edit. {BITS_PER_WORD} bits a "
           f"word, {PROBES} probes. */",
           '#include "common_words_tables.h"', ""]
    entries = []
    for arg in sys.argv[2:]:
        lang, _, spec = arg.partition("=")
        parts = spec.split(",")
        affix, dictionary = parts[0], parts[1]
        least = int(parts[2]) if len(parts) > 2 else 5
        anycase = len(parts) > 3 and parts[3] == "any"
        words = set()
        for form in expand(affix, dictionary):
            if len(form) < least or not letters_only(form):
                continue
            if anycase:
                words.add(form.lower())
            elif form == form.lower():
                words.add(form)
        bits, table = bloom(words)
        out.append(f"/* {lang}: {len(words)} forms of {least} letters or more from "
                   f"{dictionary} */")
        out.append(f"static const uint64_t {lang}_bits[] = {{")
        for i in range(0, len(table), 6):
            out.append(",".join(f"0x{v:016x}" for v in table[i:i + 6]) + ",")
        out.append("};")
        entries.append(f'    {{"{lang}", {bits}u, {PROBES}, {least}, {"true" if anycase else "false"},'
                       f" {lang}_bits}},")
        print(f"common-words: {lang}: {len(words)} forms, {bits // 8} bytes", file=sys.stderr)
    out.append("const struct common_words_table common_words_tables[] = {")
    out += entries
    out.append("};")
    out.append(f"const size_t common_words_table_count = {len(entries)};")
    open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")


main()
