#!/usr/bin/env bash
# Every test: install what is missing, get the base tree, apply the series,
# check the tree view, configure, build, boot under virtme-ng and run the
# kselftests and KUnit suites. Ends with `N passed, N failed`.
# --debug: the same on the debug kernel of virtme-debug.conf (lockdep,
# KASAN, fault injection), in its own build directory.
[[ "${1:-}" == --debug ]] && export PT_VARIANT=debug
. "$(dirname "$0")/lib.sh"

start=$SECONDS
ci=$PT_REPO/ci
timings=()
run() { # run SCRIPT ARGS...: one stage, timed
	local t=$SECONDS
	"$ci/$1" "${@:2}"
	timings+=("$(printf '%-14s %4ds' "${1%.sh}" $((SECONDS - t)))")
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
