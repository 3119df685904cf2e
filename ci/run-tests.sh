#!/usr/bin/env bash
# Every test and check: install what is missing, test the ring on the host,
# get the base tree, apply the series, check the tree view, checkpatch and
# the other static checks, configure, build, boot under virtme-ng and run
# the kselftests and KUnit suites, then check each patch of the series on
# its own (series-check.sh). Ends with `N passed, N failed`.
# --debug: the same on the debug kernel of virtme-debug.conf (lockdep,
# KASAN, fault injection), in its own build directory.
[[ "${1:-}" == --debug ]] && export PT_VARIANT=debug
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
# After the tests, which do not need it: git am of each patch on a fresh
# base, a CLIPPY=1 build after each, make rustdoc.
run series-check.sh || rc=1
set -e
printf '\nstage timings:\n'
printf '  %s\n' "${timings[@]}"
printf '  %-14s %4ds\n' total $((SECONDS - start))
# The closing line, last: what CI reads. Host tests plus guest tests.
read -r host_passed host_failed <"$PT_WORK/logs/host-tests.counts"
if read -r guest_passed guest_failed guest_skipped < <(tr -d ',' <"$PT_WORK/logs/summary" |
	awk '{ print $1, $3, $5 }'); then
	echo "$((host_passed + guest_passed)) passed, $((host_failed + guest_failed)) failed, $guest_skipped skipped"
else
	echo "$host_passed passed, $((host_failed + 1)) failed"
fi

exit $rc
