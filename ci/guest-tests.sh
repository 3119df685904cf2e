#!/bin/sh
# Runs inside the test VM as root: every kselftest program of the installed
# list, each with its own time-out, then the KUnit results. Everything goes
# to the shared directory $1, which the host reads: for each program its
# output (<collection>:<program>.out) and exit status (.rc), and each KUnit
# suite's KTAP (kunit/<suite>.ktap).
out=$1
kselftests=$2
peer_module=$3
tools=$4

uname -r >"$out/uname"
mkdir -p "$out/kselftest" "$out/kunit"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# On a kernel with failslab (the debug one): load the peer with each fault
# point of the load failing in turn; every load must fail cleanly or work,
# and kmemleak, where the kernel has it, must find nothing left behind.
if [ -d /sys/kernel/debug/failslab ]; then
	name=ci:peer-load-with-faults
	{
		kmemleak=/sys/kernel/debug/kmemleak
		for attr in failslab fail_usercopy; do
			echo 0 >"/sys/kernel/debug/$attr/verbose"
		done
		# GFP_KERNEL allocations are spared unless this is off.
		echo N >/sys/kernel/debug/failslab/ignore-gfp-wait
		if [ -w "$kmemleak" ]; then
			echo scan >"$kmemleak" && echo clear >"$kmemleak"
		fi
		"$tools/fail-nth-load" "$peer_module" proc_tunnel_peer
		ok=$?
		echo Y >/sys/kernel/debug/failslab/ignore-gfp-wait
		if [ -w "$kmemleak" ]; then
			# Objects younger than 5 s are not reported yet.
			sleep 6
			echo scan >"$kmemleak"
			leaks=$(grep -c '^unreferenced object' "$kmemleak")
			echo "kmemleak: $leaks unreferenced objects"
			[ "$leaks" -eq 0 ] || { cat "$kmemleak"; ok=1; }
		else
			echo "no kmemleak in this kernel: leaks not checked"
		fi
		echo "$ok" >"$out/kselftest/$name.rc"
	} >"$out/kselftest/$name.out" 2>&1
fi

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

for suite in /sys/kernel/debug/kunit/*; do
	[ -f "$suite/results" ] && cat "$suite/results" >"$out/kunit/${suite##*/}.ktap"
done

dmesg >"$out/dmesg"
echo done >"$out/finished"
