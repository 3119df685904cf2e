#!/usr/bin/env python3
"""Plots the throughput CSV of proc_tunnel_bench against chunk size.

usage: plot-bench.py OUT.PNG TITLE THROUGHPUT.CSV [THROUGHPUT-64K.CSV]

The first CSV gives every series; a second one, from a kernel with larger
tunnel buffers, adds its tunnel figures.
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
LARGER = [
    ("tunnel_k2u", "/proc/tunnel kernel->user, {}", "-D"),
    ("tunnel_u2k", "/proc/tunnel user->kernel, {}", "-P"),
]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def size_name(rows):
    size = int(rows[0]["capacity"])
    return f"{size // 1024} KiB"


def main():
    out, title, first = sys.argv[1:4]
    rows = read(first)
    chunks = [int(r["chunk"]) for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label, style in SERIES:
        if key.startswith("tunnel"):
            label += ", " + size_name(rows)
        ax.plot(chunks, [float(r[key]) / 1e6 for r in rows], style, label=label)
    for extra in sys.argv[4:]:
        more = read(extra)
        for key, label, style in LARGER:
            ax.plot([int(r["chunk"]) for r in more],
                    [float(r[key]) / 1e6 for r in more], style,
                    label=label.format(size_name(more)))
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(chunks, [str(c) for c in chunks])
    ax.set_xlabel("bytes per read() / write()")
    ax.set_ylabel("MB/s (median of 5 runs)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=100)


if __name__ == "__main__":
    main()
