#!/usr/bin/env bash
# Export the branch $PT_BRANCH of the kernel tree as the series in patches/,
# with the cover letter from ci/cover-letter.txt (first paragraph, one line: the subject), and
# regenerate the tree view: a copy of every file the series adds, at its
# kernel path in this repository.
. "$(dirname "$0")/lib.sh"

BASE_TAG=proc-tunnel-base
cd "$KERNEL_TREE"
[[ "$(git symbolic-ref -q --short HEAD)" == "$PT_BRANCH" ]] || die "$KERNEL_TREE is not on $PT_BRANCH"
git diff --quiet HEAD || die "uncommitted changes in $KERNEL_TREE: commit them first"

step "export: $(git rev-list --count "$BASE_TAG..HEAD") commits to patches/"
git config "branch.$PT_BRANCH.description" "$(cat "$PT_REPO/ci/cover-letter.txt")"
rm -f "$PT_REPO"/patches/*.patch "$PT_REPO"/patches/0000-cover-letter.txt
git format-patch -q --cover-letter --cover-from-description=subject \
	--base="$BASE_TAG" --zero-commit --no-signature -o "$PT_REPO/patches" \
	"$BASE_TAG..HEAD"
# Not *.patch, so that `git am patches/*.patch` applies the series as it is.
mv "$PT_REPO/patches/0000-cover-letter.patch" "$PT_REPO/patches/0000-cover-letter.txt"
ls "$PT_REPO/patches"
done_step

"$PT_REPO/ci/tree-view.sh" --write
