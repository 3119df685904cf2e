#!/usr/bin/env bash
# Host-side tests of the tunnel's ring buffer (ci/ring-tests), built with the
# machine's own cargo from the tree view's copy of fs/proc/tunnel_ring.rs. A
# logic bug in the ring fails here in seconds, before any kernel build.
. "$(dirname "$0")/lib.sh"

cargo=$(command -v cargo || true)
[[ -n "$cargo" ]] || cargo=$HOME/.cargo/bin/cargo
mkdir -p "$PT_WORK/logs"

step "host tests of the ring buffer (cargo test)"
set +e
(cd "$PT_REPO/ci/ring-tests" && CARGO_TARGET_DIR=$PT_WORK/ring-tests-target \
	"$cargo" test --offline 2>&1) | tee "$PT_WORK/logs/host-tests.log" | grep -E '^test |test result'
rc=${PIPESTATUS[0]}
set -e
passed=$(grep -c '^test .* ok$' "$PT_WORK/logs/host-tests.log" || true)
failed=$(grep -c '^test .* FAILED$' "$PT_WORK/logs/host-tests.log" || true)
((rc == 0 || failed > 0)) || failed=1
echo "$passed $failed" >"$PT_WORK/logs/host-tests.counts"
done_step
((failed == 0))
