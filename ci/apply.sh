#!/usr/bin/env bash
# Put the series in patches/ on the branch $PT_BRANCH of the kernel tree, one
# commit per patch, on top of the base commit. Does nothing when the branch
# already holds exactly this series, so that file times, and with them the
# incremental build, are kept. A patch that does not apply stops the run, is
# named, and leaves the branch as it was.
. "$(dirname "$0")/lib.sh"

BASE_TAG=proc-tunnel-base
shopt -s nullglob
series=("$PT_REPO"/patches/*.patch)
((${#series[@]})) || die "no patches in patches/"

cd "$KERNEL_TREE"
git rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null || die "no base tree: run ci/base.sh"

step "apply: ${#series[@]} patches on $BASE_TAG in $KERNEL_TREE"
# patch-id ignores line numbers and white space: equal lists mean the same series.
want=$(cat "${series[@]}" | git patch-id --stable | cut -d' ' -f1)
current=$(git symbolic-ref -q --short HEAD || true)
have=""
if [[ "$current" == "$PT_BRANCH" ]]; then
	have=$(git format-patch -q --stdout "$BASE_TAG..HEAD" | git patch-id --stable | cut -d' ' -f1)
fi
if [[ "$want" == "$have" ]]; then
	echo "already applied: $(git log --oneline "$BASE_TAG..HEAD" | wc -l) commits on $PT_BRANCH"
	done_step
	exit 0
fi
if ! git diff --quiet HEAD || ! git diff --cached --quiet; then
	die "uncommitted changes in $KERNEL_TREE: commit and export them (ci/export.sh) first"
fi

previous=$(git rev-parse HEAD)
git checkout -q -B "$PT_BRANCH" "$BASE_TAG"
for patch in "${series[@]}"; do
	if ! git am -q --keep-cr "$patch" >/dev/null 2>&1; then
		git am --show-current-patch=diff >/dev/null 2>&1 && git am --abort
		git checkout -q -B "$PT_BRANCH" "$previous"
		die "patch does not apply: patches/${patch##*/} (branch left as it was)"
	fi
	echo "applied ${patch##*/}"
done
done_step
