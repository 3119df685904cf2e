#!/usr/bin/env bash
# Benchmark: boot the test kernel and run proc_tunnel_bench there, which
# measures /proc/tunnel against pipes and /dev/zero in the same boot. Prints
# its table, keeps the CSV in $PT_WORK/bench/bench.csv and plots it to
# $PT_WORK/bench/throughput.png (matplotlib from PyPI). Not a test.
. "$(dirname "$0")/lib.sh"

ci=$PT_REPO/ci
"$ci/prepare.sh"

results=$PT_WORK/bench
rm -rf "$results"
mkdir -p "$results"
accel=(--disable-kvm)
accel_name=TCG
[[ "${PT_ACCEL:-tcg}" == kvm ]] && { accel=(); accel_name=KVM; }

step "benchmark ($accel_name, $(date -u +%F))"
timeout -k 10 900 vng --run "$KBUILD_OUT/arch/x86/boot/bzImage" --force-initramfs \
	--user root --cpus 2 --memory 1G "${accel[@]}" --rwdir "$results" \
	-e "sh $ci/guest-bench.sh $results $PT_WORK/kselftest/proc_tunnel/proc_tunnel_bench $KBUILD_OUT/drivers/misc/proc_tunnel_peer.ko" \
	</dev/null >"$PT_WORK/logs/bench-console.log" 2>&1 || true
[[ -s "$results/bench.txt" ]] || { tail -n 20 "$PT_WORK/logs/bench-console.log"; die "the benchmark did not run"; }
echo "kernel $(cat "$results/uname"), $accel_name, 2 vCPUs"
cat "$results/bench.txt"
done_step

step "plot: $results/throughput.png"
venv=$PT_WORK/plot-venv
[[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import matplotlib' 2>/dev/null || {
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install -q "matplotlib==3.10.*"
}
"$venv/bin/python" "$ci/plot-bench.py" "$results/bench.csv" "$results/throughput.png" \
	"Linux $(cat "$results/uname"), $accel_name, 2 vCPUs, $(date -u +%F)"
done_step
