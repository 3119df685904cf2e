#!/usr/bin/env bash
# Host-side tests of the tunnel's ring buffer (ci/ring-tests), built from the
# tree view's copy of fs/proc/tunnel_ring.rs. A logic bug in the ring fails
# here in seconds, before any kernel build. Three runs, each counted:
#   cargo test   property tests against a VecDeque model, wrap at every offset
#   miri         the same tests, fewer cases, under Miri (nightly)
#   fuzz         cargo fuzz of the ring against the model for FUZZ_SECONDS;
#                one test, passed if nothing crashed
# Writes "PASSED FAILED" to $PT_WORK/logs/host-tests.counts for run-tests.sh.
. "$(dirname "$0")/lib.sh"

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
logs=$PT_WORK/logs
fuzz=$PT_WORK/ring-fuzz
mkdir -p "$logs" "$fuzz/corpus" "$fuzz/artifacts"
rm -f "$logs/host-tests.counts"

# rustup's cargo and rustc first: lib.sh puts /usr/bin, Debian's rustc for
# the kernel, ahead of them, and `cargo +nightly` would build with that.
[[ -x $HOME/.cargo/bin/cargo ]] || die "no rustup cargo in ~/.cargo/bin"
export PATH=$HOME/.cargo/bin:$PATH
command -v cargo-fuzz >/dev/null || die "no cargo-fuzz: run ci/setup.sh"
# A kernel build may share the machine.
export CARGO_BUILD_JOBS=1
# A failure's message and line say what broke; backtraces only bury them.
export RUST_BACKTRACE=0
export CARGO_TARGET_DIR=$PT_WORK/ring-tests-target
cd "$PT_REPO/ci/ring-tests"

passed=0
failed=0

# logged LOG CMD...: run CMD with its output in LOG, showing the test lines
# and, if it fails, why; returns CMD's status.
logged() {
	local log=$1 status
	shift
	set +e
	"$@" >"$log" 2>&1
	status=$?
	set -e
	grep -E '^test |^test result' "$log" || true
	if ((status != 0)); then
		echo "--- failed ($status), from $log:"
		# The failures' messages if tests ran, else (a build error) the end.
		if grep -q '^failures:$' "$log"; then
			sed -n '/^failures:$/,/^test result/p' "$log" | cut -c 1-300 | head -n 80
		else
			tail -n 40 "$log"
		fi
	fi
	return "$status"
}

# tally LOG STATUS: count LOG's `test ... ok` and `test ... FAILED` lines; a
# failed run with no failed test (a build error) counts as one failure.
tally() {
	local ok bad
	ok=$(grep -c '^test .* ok$' "$1" || true)
	bad=$(grep -c '^test .* FAILED$' "$1" || true)
	(($2 == 0 || bad > 0)) || bad=1
	passed=$((passed + ok))
	failed=$((failed + bad))
}

step "ring buffer, cargo test"
status=0
logged "$logs/host-tests.log" cargo test --locked || status=$?
tally "$logs/host-tests.log" "$status"
done_step

step "ring buffer, miri: cargo +nightly miri test"
# Miri ignores optimization and warns when the profile asks for it.
status=0
CARGO_PROFILE_DEV_OPT_LEVEL=0 logged "$logs/host-tests-miri.log" \
	cargo +nightly miri test --locked || status=$?
tally "$logs/host-tests-miri.log" "$status"
done_step

step "ring buffer, fuzz: cargo +nightly fuzz run ring_ops for ${FUZZ_SECONDS}s"
# The ring is safe code: a sanitizer would find nothing the model's panics do
# not, and would slow every run. -a: overflow checks on. The corpus grows
# across runs on this machine; a crashing input lands in artifacts/.
status=0
cargo +nightly fuzz run --sanitizer none --debug-assertions \
	--target-dir "$fuzz/target" ring_ops "$fuzz/corpus" -- \
	-max_total_time="$FUZZ_SECONDS" -artifact_prefix="$fuzz/artifacts/" \
	>"$logs/host-tests-fuzz.log" 2>&1 || status=$?
if ((status == 0)); then
	grep -E '^Done [0-9]+ runs' "$logs/host-tests-fuzz.log" || true
	echo "fuzz ring_ops ... ok"
	passed=$((passed + 1))
else
	log=$logs/host-tests-fuzz.log
	echo "--- failed ($status), from $log:"
	if grep -q 'panicked at' "$log"; then
		grep -A 1 'panicked at' "$log" | head -n 2 | cut -c 1-300
		artifact=$(grep -o 'Test unit written to .*' "$log" | sed 's/.* to //')
		echo "input: $artifact"
		echo "replay: (cd ci/ring-tests && cargo +nightly fuzz run -s none -a ring_ops $artifact)"
	else
		tail -n 40 "$log"
	fi
	echo "fuzz ring_ops ... FAILED"
	failed=$((failed + 1))
fi
done_step

echo "ring buffer host tests: $passed passed, $failed failed"
echo "$passed $failed" >"$logs/host-tests.counts"
((failed == 0))
