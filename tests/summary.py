#!/usr/bin/env python3
"""Prints the closing line of a test run, "N passed, N failed", from meson's
testlog.json (one JSON object per test program). N counts the checks behind
each program: every program ends its output with "NAME: N checks, M failed"
(tests/check.h, tests/lib.sh). A program that failed without reporting a
failed check (a crash, a timeout) counts as one failed check more; one that
reported nothing counts as one check. Skipped programs are counted apart."""
import json
import re
import sys

LINE = re.compile(r"^\S+: (\d+) checks, (\d+) failed$", re.M)

passed = failed = skipped = 0
programs = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        test = json.loads(line)
        programs += 1
        result = test["result"]
        if result == "SKIP":
            skipped += 1
            continue
        ok = result in ("OK", "EXPECTEDFAIL")
        counts = [(int(n), int(m)) for n, m in LINE.findall(test.get("stdout") or "")]
        checks = sum(n for n, _ in counts)
        bad = sum(m for _, m in counts)
        if not counts:
            checks, bad = 1, 0 if ok else 1
        elif not ok and bad == 0:
            checks, bad = checks + 1, 1
        passed += checks - bad
        failed += bad
print(f"{programs} test programs" + (f", {skipped} skipped" if skipped else ""))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
