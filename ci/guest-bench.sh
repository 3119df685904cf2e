#!/bin/sh
# Runs inside the VM: the benchmark, with the peer loaded. On a kernel with
# lock statistics, they are reset before it and kept after it.
out=$1
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
insmod "$3"
uname -r >"$out/uname"
[ -w /proc/lock_stat ] && echo 0 >/proc/lock_stat
"$2" "$out" >"$out/bench.txt" 2>&1
[ -r /proc/lock_stat ] && cat /proc/lock_stat >"$out/lock_stat"
exit 0
