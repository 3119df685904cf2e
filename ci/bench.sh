#!/usr/bin/env bash
# Benchmark: boot the test kernel and run proc_tunnel_bench there, which
# measures /proc/tunnel against pipes and /dev/zero in the same boot:
# throughput, round-trip latency and scaling. Prints its tables, keeps the
# CSV files in $PT_WORK/bench/<variant>/ and plots the throughput to
# $PT_WORK/bench/throughput.png (matplotlib from PyPI). Not a test.
# --64k: the same on a kernel with 64 KiB buffers (CONFIG_PROC_TUNNEL_SIZE_SHIFT=16),
# built in a directory of its own; the plot then shows both capacities.
# --lockstat: the same on a kernel with lock statistics (virtme-lockstat.conf),
# to print how long the tunnel's locks and the pipe's mutex are held; its
# throughput is slowed by lockdep and not plotted.
case "${1:-}" in
--64k) export PT_VARIANT=64k ;;
--lockstat) export PT_VARIANT=lockstat ;;
esac
. "$(dirname "$0")/lib.sh"

ci=$PT_REPO/ci
"$ci/prepare.sh"

variant=${PT_VARIANT:-4k}
results=$PT_WORK/bench/$variant
rm -rf "$results"
mkdir -p "$results"
accel=(--disable-kvm)
accel_name=TCG
[[ "${PT_ACCEL:-tcg}" == kvm ]] && { accel=(); accel_name=KVM; }

step "benchmark, $variant buffers ($accel_name, $(date -u +%F))"
timeout -k 10 900 vng --run "$KBUILD_OUT/arch/x86/boot/bzImage" --force-initramfs \
	--user root --cpus 2 --memory 1G "${accel[@]}" --rwdir "$results" \
	-e "sh $ci/guest-bench.sh $results $PT_WORK/kselftest/proc_tunnel/proc_tunnel_bench $KBUILD_OUT/drivers/misc/proc_tunnel_peer.ko" \
	</dev/null >"$PT_WORK/logs/bench-console.log" 2>&1 || true
[[ -s "$results/throughput.csv" ]] || { tail -n 20 "$PT_WORK/logs/bench-console.log"; die "the benchmark did not run"; }
echo "kernel $(cat "$results/uname"), $accel_name, 2 vCPUs, $(date -u +%F)" | tee "$results/run"
cat "$results/bench.txt"
done_step

if [[ "$variant" == lockstat ]]; then
	step "lock statistics of the whole benchmark, microseconds"
	[[ -s "$results/lock_stat" ]] || die "the guest left no /proc/lock_stat"
	"$PT_REPO/ci/lock-stat.py" "$results/lock_stat" "$results/locks.csv"
	done_step
	exit 0
fi

step "plot: $PT_WORK/bench/throughput.png"
venv=$PT_WORK/plot-venv
[[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import matplotlib' 2>/dev/null || {
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install -q "matplotlib==3.10.*"
}
csvs=("$PT_WORK/bench/4k/throughput.csv")
[[ -f "$PT_WORK/bench/64k/throughput.csv" ]] && csvs+=("$PT_WORK/bench/64k/throughput.csv")
"$venv/bin/python" "$ci/plot-bench.py" "$PT_WORK/bench/throughput.png" \
	"Linux $(cat "$results/uname"), $accel_name, 2 vCPUs, $(date -u +%F)" "${csvs[@]}"
done_step
