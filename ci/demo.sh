#!/usr/bin/env bash
# Build the patched kernel if needed, boot it under virtme-ng and show
# /proc/tunnel at work.
. "$(dirname "$0")/lib.sh"

ci=$PT_REPO/ci
"$ci/prepare.sh"

step "boot and show /proc/tunnel"
accel=(--disable-kvm)
[[ "${PT_ACCEL:-tcg}" == kvm ]] && accel=()
timeout -k 10 600 vng --run "$KBUILD_OUT/arch/x86/boot/bzImage" \
	--force-initramfs --user root --cpus 2 --memory 1G "${accel[@]}" \
	-e "sh $ci/guest-demo.sh $KBUILD_OUT/drivers/misc/proc_tunnel_peer.ko" </dev/null
done_step
