#!/usr/bin/env python3
"""words.py [--signatures] EXPECTED ACTUAL [ALLOWED...]

Compares two texts word by word (whitespace and line breaks aside). With no
ALLOWED arguments the word sequences must be identical. With ALLOWED words
(the letterhead's and footer's words), ACTUAL may differ from EXPECTED only
by inserting allowed words: nothing dropped, changed or reordered.
A word of ACTUAL ending a line in a hyphen is joined with the first word
of the next line (the PDF hyphenates justified lines; the text never
does): without the hyphen, unless EXPECTED has the word with it ("28-year").
With --signatures, EXPECTED's signature block (what follows its first run
of three blank lines, the room left for signing, to the end) is compared as
a set of words: the text output sets the signatures' columns row by row,
the PDF column by column. EXPECTED's own line-final "Sankt-" (the text
output breaks after a hyphen of the text) is joined with the next word.
Prints the first difference and exits 1 when they differ."""
import collections
import difflib
import sys

def words(text):
    """text's words, a line-final "word-" joined with the next line's
    first word, hyphen kept (the text output only breaks after hyphens
    the text has)."""
    out = []
    for line in text.split("\n"):
        tokens = line.split()
        if out and out[-1].endswith("-") and len(out[-1]) > 1 and tokens:
            out[-1] += tokens.pop(0)
        out.extend(tokens)
    return out

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


args = sys.argv[1:]
signatures = args[0] == "--signatures"
if signatures:
    args = args[1:]
text = open(args[0], encoding="utf-8").read()
expected = words(text)
tail = []
if signatures:
    cut = text.find("\n\n\n\n")
    if cut >= 0:
        tail = words(text[cut:])
        expected = words(text[:cut])
actual = joined_words(args[1], set(expected) | set(tail))
allowed = set()
for arg in args[2:]:
    allowed.update(arg.split())

matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
problems = []
end = 0
for op, a1, a2, b1, b2 in matcher.get_opcodes():
    if op == "equal":
        end = b2
        continue
    if op == "insert" and all(w in allowed for w in actual[b1:b2]):
        continue
    if tail and a1 == len(expected):
        continue  # the signature block, compared below
    problems.append(f"{op}: expected {expected[a1:a2][:12]} got {actual[b1:b2][:12]}"
                    f" (after {' '.join(expected[max(0, a1 - 5):a1])!r})")
if tail:
    rest = collections.Counter(actual[end:])
    missing = collections.Counter(tail) - rest
    extra = [w for w in (rest - collections.Counter(tail)) if w not in allowed]
    if missing or extra:
        problems.append(f"signatures: missing {sorted(missing.elements())[:12]}, "
                        f"extra {extra[:12]}")
if problems:
    print(f"{args[1]}: {len(problems)} differences from {args[0]}", file=sys.stderr)
    for p in problems[:10]:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(f"{args[1]}: {len(actual)} words, same as {args[0]}"
      + (f" plus {len(actual) - len(expected) - len(tail)} letterhead/footer words"
         if allowed else ""))
