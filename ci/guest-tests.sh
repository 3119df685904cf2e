#!/bin/sh
# Runs inside the test VM as root: the kselftests and the KUnit results,
# everything written to the shared directory $1, which the host reads.
out=$1
kselftests=$2

uname -r >"$out/uname"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
for suite in /sys/kernel/debug/kunit/*; do
	[ -f "$suite/results" ] && cat "$suite/results" >"$out/kunit-${suite##*/}.ktap"
done

cd "$kselftests" || exit 1
./run_kselftest.sh >"$out/kselftest.tap" 2>&1
echo $? >"$out/kselftest.rc"

dmesg >"$out/dmesg"
echo done >"$out/finished"
