#!/usr/bin/env python3
"""Count the test results the guest wrote: one line per test, then totals.

usage: report.py RESULTS_DIR; prints "passed failed skipped" last.

A kselftest program that prints TAP (kselftest_harness.h) counts each of its
tests; one that does not counts once, by its exit status (0 pass, 4 skip).
A program that fails although all its tests passed (a crash, a time-out)
counts as one more failure. Nested KTAP is read by depth: KUnit indents
subtests by four spaces; a result line is a leaf when no deeper result came
just before it, and only leaves count.
"""
import glob
import os
import re
import sys

RESULT = re.compile(r"^(not ok|ok) \d+ (?:- )?([^#]*?)\s*(?:#\s*(.*))?$")


def depth_and_text(line):
    """Strips the nesting prefixes off a line; returns their count and the rest."""
    depth = 0
    while not line.startswith(("ok ", "not ok ")):
        if line.startswith("# "):
            line = line[2:]
        elif line.startswith("    "):
            line = line[4:]
        else:
            break
        depth += 1
    return depth, line


def parse(name, lines):
    """Counts the leaf results of one (K)TAP stream; returns [passed, failed, skipped]."""
    counts = [0, 0, 0]
    last_depth = -1
    failed_children = {}
    for raw in lines:
        depth, text = depth_and_text(raw.rstrip())
        m = RESULT.match(text)
        if not m:
            continue
        ok = m.group(1) == "ok"
        test = m.group(2).strip()
        directive = (m.group(3) or "").strip()
        leaf = last_depth <= depth
        if directive.upper().startswith("SKIP"):
            if leaf:
                counts[2] += 1
                print(f"skip {name}: {test} ({directive})")
        elif leaf:
            counts[0 if ok else 1] += 1
            print(f"{'pass' if ok else 'FAIL'} {name}: {test}")
            if not ok:
                failed_children[depth - 1] = True
        elif not ok and not failed_children.get(depth):
            counts[1] += 1
            print(f"FAIL {name}: {test} (failed as a whole)")
        failed_children.pop(depth, None)
        last_depth = depth
    return counts


def kselftest(name, out_path, rc_path):
    """One kselftest program: its own TAP results if it prints any, else its exit status."""
    try:
        lines = open(out_path, errors="replace").read().splitlines()
        rc = int(open(rc_path).read().strip() or -1)
    except (OSError, ValueError):
        print(f"FAIL {name}: did not run")
        return [0, 1, 0]
    counts = parse(name, lines)
    if rc == 4 and counts == [0, 0, 0]:
        print(f"skip {name}: the whole program (exit status 4)")
        return [0, 0, 1]
    if rc in (0, 4):
        if counts == [0, 0, 0]:
            print(f"pass {name}")
            return [1, 0, 0]
        return counts
    why = "timed out" if rc in (124, 137) else f"exit status {rc}"
    if counts[1] == 0:
        print(f"FAIL {name}: {why}")
        counts[1] += 1
    return counts


def main():
    """usage: report.py RESULTS_DIR"""
    results = sys.argv[1]
    total = [0, 0, 0]
    for out in sorted(glob.glob(os.path.join(results, "kselftest", "*.out"))):
        name = os.path.basename(out)[:-len(".out")]
        total = [a + b for a, b in zip(total, kselftest(name, out, out[:-4] + ".rc"))]
    for ktap in sorted(glob.glob(os.path.join(results, "kunit", "*.ktap"))):
        name = "kunit:" + os.path.basename(ktap)[:-len(".ktap")]
        lines = open(ktap, errors="replace").read().splitlines()
        total = [a + b for a, b in zip(total, parse(name, lines))]
    print(*total)


if __name__ == "__main__":
    main()
