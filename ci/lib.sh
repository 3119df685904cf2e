# shellcheck shell=bash
# Common settings for the ci/ scripts. Sourced, never run.
#
# Everything that is big or slow to make lives outside the repository under
# $PT_WORK so that it is reused across runs and fresh clones:
#   $PT_WORK/apt      private apt configuration for the base-tree package
#   $PT_WORK/linux    the kernel git tree (base commit + one commit per patch)
#   $PT_WORK/build    the out-of-tree O= build directory
#   $PT_WORK/cargo    bindgen-cli, installed with cargo into a private root
#   $PT_WORK/venv     virtme-ng from PyPI
#   $PT_WORK/results  what the last guest run wrote

set -euo pipefail

PT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PT_WORK=${PT_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/proc-tunnel}
# The kernel tree the series is applied in. Point KERNEL_TREE at your own
# kernel git tree to use it instead of the Debian source package; the series
# then goes on the branch $PT_BRANCH there.
KERNEL_TREE=${KERNEL_TREE:-$PT_WORK/linux}
PT_BRANCH=${PT_BRANCH:-proc-tunnel}
# PT_VARIANT=debug (run-tests.sh --debug): the debug kernel of
# virtme-debug.conf, built in a directory of its own.
PT_VARIANT=${PT_VARIANT:-}
# PT_VARIANT=kcsan (run-tests.sh --kcsan): the KCSAN kernel of
# virtme-kcsan.conf, in a directory of its own.
# PT_VARIANT=64k (bench.sh --64k): the test kernel with 64 KiB tunnel buffers.
# PT_VARIANT=lockstat (bench.sh --lockstat): the test kernel with lock statistics.
if [[ "$PT_VARIANT" == debug ]]; then
	KBUILD_OUT=${KBUILD_OUT:-$PT_WORK/build-debug}
	CONFIG_FRAGMENTS=("$PT_REPO/virtme.conf" "$PT_REPO/virtme-debug.conf")
elif [[ "$PT_VARIANT" == kcsan ]]; then
	KBUILD_OUT=${KBUILD_OUT:-$PT_WORK/build-kcsan}
	CONFIG_FRAGMENTS=("$PT_REPO/virtme.conf" "$PT_REPO/virtme-kcsan.conf")
	# The tunnel's kselftests only: the base tree's proc ones provoke known
	# races of /proc itself (task->flags read while do_exit() sets
	# PF_EXITING, from proc-tid0), which KCSAN rightly reports.
	SELFTESTS=${SELFTESTS:-proc_tunnel}
elif [[ "$PT_VARIANT" == 64k ]]; then
	KBUILD_OUT=${KBUILD_OUT:-$PT_WORK/build-64k}
	CONFIG_FRAGMENTS=("$PT_REPO/virtme.conf" "$PT_REPO/virtme-64k.conf")
elif [[ "$PT_VARIANT" == lockstat ]]; then
	KBUILD_OUT=${KBUILD_OUT:-$PT_WORK/build-lockstat}
	CONFIG_FRAGMENTS=("$PT_REPO/virtme.conf" "$PT_REPO/virtme-lockstat.conf")
else
	KBUILD_OUT=${KBUILD_OUT:-$PT_WORK/build}
	CONFIG_FRAGMENTS=("$PT_REPO/virtme.conf")
fi
# The base tree package: any linux-source-X.Y from trixie-backports.
LINUX_SOURCE_PKG=${LINUX_SOURCE_PKG:-linux-source-7.3}
LINUX_SOURCE_VERSION=${LINUX_SOURCE_VERSION:-}
LINUX_SOURCE_SUITE=${LINUX_SOURCE_SUITE:-trixie-backports}

BINDGEN_VERSION=0.72.1
VIRTME_NG_VERSION=1.42
# Clang from the LLVM release that rustc-web is built on (22), so that the
# C helpers of the kernel crate can be inlined into Rust code
# (CONFIG_RUST_INLINE_HELPERS, in virtme.conf), which needs both to use the
# same LLVM major version.
# On a new machine rustc-web is not installed yet when setup.sh starts.
LLVM_VERSION=${LLVM_VERSION:-$({ /usr/bin/rustc -vV 2>/dev/null || true; } |
	sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')}
LLVM_VERSION=${LLVM_VERSION:-22}

export PATH="/usr/lib/llvm-$LLVM_VERSION/bin:$PT_WORK/cargo/bin:$PT_WORK/venv/bin:/usr/bin:$PATH"
export LIBCLANG_PATH=/usr/lib/llvm-$LLVM_VERSION/lib
export RUST_LIB_SRC=/usr/lib/rustlib/src/rust/library
export CCACHE_DIR=${CCACHE_DIR:-$PT_WORK/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# The kernel must be built with Debian's rustc-web, never the rustup one.
KMAKE=(make -C "$KERNEL_TREE" O="$KBUILD_OUT" LLVM=1 CC="ccache clang"
       RUSTC=/usr/bin/rustc RUSTFMT=/usr/bin/rustfmt
       BINDGEN="$PT_WORK/cargo/bin/bindgen" -j"$(nproc)")

pt_step_start=0
# step NAME: announce a step and remember when it began.
step() {
	pt_step_start=$SECONDS
	printf '\n==> %s\n' "$*"
}

# done_step: print how long the current step took.
done_step() {
	printf '<== done in %ds\n' $((SECONDS - pt_step_start))
}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}
