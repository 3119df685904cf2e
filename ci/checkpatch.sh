#!/usr/bin/env bash
# scripts/checkpatch.pl --strict on every patch of the series. Fails on any
# error, warning or check but the types listed in IGNORE, each justified in
# the cover letter.
. "$(dirname "$0")/lib.sh"

# FILE_PATH_CHANGES: "does MAINTAINERS need updating?" for each new file;
# EXPORT_SYMBOL: the exported functions are defined in Rust, so their
# EXPORT_SYMBOL_GPL() cannot follow the definitions.
IGNORE=FILE_PATH_CHANGES,EXPORT_SYMBOL

step "checkpatch --strict (ignoring $IGNORE)"
bad=0
for patch in "$PT_REPO"/patches/*.patch; do
	# Debian's python3, which has python3-ply for the SPDX check.
	if out=$(PATH=/usr/bin:$PATH "$KERNEL_TREE/scripts/checkpatch.pl" --strict --ignore "$IGNORE" \
		--show-types -q "$patch" 2>&1); then
		echo "ok ${patch##*/}"
	else
		printf 'FAIL %s\n%s\n' "${patch##*/}" "$out"
		bad=1
	fi
done
((bad == 0)) || die "checkpatch found problems (above)"
done_step
