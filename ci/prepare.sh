#!/usr/bin/env bash
# Everything up to a built test kernel: install, base tree, series, config,
# build. What demo.sh and bench.sh need before they boot.
. "$(dirname "$0")/lib.sh"

for stage in setup base apply config build; do
	"$PT_REPO/ci/$stage.sh"
done
