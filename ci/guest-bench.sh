#!/bin/sh
# Runs inside the VM: the benchmark, with the peer loaded.
out=$1
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
insmod "$3"
uname -r >"$out/uname"
"$2" "$out" >"$out/bench.txt" 2>&1
