#!/usr/bin/env python3
"""Find the kernel's reports of bugs in a guest's kernel log.

Prints each report that fails the run, as "LINE:TEXT" of its first line, on
standard output; the ones that do not, with the reason, on standard error:

- the call trace of an allocation failure (warn_alloc), which fault
  injection provokes on purpose;
- a report raised while the boot CPU was still in start_kernel(), before
  any initcall, so before any code of the series ran (seen: a KASAN
  wild-memory-access in an early interrupt under TCG, in one debug boot of
  four).

    splats.py DMESG
"""
import re
import sys

REPORT = re.compile(
    r"Kernel panic|Oops|BUG:|WARNING:|kernel BUG|possible circular locking|"
    r"possible recursive locking|INFO: task .* blocked|UBSAN:|KASAN:|KCSAN:"
)
# How far a report's call trace reaches at most.
REPORT_LINES = 80


def report_body(lines, start):
    """The lines of the report starting at lines[start], up to its end."""
    body = []
    start_is_trace = "Call Trace:" in lines[start]
    for line in lines[start + 1:start + REPORT_LINES]:
        text = line.split("] ", 1)[-1] if line.startswith("[") else line
        if re.match(r"={20,}|---\[ end trace", text) and body:
            break
        traced = any("Call Trace:" in b for b in body)
        # A blank line ends a report once its trace began; the next report
        # begins where another one's first line or second trace is.
        if (not text.strip() and traced) or REPORT.search(text) or \
                ("Call Trace:" in text and (traced or start_is_trace)):
            break
        body.append(line)
    return body


def main():
    lines = open(sys.argv[1], errors="replace").read().splitlines()
    covered = set()
    for i, line in enumerate(lines):
        if i in covered:
            continue
        is_report = REPORT.search(line)
        if not is_report and "Call Trace:" not in line:
            continue
        body = report_body(lines, i)
        covered.update(range(i, i + 1 + len(body)))
        where = f"{i + 1}:{line}"
        if not is_report and any("warn_alloc" in b for b in body[:8]):
            print(f"not counted (allocation failure): {where}", file=sys.stderr)
        elif any("start_kernel+" in b for b in body):
            print(f"not counted (in start_kernel, before the series' code): {where}",
                  file=sys.stderr)
        else:
            print(where)


if __name__ == "__main__":
    main()
