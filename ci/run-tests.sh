#!/usr/bin/env bash
# Every test and check: install what is missing, test the ring on the host,
# get the base tree, apply the series, check the tree view, checkpatch and
# the other static checks, configure, build, boot under virtme-ng and run
# the kselftests and KUnit suites, then check each patch of the series on
# its own (series-check.sh), then run the tests again on the debug kernel.
# Ends with `N passed, N failed`.
# --debug: the same on the debug kernel of virtme-debug.conf (lockdep,
# KASAN, fault injection), in its own build directory.
# --kcsan: the same on the KCSAN kernel of virtme-kcsan.conf.
case "${1:-}" in
--debug) export PT_VARIANT=debug ;;
--kcsan) export PT_VARIANT=kcsan ;;
esac
. "$(dirname "$0")/lib.sh"

start=$SECONDS
ci=$PT_REPO/ci
timings=()
run() { # run SCRIPT ARGS...: one stage, timed; its exit status
	local t=$SECONDS status=0
	"$ci/$1" "${@:2}" || status=$?
	timings+=("$(printf '%-14s %4ds' "${1%.sh}" $((SECONDS - t)))")
	return "$status"
}

run setup.sh
run host-tests.sh
run base.sh
run apply.sh
run tree-view.sh
run checkpatch.sh
run checks.sh
run config.sh
run build.sh
set +e
run test.sh
rc=$?
cp "$PT_WORK/logs/summary" "$PT_WORK/logs/summary.test" 2>/dev/null ||
	echo "0 passed, 1 failed, 0 skipped" >"$PT_WORK/logs/summary.test"
# After the tests, which do not need it: git am of each patch on a fresh
# base, a CLIPPY=1 build after each, make rustdoc.
run series-check.sh || rc=1
# The same tests again on the debug kernel (lockdep, KASAN, fault injection),
# unless this run is already that one or PT_SKIP_DEBUG=1. About 4 minutes
# when its build directory is warm, 15 when cold.
debug_summary=
if [[ -z "$PT_VARIANT" && "${PT_SKIP_DEBUG:-0}" != 1 ]]; then
	export PT_VARIANT=debug
	echo "0 passed, 1 failed, 0 skipped" >"$PT_WORK/logs/summary.debug"
	if run config.sh && run build.sh; then
		run test.sh || rc=1
		cp "$PT_WORK/logs/summary" "$PT_WORK/logs/summary.debug"
	else
		rc=1
	fi
	unset PT_VARIANT
	debug_summary=$PT_WORK/logs/summary.debug
fi
set -e
printf '\nstage timings:\n'
printf '  %s\n' "${timings[@]}"
printf '  %-14s %4ds\n' total $((SECONDS - start))

# counts SUMMARY: "passed failed skipped" of a guest run's summary line.
counts() {
	tr -d ',' <"$1" | awk '{ print $1, $3, $5 }'
}
read -r host_passed host_failed <"$PT_WORK/logs/host-tests.counts"
read -r passed failed skipped < <(counts "$PT_WORK/logs/summary.test")
echo "host: $host_passed passed, $host_failed failed; test kernel: $passed passed, $failed failed, $skipped skipped"
total_passed=$((host_passed + passed))
total_failed=$((host_failed + failed))
total_skipped=$skipped
if [[ -n "$debug_summary" ]]; then
	read -r passed failed skipped < <(counts "$debug_summary")
	echo "debug kernel: $passed passed, $failed failed, $skipped skipped"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
	total_skipped=$((total_skipped + skipped))
fi
# The closing line, last: what CI reads.
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"

exit $rc
