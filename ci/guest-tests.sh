#!/bin/sh
# Runs inside the test VM as root: every kselftest program of the installed
# list, each with its own time-out, then the KUnit results. Everything goes
# to the shared directory $1, which the host reads: for each program its
# output (<collection>:<program>.out) and exit status (.rc), and each KUnit
# suite's KTAP (kunit/<suite>.ktap).
out=$1
kselftests=$2
peer_module=$3

uname -r >"$out/uname"
mkdir -p "$out/kselftest" "$out/kunit"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# The kernel-side peer, a module: loading and unloading it repeatedly must
# work (a test of its own), then it stays loaded for the kselftests.
{
	ok=0
	for i in 1 2 3; do
		insmod "$peer_module" && [ -d /sys/kernel/debug/proc_tunnel/peer ] &&
			rmmod proc_tunnel_peer || ok=1
	done
	insmod "$peer_module" || ok=1
	echo "$ok" >"$out/kselftest/ci:peer-module-load-unload.rc"
} >"$out/kselftest/ci:peer-module-load-unload.out" 2>&1

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

# On a kernel with fail_usercopy (the debug one): the stress test again,
# with a tenth of its workers' user copies failing.
if [ -d /sys/kernel/debug/fail_usercopy ]; then
	name=ci:stress-with-failing-copies
	echo "running $name"
	(cd "$kselftests/proc_tunnel" && timeout -k 5 120 ./proc_tunnel_stress 5 0 10) \
		>"$out/kselftest/$name.out" 2>&1 </dev/null
	echo $? >"$out/kselftest/$name.rc"
fi

for suite in /sys/kernel/debug/kunit/*; do
	[ -f "$suite/results" ] && cat "$suite/results" >"$out/kunit/${suite##*/}.ktap"
done

dmesg >"$out/dmesg"
echo done >"$out/finished"
