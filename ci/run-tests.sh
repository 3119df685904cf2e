#!/usr/bin/env bash
# Every test: install what is missing, get the base tree, apply the series,
# check the tree view, configure, build, boot under virtme-ng and run the
# kselftests and KUnit suites. Ends with `N passed, N failed`.
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
run base.sh
run apply.sh
run tree-view.sh
run checkpatch.sh
run config.sh
run build.sh
set +e
run test.sh
rc=$?
set -e
printf '\nstage timings:\n'
printf '  %s\n' "${timings[@]}"
printf '  %-14s %4ds\n' total $((SECONDS - start))
# The closing line, last: what CI reads.
tail -n 1 "$PT_WORK/logs/summary" 2>/dev/null || echo "0 passed, 1 failed"

exit $rc
