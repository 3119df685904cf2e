#!/usr/bin/env bash
# Make $PT_WORK/linux: a kernel git tree whose one commit, tagged
# proc-tunnel-base, is the base the series applies to.
#
# By default the base is Debian's linux-source package from
# trixie-backports, fetched with a private apt configuration so that the
# machine's own apt sources are never changed. To use your own kernel git
# tree instead, set KERNEL_SRC=/path/to/linux and KERNEL_BASE=<rev>: a
# worktree of it is added at $PT_WORK/linux, and your checked-out branch and
# uncommitted work are left alone.
. "$(dirname "$0")/lib.sh"

BASE_TAG=proc-tunnel-base

if git -C "$KERNEL_TREE" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1; then
	step "base tree"
	echo "$KERNEL_TREE at $(git -C "$KERNEL_TREE" log -1 --format='%h %s' "$BASE_TAG")"
	done_step
	exit 0
fi

if [[ -n "${KERNEL_SRC:-}" ]]; then
	step "base tree: worktree of $KERNEL_SRC at ${KERNEL_BASE:?set KERNEL_BASE to the revision to apply the series to}"
	[[ ! -e "$KERNEL_TREE" ]] || die "$KERNEL_TREE exists but has no $BASE_TAG tag; remove it"
	base=$(git -C "$KERNEL_SRC" rev-parse --verify "$KERNEL_BASE^{commit}")
	git -C "$KERNEL_SRC" tag -f "$BASE_TAG" "$base" >/dev/null
	git -C "$KERNEL_SRC" worktree add --detach "$KERNEL_TREE" "$BASE_TAG"
	done_step
	exit 0
fi

apt_dir=$PT_WORK/apt
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
APT=(apt-get -q
     -o Dir::Etc::SourceList="$apt_dir/sources.list"
     -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$apt_dir/lists"
     -o Dir::Cache="$apt_dir/cache"
     -o Dir::Cache::archives="$apt_dir/archives"
     -o APT::Sandbox::User=root)

step "base tree: $LINUX_SOURCE_PKG from $LINUX_SOURCE_SUITE (private apt configuration in $apt_dir)"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache" "$apt_dir/archives/partial" "$apt_dir/deb"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $LINUX_SOURCE_SUITE main" \
	>"$apt_dir/sources.list"
"${APT[@]}" update
pkg=$LINUX_SOURCE_PKG${LINUX_SOURCE_VERSION:+=$LINUX_SOURCE_VERSION}
rm -f "$apt_dir/deb"/*.deb
(cd "$apt_dir/deb" && "${APT[@]}" download "$pkg")
deb=$(ls "$apt_dir/deb"/*.deb)
version=$(dpkg-deb -f "$deb" Version)
echo "using $LINUX_SOURCE_PKG $version"
done_step

step "base tree: unpack into $KERNEL_TREE"
rm -rf "$apt_dir/x" "$KERNEL_TREE"
dpkg-deb -x "$deb" "$apt_dir/x"
tarball=$(ls "$apt_dir/x"/usr/src/linux-source-*.tar.*)
mkdir -p "$KERNEL_TREE"
tar -xf "$tarball" -C "$KERNEL_TREE" --strip-components=1
rm -rf "$apt_dir/x"
done_step

step "base tree: git repository with one base commit"
cd "$KERNEL_TREE"
# Debian appends a block that ignores everything at the top level but
# debian/; with it, git would silently ignore every file the series adds.
if grep -qx '/\*' .gitignore; then
	# Drop the '/*' line, everything after it, and the comment above it.
	awk '{ l[NR] = $0 } $0 == "/*" && !cut { cut = NR }
	     END { if (!cut) cut = NR + 1
		   while (cut > 1 && l[cut - 1] ~ /^#/) cut--
		   while (cut > 1 && l[cut - 1] == "") cut--
		   for (i = 1; i < cut; i++) print l[i] }' .gitignore >.gitignore.new
	mv .gitignore.new .gitignore
fi
grep -qx '/\*' .gitignore && die "could not drop Debian's block from .gitignore"
git init -q -b base
git config user.name "${GIT_AUTHOR_NAME:-proc-tunnel CI}"
git config user.email "${GIT_AUTHOR_EMAIL:-proc-tunnel@localhost}"
git add -A
# A fixed identity and date make the base commit, and so the base-commit of
# the cover letter, the same on every machine for the same package.
GIT_AUTHOR_NAME="proc-tunnel CI" GIT_AUTHOR_EMAIL=proc-tunnel@localhost \
GIT_COMMITTER_NAME="proc-tunnel CI" GIT_COMMITTER_EMAIL=proc-tunnel@localhost \
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git commit -q -m "Linux $version (Debian $LINUX_SOURCE_PKG)"
git tag "$BASE_TAG"
echo "$(git ls-files | wc -l) files, base $(git rev-parse --short HEAD)"
done_step
