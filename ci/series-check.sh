#!/usr/bin/env bash
# The series as a reviewer takes it: `git am` of each patch onto a fresh base,
# and after each one a kernel build with CLIPPY=1 that must print no warning
# (bisectability and clippy in one pass); the kselftests are built after the
# patches that touch them, and `make rustdoc` runs on the whole series.
#
# Debian has no clippy for rustc-web, so this build uses rustup's toolchain of
# the same Rust version with its clippy, rustdoc and rust-src, in a work tree
# ($PT_WORK/linux-check) and build directory ($PT_WORK/build-check) of its own:
# the test build is left untouched. The configuration is the test build's.
. "$(dirname "$0")/lib.sh"

BASE_TAG=proc-tunnel-base
rust_version=$(/usr/bin/rustc --version | cut -d' ' -f2)
toolchain_name=$rust_version-x86_64-unknown-linux-gnu
toolchain=$HOME/.rustup/toolchains/$toolchain_name
tree=$PT_WORK/linux-check
out=$PT_WORK/build-check
log=$PT_WORK/logs/series-check.log
mkdir -p "$PT_WORK/logs" "$out"
: >"$log"

step "series check: rustup toolchain $rust_version with clippy, rustdoc, rust-src"
rustup=$(command -v rustup || echo "$HOME/.cargo/bin/rustup")
if [[ ! -x "$toolchain/bin/clippy-driver" || ! -d "$toolchain/lib/rustlib/src/rust/library" ]]; then
	"$rustup" toolchain install "$rust_version" --profile minimal \
		--component clippy --component rust-src
fi
"$toolchain/bin/clippy-driver" --version
[[ -f "$KBUILD_OUT/.config" ]] || die "no test configuration: run ci/config.sh first"
done_step

CHECK_MAKE=(make -C "$tree" O="$out" LLVM=1 CC="ccache clang"
	RUSTC="$toolchain/bin/rustc" RUSTDOC="$toolchain/bin/rustdoc"
	CLIPPY=1 CLIPPY_DRIVER="$toolchain/bin/clippy-driver"
	RUSTFMT=/usr/bin/rustfmt BINDGEN="$PT_WORK/cargo/bin/bindgen" -j"$(nproc)")
export RUST_LIB_SRC=$toolchain/lib/rustlib/src/rust/library

# run_make WHAT ARGS...: a make in the check tree; fails on an error or warning.
run_make() {
	local what=$1 from
	shift
	from=$(wc -l <"$log")
	echo "--- $what: make $*" >>"$log"
	if ! "${CHECK_MAKE[@]}" "$@" >>"$log" 2>&1; then
		tail -n +"$from" "$log" | grep -E -A5 '(error|Error)(\[E[0-9]+\])?:' | head -n 60
		die "$what: the build failed (log: $log)"
	fi
	# Newer clippy versions warn about some code of the base tree too: only
	# warnings located in a file the series adds or changes fail the check.
	local ours base
	ours=$(tail -n +"$from" "$log" | warnings_in "$series_files")
	base=$(tail -n +"$from" "$log" | warnings_in "$series_files" --others)
	[[ -z "$base" ]] || echo "warnings in files of the base tree, not the series: $(wc -l <<<"$base")" \
		"($(cut -d: -f1 <<<"$base" | sort -u | tr '\n' ' '))"
	if [[ -n "$ours" ]]; then
		printf '%s\n' "$ours"
		die "$what: warnings in the series' files (above; log: $log)"
	fi
}

# warnings_in FILES [--others]: the locations (path:line) of the compiler
# warnings in the make output on stdin that are in one of FILES (a list of
# paths relative to the tree), or with --others, in none of them.
warnings_in() {
	awk -v files="$1" -v others="${2:-}" -v tree="$tree/" '
		BEGIN { n = split(files, f, "\n"); for (i = 1; i <= n; i++) ours[f[i]] = 1 }
		function report(loc,   path) {
			path = loc; sub(/:.*/, "", path); sub("^" tree, "", path)
			if ((path in ours) != (others != "")) print path substr(loc, index(loc, ":"))
		}
		/^warning/ { pending = 1; next }
		pending && /^ *--> / { sub(/^ *--> /, ""); report($0); pending = 0; next }
		/: warning: / { split($0, a, ": warning: "); report(a[1]); next }
		/^WARNING: modpost: / && /tunnel/ { print $0 }
	' | sort -u
}

shopt -s nullglob
series=("$PT_REPO"/patches/*.patch)
((${#series[@]})) || die "no patches in patches/"

# Every file the series adds or changes, relative to the tree.
series_files=$(sed -n 's|^+++ b/||p' "${series[@]}" | sort -u)

step "series check: fresh work tree at $BASE_TAG"
if [[ ! -e "$tree/.git" ]]; then
	git -C "$KERNEL_TREE" worktree prune
	git -C "$KERNEL_TREE" worktree add -q --detach "$tree" "$BASE_TAG"
fi
git -C "$tree" am --abort >/dev/null 2>&1 || true
# Only the files that differ from the base are rewritten, so the build
# directory stays incremental.
git -C "$tree" checkout -q -f --detach "$BASE_TAG"
git -C "$tree" clean -q -fdx
git -C "$tree" log --oneline -1
done_step

n=0
for patch in "${series[@]}"; do
	n=$((n + 1))
	name=${patch##*/}
	step "series check: patch $n/${#series[@]}: $name"
	git -C "$tree" am -q --keep-cr "$patch" >>"$log" 2>&1 ||
		die "$name does not apply with git am on $BASE_TAG"
	echo "git am: applied"
	touched=$(git -C "$tree" diff --name-only HEAD~1 HEAD)
	# The test configuration, minus what this point of the series does not know yet.
	cp "$KBUILD_OUT/.config" "$out/.config"
	run_make "$name" -s olddefconfig
	if grep -q -v -E '^(Documentation/|MAINTAINERS$|tools/testing/selftests/)' <<<"$touched"; then
		run_make "$name" all
		echo "kernel and modules: built with CLIPPY=1, no warning in the series' files"
	else
		echo "kernel: untouched by this patch"
	fi
	if grep -q '^tools/testing/selftests/proc_tunnel/' <<<"$touched"; then
		run_make "$name" -s headers
		echo "--- $name: selftests" >>"$log"
		if ! make -C "$tree/tools/testing/selftests" TARGETS=proc_tunnel \
			O="$out/kselftest" KHDR_INCLUDES="-isystem $out/usr/include" >>"$log" 2>&1; then
			die "$name: the selftests do not build (log: $log)"
		fi
		echo "selftests: built"
	fi
	if grep -q '^Documentation/' <<<"$touched"; then
		echo "documentation: built by ci/checks.sh (Sphinx) on the whole series"
	fi
	done_step
done

step "series check: make rustdoc"
run_make rustdoc rustdoc
echo "rustdoc: no warnings ($(find "$out/Documentation/output/rust/rustdoc" -name '*.html' | wc -l) pages)"
done_step
