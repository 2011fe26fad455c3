#!/usr/bin/env python3
"""word-spaces.py [--right X] [--limit R] [--size PT] FILE.pdf...

Measures inter-word spaces on the justified lines of PDFs, as a multiple of
the font's natural space, from `pdftotext -bbox-layout`. A justified line is
one that ends at the right edge of the text (X points from the page's left
edge; default: where most lines of more than three words end, the
measure's edge). The
font size of a line is its words' height / 1.107 (Liberation Serif's ascent
plus descent) unless --size gives it (fonts whose boxes pdftotext measures
otherwise, such as pdflatex's Times); its natural space 0.25 em (Liberation
Serif's and Times's). Prints, per file: justified lines,
lines whose widest space exceeds R times natural (default 1.5), the widest
ratio, and the widest line's right edge."""
import re
import subprocess
import sys

EM_HEIGHT = 1.107
SPACE_EM = 0.25


def lines_of(path):
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], check=True,
                         capture_output=True, text=True).stdout
    page_w = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    for line in re.findall(r"<line .*?</line>", xml, re.S):
        words = [tuple(map(float, m)) for m in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)"', line)]
        yield page_w, words


def main(argv):
    right, limit, fixed, files = None, 1.5, None, []
    it = iter(argv)
    for arg in it:
        if arg == "--right":
            right = float(next(it))
        elif arg == "--limit":
            limit = float(next(it))
        elif arg == "--size":
            fixed = float(next(it))
        else:
            files.append(arg)
    for path in files:
        justified = above = 0
        worst = 0.0
        widest = 0.0
        lines = [(w, words) for w, words in lines_of(path) if words]
        # The text's right edge: the line ends most lines of several words
        # share (the measure, [layout] measure, is narrower than the page).
        ends = [round(words[-1][2]) for _, words in lines if len(words) > 3]
        common = max(set(ends), key=ends.count) if ends else None
        for page_w, words in lines:
            edge = right if right is not None else (
                max(e for _, ws in lines for e in [ws[-1][2]] if abs(e - common) <= 1)
                if common is not None else page_w - 20 / 25.4 * 72)
            widest = max(widest, words[-1][2])
            if len(words) < 2 or abs(words[-1][2] - edge) > 0.6:
                continue
            size = fixed or (words[0][3] - words[0][1]) / EM_HEIGHT
            space = SPACE_EM * size
            gaps = [(b[0] - a[2]) / space for a, b in zip(words, words[1:])]
            justified += 1
            worst = max(worst, max(gaps))
            if max(gaps) > limit + 1e-6:
                above += 1
        print(f"{path}: {justified} justified lines, {above} above {limit}x, "
              f"widest space {worst:.2f}x, rightmost edge {widest:.2f}")


main(sys.argv[1:])
