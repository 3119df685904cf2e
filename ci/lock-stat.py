#!/usr/bin/env python3
"""Prints, from a /proc/lock_stat that the benchmark left, how often and how
long the tunnel's locks and the pipe's were taken, waited for and held.
Times are in microseconds, as lock_stat gives them.

usage: lock-stat.py LOCK_STAT [CSV]
"""
import csv
import re
import sys

# The tunnel's ring locks and wait queues, and what pipes use for the same.
WANTED = re.compile(r"^(tunnel_|&pipe->)")
FIELDS = ("con_bounces", "contentions", "wait_min", "wait_max", "wait_total",
          "wait_avg", "acq_bounces", "acquisitions", "hold_min", "hold_max",
          "hold_total", "hold_avg")
CLASS_LINE = re.compile(r"^\s*(\S.*?):((?:\s+[\d.]+){12})\s*$")


def classes(path):
    with open(path, encoding="utf-8") as stats:
        for line in stats:
            match = CLASS_LINE.match(line)
            if match and WANTED.match(match.group(1)):
                yield match.group(1), dict(zip(FIELDS, map(float, match.group(2).split())))


def main():
    rows = sorted(classes(sys.argv[1]), key=lambda row: row[0])
    if not rows:
        sys.exit(f"no tunnel or pipe locks in {sys.argv[1]}")
    print(f"{'lock':<24} {'taken':>10} {'waited':>8} {'wait avg':>9} "
          f"{'hold avg':>9} {'hold max':>9}")
    for name, row in rows:
        print(f"{name:<24} {row['acquisitions']:>10.0f} {row['contentions']:>8.0f} "
              f"{row['wait_avg']:>9.2f} {row['hold_avg']:>9.2f} {row['hold_max']:>9.2f}")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(("lock",) + FIELDS)
            for name, row in rows:
                writer.writerow([name] + [row[field] for field in FIELDS])


if __name__ == "__main__":
    main()
