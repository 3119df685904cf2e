#!/usr/bin/env bash
# Boot the built kernel under virtme-ng, run the kselftests and collect the
# KUnit results, then report one line per test and `N passed, N failed`.
# KVM is used where it boots; elsewhere TCG.
. "$(dirname "$0")/lib.sh"

image=$KBUILD_OUT/arch/x86/boot/bzImage
results=$PT_WORK/results
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
# A KVM guest boots in seconds where KVM works; TCG takes about 10 s.
KVM_PROBE_TIMEOUT=${KVM_PROBE_TIMEOUT:-30}
[[ -f "$image" ]] || die "no kernel image: run ci/build.sh"

vng_run() { # vng_run TIMEOUT VNG-ARGS... -- COMMAND
	local limit=$1
	shift
	timeout -k 10 "$limit" vng --run "$image" --force-initramfs \
		--user root --cpus 2 --memory 2G --rwdir "$results" "$@" </dev/null
}

step "boot: accelerator"
rm -rf "$results"
mkdir -p "$results" "$PT_WORK/logs"
accel=(--disable-kvm)
accel_name=TCG
if [[ "${PT_ACCEL:-auto}" != tcg && -w /dev/kvm ]]; then
	# Nested guests on some hosts hang before the kernel prints anything.
	if vng_run "$KVM_PROBE_TIMEOUT" -e "echo kvm-ok" 2>&1 | tee "$PT_WORK/logs/kvm-probe.log" | grep -q kvm-ok; then
		accel=()
		accel_name=KVM
		echo "KVM boots: using it"
	else
		echo "/dev/kvm exists but a KVM guest did not boot within ${KVM_PROBE_TIMEOUT}s: using TCG"
	fi
else
	echo "no usable /dev/kvm (or PT_ACCEL=tcg): using TCG"
fi
done_step

step "boot and test ($accel_name, time-out ${BOOT_TIMEOUT}s)"
rm -rf "$results"
mkdir -p "$results"
console=$PT_WORK/logs/console.log
set +e
vng_run "$BOOT_TIMEOUT" "${accel[@]}" --verbose \
	-e "sh $PT_REPO/ci/guest-tests.sh $results $PT_WORK/kselftest $KBUILD_OUT/drivers/misc/proc_tunnel_peer.ko $PT_WORK/tools" >"$console" 2>&1
vng_rc=$?
set -e
echo "vng exit status $vng_rc; console log: $console"
done_step

step "report"
rm -f "$PT_WORK/logs/summary"
failed=0
passed=0
fail_run() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
[[ -f "$results/finished" ]] || {
	tail -n 30 "$console"
	((vng_rc == 124)) && fail_run "the guest timed out after ${BOOT_TIMEOUT}s"
	fail_run "the guest did not finish the tests (vng exit status $vng_rc)"
}
[[ -f "$results/uname" ]] && echo "guest kernel: $(cat "$results/uname") ($accel_name)"

# Splats anywhere in the guest's log fail the run, except the call traces
# of allocation failures that fault injection provokes and reports raised
# before any initcall (ci/splats.py says which and why).
if [[ -f "$results/dmesg" ]]; then
	if ! python3 "$PT_REPO/ci/splats.py" "$results/dmesg" >"$PT_WORK/logs/splats"; then
		fail_run "ci/splats.py could not read the guest's kernel log"
	elif [[ -s "$PT_WORK/logs/splats" ]]; then
		head -n 20 "$PT_WORK/logs/splats"
		fail_run "the guest's kernel log reports a bug (above)"
	fi
fi

# One line per test, from the kselftests' output and each KUnit suite's KTAP.
python3 "$PT_REPO/ci/report.py" "$results" >"$PT_WORK/logs/report"
sed '$d' "$PT_WORK/logs/report"
read -r tap_passed tap_failed tap_skipped < <(tail -n 1 "$PT_WORK/logs/report")
passed=$((passed + tap_passed))
failed=$((failed + tap_failed))
if ((passed == 0)); then
	fail_run "no test ran"
fi
done_step
echo "$passed passed, $failed failed, $tap_skipped skipped" | tee "$PT_WORK/logs/summary"
((failed == 0))
