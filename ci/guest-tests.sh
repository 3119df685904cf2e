#!/bin/sh
# Runs inside the test VM as root: every kselftest program of the installed
# list, each with its own time-out, then the KUnit results. Everything goes
# to the shared directory $1, which the host reads: for each program its
# output (<collection>:<program>.out) and exit status (.rc), and each KUnit
# suite's KTAP (kunit/<suite>.ktap).
out=$1
kselftests=$2

uname -r >"$out/uname"
mkdir -p "$out/kselftest" "$out/kunit"

while IFS=: read -r collection program; do
	[ -n "$program" ] || continue
	limit=45
	settings=$kselftests/$collection/settings
	[ -f "$settings" ] && limit=$(sed -n 's/^timeout=//p' "$settings")
	name=$collection:$program
	echo "running $name (time-out ${limit}s)"
	(cd "$kselftests/$collection" && timeout -k 5 "$limit" "./$program") \
		>"$out/kselftest/$name.out" 2>&1 </dev/null
	echo $? >"$out/kselftest/$name.rc"
done <"$kselftests/kselftest-list.txt"

mount -t debugfs none /sys/kernel/debug 2>/dev/null
for suite in /sys/kernel/debug/kunit/*; do
	[ -f "$suite/results" ] && cat "$suite/results" >"$out/kunit/${suite##*/}.ktap"
done

dmesg >"$out/dmesg"
echo done >"$out/finished"
