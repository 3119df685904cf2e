#!/usr/bin/env python3
"""Plots the CSV of proc_tunnel_bench: throughput against chunk size.

usage: plot-bench.py BENCH.CSV OUT.PNG TITLE
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SERIES = [
    ("tunnel_k2u", "/proc/tunnel kernel->user", "-o"),
    ("tunnel_u2k", "/proc/tunnel user->kernel", "-s"),
    ("pipe_4k", "pipe, 4 KiB", "--^"),
    ("pipe_64k", "pipe, 64 KiB", "--v"),
    ("dev_zero", "read of /dev/zero", ":x"),
]


def main():
    src, out, title = sys.argv[1:4]
    rows = list(csv.DictReader(open(src)))
    chunks = [int(r["chunk"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label, style in SERIES:
        ax.plot(chunks, [float(r[key]) / 1e6 for r in rows], style, label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(chunks, [str(c) for c in chunks])
    ax.set_xlabel("bytes per read() / write()")
    ax.set_ylabel("MB/s (median of 3 runs)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=100)


if __name__ == "__main__":
    main()
