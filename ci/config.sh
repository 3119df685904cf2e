#!/usr/bin/env bash
# Configure $KBUILD_OUT: tinyconfig plus virtme.conf, then check that every
# option virtme.conf sets survived olddefconfig.
. "$(dirname "$0")/lib.sh"

(($#)) && CONFIG_FRAGMENTS=("$@")

step "rustavailable"
"${KMAKE[@]}" -s rustavailable ||
	die "the Rust toolchain does not fit this kernel; run ci/setup.sh"
done_step

step "config: tinyconfig + ${CONFIG_FRAGMENTS[*]##*/}"
mkdir -p "$KBUILD_OUT"
prev=$KBUILD_OUT/.config.prev
[[ -f "$KBUILD_OUT/.config" ]] && cp "$KBUILD_OUT/.config" "$prev" || rm -f "$prev"
"${KMAKE[@]}" -s tinyconfig >/dev/null
"$KERNEL_TREE/scripts/kconfig/merge_config.sh" -m -O "$KBUILD_OUT" \
	"$KBUILD_OUT/.config" "${CONFIG_FRAGMENTS[@]}" >/dev/null
"${KMAKE[@]}" -s olddefconfig >/dev/null

dropped=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) want="# ${line%=n} is not set"
		    grep -qx "$want" "$KBUILD_OUT/.config" ||
			    ! grep -q "^${line%=n}=" "$KBUILD_OUT/.config" ;;
	CONFIG_*=*) grep -qx "$line" "$KBUILD_OUT/.config" ;;
	"# CONFIG_"*" is not set")
		    opt=${line#\# }; opt=${opt%% *}
		    ! grep -q "^$opt=" "$KBUILD_OUT/.config" ;;
	*) continue ;;
	esac || { echo "config: $line was dropped by olddefconfig"; dropped=1; }
done < <(cat "${CONFIG_FRAGMENTS[@]}")
((dropped == 0)) || die "the kernel config lost options of ${CONFIG_FRAGMENTS[*]##*/} (see above)"
if [[ -f "$prev" ]] && cmp -s "$prev" "$KBUILD_OUT/.config"; then
	echo "unchanged"
else
	echo "$(grep -c '=y' "$KBUILD_OUT/.config") options set to y"
fi
done_step
