#!/usr/bin/env python3
"""Count the test results in (K)TAP files: one line per test, then totals.

Nested (K)TAP is read by depth: KUnit indents subtests by four spaces, and
run_kselftest.sh prefixes a test program's own TAP with "# ". A result line
is a leaf when no deeper result came just before it; only leaves count, but
a parent that fails although its leaves passed (a crash, a time-out) counts
as one more failure.

usage: report.py NAME=FILE... ; prints "passed failed skipped" last.
"""
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


def parse(name, path):
    counts = [0, 0, 0]
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError as err:
        print(f"FAIL {name}: no results ({err.strerror})")
        return [0, 1, 0]
    last_depth = -1
    failed_children = {}
    program = ""
    for raw in lines:
        if raw.startswith("# selftests: "):
            program = raw[len("# selftests: "):].strip().replace(": ", "/") + ": "
        depth, text = depth_and_text(raw.rstrip())
        m = RESULT.match(text)
        if not m:
            continue
        ok = m.group(1) == "ok"
        test = m.group(2).strip()
        if depth > 0 and not test.startswith("selftests: "):
            test = program + test
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


def main():
    total = [0, 0, 0]
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        total = [a + b for a, b in zip(total, parse(name, path))]
    print(*total)


if __name__ == "__main__":
    main()
