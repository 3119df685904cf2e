#!/usr/bin/env bash
# Install every tool the build, boot and test steps need. Idempotent: a
# second run only checks.
. "$(dirname "$0")/lib.sh"

APT_PACKAGES=(
	# kernel build: Rust (a matched rustc + library source pair), LLVM
	rustc-web rust-web-src rustfmt-web
	clang-$LLVM_VERSION lld-$LLVM_VERSION llvm-$LLVM_VERSION
	libclang-$LLVM_VERSION-dev
	make flex bison bc cpio kmod libelf-dev libssl-dev rsync ccache git
	# scripts/checkpatch.pl (spdxcheck.py)
	python3-ply python3-git
	# boot: virtme-ng's host side (udev: guest output and exit status)
	qemu-system-x86 busybox-static udev python3-venv
	# unpacking the base tree package
	xz-utils dpkg
)

step "apt packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
else
	echo "all ${#APT_PACKAGES[@]} present"
fi
done_step

step "bindgen-cli $BINDGEN_VERSION"
if [[ "$("$PT_WORK/cargo/bin/bindgen" --version 2>/dev/null)" == *" $BINDGEN_VERSION" ]]; then
	echo "present"
else
	cargo=$(command -v cargo || true)
	[[ -n "$cargo" ]] || cargo=$HOME/.cargo/bin/cargo
	[[ -x "$cargo" ]] || die "no cargo to build bindgen-cli with"
	"$cargo" install --locked --root "$PT_WORK/cargo" \
		bindgen-cli --version "$BINDGEN_VERSION"
fi
done_step

# The ring buffer's host tests (host-tests.sh) run Miri and cargo fuzz on
# rustup's nightly, which must be on the machine.
CARGO_FUZZ_VERSION=0.13.2
rustup_bin=$HOME/.cargo/bin
step "nightly miri, rust-src"
[[ -x "$rustup_bin/rustup" ]] || die "no rustup in $rustup_bin"
components=$("$rustup_bin/rustup" component list --toolchain nightly --installed 2>/dev/null || true)
if [[ "$components" == *miri-* && "$components" == *rust-src* ]]; then
	echo "present"
elif [[ -n "$components" ]]; then
	"$rustup_bin/rustup" component add --toolchain nightly miri rust-src
else
	"$rustup_bin/rustup" toolchain install nightly --profile minimal -c miri -c rust-src
fi
# Miri's sysroot: built once (half a minute), then only checked.
PATH=$rustup_bin:$PATH "$rustup_bin/cargo" +nightly miri setup
done_step

step "cargo-fuzz $CARGO_FUZZ_VERSION"
if [[ "$("$PT_WORK/cargo/bin/cargo-fuzz" --version 2>/dev/null)" == *" $CARGO_FUZZ_VERSION" ]]; then
	echo "present"
else
	"$rustup_bin/cargo" install --locked --root "$PT_WORK/cargo" \
		cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi
done_step

step "virtme-ng $VIRTME_NG_VERSION"
if [[ "$("$PT_WORK/venv/bin/vng" --version 2>/dev/null)" == *"$VIRTME_NG_VERSION"* ]]; then
	echo "present"
else
	/usr/bin/python3 -m venv "$PT_WORK/venv"
	"$PT_WORK/venv/bin/pip" install -q "virtme-ng==$VIRTME_NG_VERSION"
fi
done_step

step "versions"
rustc --version
clang --version | head -n1
ld.lld --version
bindgen --version
cargo-fuzz --version
vng --version
qemu-system-x86_64 --version | head -n1
done_step
