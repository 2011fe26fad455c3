#!/usr/bin/env python3
"""words.py EXPECTED ACTUAL [ALLOWED...]

Compares two texts word by word (whitespace and line breaks aside). With no
ALLOWED arguments the word sequences must be identical. With ALLOWED words
(the letterhead's and footer's words), ACTUAL may differ from EXPECTED only
by inserting allowed words: nothing dropped, changed or reordered.
A word of ACTUAL ending a line in a hyphen is joined with the first word
of the next line (the PDF hyphenates justified lines; the text never
does): without the hyphen, unless EXPECTED has the word with it ("28-year").
Prints the first difference and exits 1 when they differ."""
import difflib
import sys

def words(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split()

def joined_words(path, known):
    """words(path), a line-final "frag-" joined with the next line's first word."""
    out, carry = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            tokens = line.split()
            if not tokens:
                continue
            if carry is not None:
                first = tokens[0]
                tokens[0] = carry + first if carry + first in known else carry[:-1] + first
                carry = None
            if len(tokens[-1]) > 1 and tokens[-1].endswith("-"):
                carry = tokens.pop()
            out.extend(tokens)
    if carry is not None:
        out.append(carry)
    return out


expected = words(sys.argv[1])
actual = joined_words(sys.argv[2], set(expected))
allowed = set()
for arg in sys.argv[3:]:
    allowed.update(arg.split())

matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
problems = []
for op, a1, a2, b1, b2 in matcher.get_opcodes():
    if op == "equal":
        continue
    if op == "insert" and all(w in allowed for w in actual[b1:b2]):
        continue
    problems.append(f"{op}: expected {expected[a1:a2][:12]} got {actual[b1:b2][:12]}"
                    f" (after {' '.join(expected[max(0, a1 - 5):a1])!r})")
if problems:
    print(f"{sys.argv[2]}: {len(problems)} differences from {sys.argv[1]}", file=sys.stderr)
    for p in problems[:10]:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(f"{sys.argv[2]}: {len(actual)} words, same as {sys.argv[1]}"
      + (f" plus {len(actual) - len(expected)} letterhead/footer words" if allowed else ""))
