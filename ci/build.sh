#!/usr/bin/env bash
# Build the kernel in $KBUILD_OUT (incremental, ccache for C) and the
# kselftests the test run uses, installed in $PT_WORK/kselftest.
. "$(dirname "$0")/lib.sh"

SELFTESTS=${SELFTESTS:-proc_tunnel proc}
mkdir -p "$PT_WORK/logs"
log=$PT_WORK/logs/build.log

step "build: kernel in $KBUILD_OUT (log: $log)"
ccache -z >/dev/null 2>&1 || true
if ! "${KMAKE[@]}" >"$log" 2>&1; then
	grep -E -A5 '(error|Error)(\[E[0-9]+\])?:' "$log" | head -n 60 || tail -n 40 "$log"
	die "kernel build failed"
fi
grep -E '(warning(\[[a-z_:]+\])?:)' "$log" && die "the build printed warnings (see above)"
echo "$(git -C "$KERNEL_TREE" describe --always --tags) built: $(du -h "$KBUILD_OUT/arch/x86/boot/bzImage" | cut -f1) bzImage"
ccache -s 2>/dev/null | grep -E 'Hits|Misses' | head -n 2 || true
done_step

step "build: the guest's helper programs (ci/guest) in $PT_WORK/tools"
mkdir -p "$PT_WORK/tools"
for src in "$PT_REPO"/ci/guest/*.c; do
	prog=$(basename "$src" .c)
	gcc -Wall -Werror -O2 -o "$PT_WORK/tools/$prog" "$src" ||
		die "could not build $prog"
done
ls "$PT_WORK/tools"
done_step

step "build: kselftests ($SELFTESTS)"
# kselftest_errors: the compiler's errors in the build log, for a failed step.
kselftest_errors() {
	grep -E -B2 -A5 'error' "$log" | tail -n 40
}
"${KMAKE[@]}" -s headers >>"$log" 2>&1 || die "make headers failed"
rm -rf "$PT_WORK/kselftest"
if ! make -C "$KERNEL_TREE/tools/testing/selftests" TARGETS="$SELFTESTS" \
	O="$KBUILD_OUT/kselftest" KHDR_INCLUDES="-isystem $KBUILD_OUT/usr/include" \
	INSTALL_PATH="$PT_WORK/kselftest" install >>"$log" 2>&1; then
	kselftest_errors
	die "kselftest build failed"
fi
# The kselftest install goes on past a target that does not build: a test
# that does not compile must fail here, not leave the run with fewer tests.
for target in $SELFTESTS; do
	progs=$(make -s -C "$KERNEL_TREE/tools/testing/selftests/$target" \
		O="$KBUILD_OUT/kselftest" KHDR_INCLUDES="-isystem $KBUILD_OUT/usr/include" \
		-f Makefile -f - print-progs <<<'print-progs: ; @echo $(TEST_GEN_PROGS)' 2>/dev/null) || true
	[[ -n "$progs" ]] || die "kselftests: no programs listed for $target"
	for prog in $progs; do
		[[ -x "$PT_WORK/kselftest/$target/$(basename "$prog")" ]] || {
			kselftest_errors
			die "kselftest $target/$(basename "$prog") was not built"
		}
	done
done
ls "$PT_WORK/kselftest"
done_step
