#!/usr/bin/env python3
"""pagination.py REPORT OUT_DIR SIGNER — issue 10's page-breaking rules on
every document of a layout report (missive render --layout-report), the
PDFs in OUT_DIR named as the documents are:
- no paragraph leaves a single line on a page (no orphan, no widow);
- the closing is on the page of the signatures (SIGNER's name, found with
  pdftotext) and has at least two lines of the body before it there, so no
  page holds the signatures alone.
Prints one line per broken rule, then a summary of how often the rules were
tempted: "N documents, S paragraphs split across pages (all at least 2+2),
C closings with at most three body lines on their page"."""
import json
import subprocess
import sys


def signer_page(pdf, signer, pages):
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), pdf, "-"],
                              check=True, capture_output=True, text=True).stdout
        if signer in text:
            return page
    return 0


def main():
    report, out_dir, signer = sys.argv[1], sys.argv[2], sys.argv[3]
    documents = json.load(open(report, encoding="utf-8"))["documents"]
    failures, splits, tight = [], 0, 0
    for doc in documents:
        name = doc["name"]
        closing_page, body_pages = 0, []
        for block in doc["blocks"]:
            pages = [line["page"] for line in block["lines"]]
            if block["kind"] == "closing":
                closing_page = pages[0]
            if block["kind"] != "paragraph":
                continue
            body_pages += pages
            for page in set(pages):
                n = pages.count(page)
                if n == 1 and len(pages) > 1:
                    failures.append(f"{name}: a paragraph leaves one line on page {page}")
            if len(set(pages)) > 1:
                splits += 1
        sig = signer_page(f"{out_dir}/{name}.pdf", signer, doc["pages"])
        if sig != closing_page:
            failures.append(f"{name}: closing on page {closing_page}, signatures on {sig}")
        before = body_pages.count(closing_page)
        if before < 2:
            failures.append(f"{name}: {before} body lines on the closing's page {closing_page}")
        if before <= 3:
            tight += 1
    for f in failures:
        print(f)
    print(f"{len(documents)} documents, {splits} paragraphs split across pages (all at least "
          f"2+2), {tight} closings with at most three body lines on their page")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
