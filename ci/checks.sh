#!/usr/bin/env bash
# Static checks of the applied series, each failing the run on a finding:
# kernel-doc of the header, rustfmt of the Rust code, and the Sphinx build of
# the filesystems documentation (Sphinx from PyPI, in its own venv).
. "$(dirname "$0")/lib.sh"

SPHINX_VERSION=9.0.4
mkdir -p "$PT_WORK/logs"

step "kernel-doc -none -Wall include/linux/proc_fs.h"
out=$("$KERNEL_TREE/scripts/kernel-doc" -none -Wall "$KERNEL_TREE/include/linux/proc_fs.h" 2>&1)
[[ -z "$out" ]] || die "kernel-doc: $out"
echo "no warnings"
done_step

step "make rustfmtcheck"
"${KMAKE[@]}" -s rustfmtcheck || die "rustfmt would change the Rust code (see above)"
echo "formatted"
done_step

step "make SPHINXDIRS=filesystems htmldocs (Sphinx $SPHINX_VERSION)"
venv=$PT_WORK/docs-venv
if [[ "$("$venv/bin/sphinx-build" --version 2>/dev/null)" != *" $SPHINX_VERSION" ]]; then
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install -q "sphinx==$SPHINX_VERSION" alabaster pyyaml
fi
log=$PT_WORK/logs/htmldocs.log
PATH=$venv/bin:$PATH make -C "$KERNEL_TREE" O="$PT_WORK/docs" SPHINXDIRS=filesystems \
	htmldocs >"$log" 2>&1 || { tail -n 20 "$log"; die "htmldocs failed"; }
# The base tree has warnings of its own; only ours fail the run.
if grep -E 'WARNING|ERROR' "$log" | grep -E 'filesystems/proc-tunnel\.rst|linux/proc_fs\.h'; then
	die "the documentation of the series has warnings (above)"
fi
[[ -f "$PT_WORK/docs/Documentation/output/filesystems/proc-tunnel.html" ]] ||
	die "proc-tunnel.html was not built"
echo "proc-tunnel.html built, no warnings of its own ($(grep -c WARNING "$log") in the rest of filesystems/)"
done_step
