#!/usr/bin/env python3
"""page_lines.py PDF PAGE [TOP BOTTOM] — the text lines of one page (1-based)
as poppler sees them (pdftotext -bbox-layout), one per output line:
"x0 y0 x1 y1 text", in millimetres from the page's top left corner, rounded
to a tenth. With TOP and BOTTOM (mm), only the lines whose box lies between
them. The page-design tests compare this with what they expect."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4


def lines(pdf, page):
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), pdf, "-"],
                           check=True, capture_output=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(xhtml)
    for line in root.iterfind(".//h:line", ns):
        words = [w.text or "" for w in line.iterfind("h:word", ns)]
        box = [float(line.get(k)) / MM for k in ("xMin", "yMin", "xMax", "yMax")]
        yield box, " ".join(words)


def main():
    pdf, page = sys.argv[1], int(sys.argv[2])
    top = float(sys.argv[3]) if len(sys.argv) > 3 else -1
    bottom = float(sys.argv[4]) if len(sys.argv) > 4 else 1e9
    found = sorted(lines(pdf, page), key=lambda item: (round(item[0][1], 1), item[0][0]))
    for box, text in found:
        if box[1] >= top and box[3] <= bottom:
            print("%.1f %.1f %.1f %.1f %s" % (*box, re.sub(r"\s+", " ", text)))


if __name__ == "__main__":
    main()
