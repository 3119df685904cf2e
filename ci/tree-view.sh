#!/usr/bin/env bash
# The tree view: every file the series adds, copied at its kernel path into
# this repository. `--write` regenerates it from the applied series;
# without it, fail when the repository's copy and the series disagree.
. "$(dirname "$0")/lib.sh"

BASE_TAG=proc-tunnel-base
VIEW_DIRS=(Documentation drivers fs include rust samples tools)
mode=${1:-check}

step "tree view: $mode"
cd "$KERNEL_TREE"
mapfile -t added < <(git diff --name-only --diff-filter=A "$BASE_TAG..HEAD")
for path in "${added[@]}"; do
	top=${path%%/*}
	[[ " ${VIEW_DIRS[*]} " == *" $top "* ]] || die "the series adds $path outside ${VIEW_DIRS[*]}"
done
bad=0
if [[ "$mode" == --write ]]; then
	for dir in "${VIEW_DIRS[@]}"; do rm -rf "${PT_REPO:?}/$dir"; done
	for path in "${added[@]}"; do
		mkdir -p "$PT_REPO/$(dirname "$path")"
		git show "HEAD:$path" >"$PT_REPO/$path"
	done
	echo "${#added[@]} files written"
else
	for path in "${added[@]}"; do
		git show "HEAD:$path" | cmp -s - "$PT_REPO/$path" ||
			{ echo "differs from the series: $path"; bad=1; }
	done
	while IFS= read -r path; do
		[[ " ${added[*]} " == *" $path "* ]] ||
			{ echo "not added by the series: $path"; bad=1; }
	done < <(cd "$PT_REPO" && git ls-files -- "${VIEW_DIRS[@]}")
	((bad == 0)) || die "the tree view and patches/ disagree: run ci/export.sh"
	echo "${#added[@]} files match the series"
fi
done_step
