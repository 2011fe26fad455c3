#!/usr/bin/env python3
"""struct_words.py TEXT.txt STRUCT.txt

Compares the words of missive's text output with the words of the PDF's
structure tree (`pdfinfo -struct-text` output: the quoted strings in tree
order). Both are read as lines of words; a line ending in "-" or "/" (a
break inside a word like Санкт-Петербург or ICEM-IMF11/EN) joins the next;
a hyphen the PDF's hyphenation added is dropped in the join.
Signatures side by side in the text output are read column by column, as
the structure tree reads them one signatory after another. Prints the first
differences and exits 1 when the words differ."""
import difflib
import re
import sys


def columns(group):
    """The lines of a block set in columns, read column by column."""
    starts = set()
    for line in group:
        starts.update(m.end() for m in re.finditer(r"(?:^|\S)( {3,})(?=\S)", line))
        starts.add(len(line) - len(line.lstrip()))
    cuts = sorted(starts)
    out = []
    for i, start in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else None
        out.extend(line[start:end].strip() for line in group if line[start:end].strip())
    return out


def text_lines(path):
    lines, group = [], []
    for line in open(path, encoding="utf-8").read().split("\n"):
        if re.search(r"\S {3,}\S", line):
            group.append(line)
            continue
        if group and line.strip():
            group.append(line)  # a column's longer line, after a gap row
            continue
        if group:
            lines.extend(columns(group))
            group = []
        lines.append(line.strip())
    lines.extend(columns(group))
    return lines


def struct_lines(path):
    text = open(path, encoding="utf-8").read()
    return [s.strip() for s in re.findall(r'^\s*"(.*)"\s*$', text, flags=re.M)]


def words(lines, known=None):
    """The words of lines, a line-final "-" or "/" joined with the next
    line's first word. With known (the text output's words), a hyphen that
    makes no known word is dropped: the PDF hyphenates justified lines
    (docs/typography.md), the text output never does."""
    out, joining = [], False
    for line in lines:
        for k, word in enumerate(line.split()):
            if joining and k == 0:
                if known is not None and out[-1].endswith("-") and out[-1] + word not in known:
                    out[-1] = out[-1][:-1]
                out[-1] += word
            else:
                out.append(word)
        joining = bool(out) and bool(line.split()) and out[-1][-1] in "-/"
    return out


expected = words(text_lines(sys.argv[1]))
actual = words(struct_lines(sys.argv[2]), set(expected))
if expected == actual:
    sys.exit(0)
matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
for op, a1, a2, b1, b2 in matcher.get_opcodes()[:40]:
    if op != "equal":
        print(f"{op}: text {expected[a1:a2][:12]} structure {actual[b1:b2][:12]}"
              f" (after {' '.join(expected[max(0, a1 - 5):a1])!r})")
sys.exit(1)
