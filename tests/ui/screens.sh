#!/bin/sh
# screens.sh: headless dumps of every wizard screen and dialog (80x24, TERM=linux) against reviewed
# golden files in tests/ui/expected/, UTF-8 and German renderings, applies through the dumper.
# Regenerate the golden files only by hand, then read them: REGEN=1 make check TESTS=tests/ui/screens.sh
. "$srcdir/tests/e2e/tap.sh"
DUMP="$(dirname "$KVMPREP")/tests/ui/screendump"
[ -x "$DUMP" ] || skip_all "tests/ui/screendump is not built"
scratch
plan 40
EXP="$srcdir/tests/ui/expected"
GUIDE="$HOSTS/centos6-guide"
EXPECTED_IOMMU="$srcdir/tests/expected/iommu/centos6-guide/boot/grub/grub.conf"

# dump NAME LOCALE ARGS...: the screen after the keys, into $TAP_TMP/NAME.txt (TERM, LINES, COLUMNS
# default to linux, 24, 80; DUMP_ROOT defaults to the guide's host, read only).
dump() {
	name=$1 loc=$2
	shift 2
	env TERM="${DUMP_TERM:-linux}" LINES="${DUMP_LINES:-24}" COLUMNS="${DUMP_COLS:-80}" LC_ALL="$loc" \
		"$DUMP" --root "${DUMP_ROOT:-$GUIDE}" --root-label /demo/centos6-guide "$@" \
		>"$TAP_TMP/$name.txt" 2>"$TAP_TMP/$name.err"
}

# golden NAME [LOCALE ARGS...]: dump and compare with tests/ui/expected/NAME.txt (REGEN=1 rewrites it).
golden() {
	name=$1
	shift
	dump "$name" "$@"
	rc=$?
	[ -n "${REGEN:-}" ] && [ "$rc" = 0 ] && cp "$TAP_TMP/$name.txt" "$EXP/$name.txt"
	if [ "$rc" = 0 ] && diff -u "$EXP/$name.txt" "$TAP_TMP/$name.txt" >"$TAP_TMP/$name.diff" 2>&1; then
		ok 0 "$name matches the golden file"
	else
		sed 's/^/# /' "$TAP_TMP/$name.err" "$TAP_TMP/$name.diff"
		ok 1 "$name matches the golden file"
	fi
}

# same NAME GOLDEN: the last dump NAME equals the golden file GOLDEN.
same() {
	cmp -s "$EXP/$2.txt" "$TAP_TMP/$1.txt"
	r=$?
	[ "$r" = 0 ] || diff -u "$EXP/$2.txt" "$TAP_TMP/$1.txt" | sed 's/^/# /'
	ok "$r" "$3"
}

has() { grep -q -F -- "$2" "$TAP_TMP/$1.txt"; }

# ---- every screen and dialog, C locale ----
golden welcome C --screen welcome
golden cpu C --screen cpu
golden bios C --screen bios
golden iommu C --screen iommu
golden iommu-details C --screen iommu --keys "Down Down Enter"
golden iommu-preview C --screen iommu --keys "Tab Enter"
golden iommu-preview-end C --screen iommu --keys "Tab Enter End"
golden ksm C --screen ksm
golden ksm-chart C --screen ksm --keys "End"
golden ksm-form C --screen ksm --keys "Tab Tab Enter"
golden ksm-form-refused C --screen ksm --keys "Tab Tab Enter Backspace Backspace Text:0 Tab"
golden ksm-form-preview C --screen ksm --keys "Tab Tab Enter Backspace Text:5 End Tab Tab Enter"
golden ksm-form-discard C --screen ksm --keys "Tab Tab Enter Text:1 Esc"
golden quit-confirm C --screen ksm --keys "Tab Tab Enter Text:1 F10"
golden summary C --screen summary
golden summary-end C --screen summary --keys "End"
golden help C --screen welcome --keys "F1"
golden help-end C --screen welcome --keys "F1 End"
DUMP_LINES=20 DUMP_COLS=60 golden too-small C --screen welcome
DUMP_TERM=xterm golden iommu-xterm-utf8 C.UTF-8 --screen iommu
golden iommu-preview-100x30 C --screen iommu --keys "Tab Enter Resize:100x30"

# ---- the same screens through other paths ----
dump resized C --screen iommu --keys "Resize:60x20 Resize:80x24"
same resized iommu "a resize to 60x20 and back gives the same screen"
dump small C --screen iommu --keys "Tab Enter Resize:60x20"
same small too-small "a resize below 70x20 inside a dialog shows the too-small screen"
dump reopen C --screen iommu --keys "Tab Enter Resize:60x20 Resize:80x24"
same reopen iommu-preview "the dialog comes back when the terminal is large enough again"
dump utf8 C.UTF-8 --screen welcome
same utf8 welcome "UTF-8 on the Linux console draws the same cells (ASCII glyphs, ACS lines)"
NO_COLOR=1 dump nocolor C --screen welcome
same nocolor welcome "NO_COLOR gives the monochrome theme, same text"
DUMP_TERM=xterm dump ascii C.UTF-8 --screen iommu --ascii
has ascii '<Apply...>' && ! has ascii '…'; ok $? "--ascii draws no UTF-8 glyphs"
dump esc C --screen iommu --keys "Tab Enter Esc"
same esc iommu "Esc cancels the preview"
dump help-closed C --screen welcome --keys "F1 Esc"
same help-closed welcome "Esc closes the help"

# ---- German (the catalog compiled from po/de.po) ----
if command -v msgfmt >/dev/null 2>&1 && mkdir -p "$TAP_TMP/locale/de/LC_MESSAGES" &&
	msgfmt -o "$TAP_TMP/locale/de/LC_MESSAGES/kvmprep.mo" "$srcdir/po/de.po"; then
	export KVMPREP_LOCALEDIR="$TAP_TMP/locale"
	LANGUAGE=de dump de-iommu C.UTF-8 --screen iommu
	has de-iommu 'IOMMU-Boot-Parameter' && has de-iommu 'nicht konfiguriert: der Kernel braucht'
	ok $? "German: the step title and the findings are translated"
	LANGUAGE=de dump de-summary C.UTF-8 --screen summary --keys "End"
	has de-summary 'KSM-Dienste und Autostart' && [ "$(wc -l <"$TAP_TMP/de-summary.txt")" -eq 24 ] &&
		[ "$(LC_ALL=C.UTF-8 wc -L <"$TAP_TMP/de-summary.txt")" -le 80 ]
	ok $? "German: the summary fits 80x24"
	LANGUAGE=de dump de-c C --screen iommu
	has de-c 'IOMMU boot flag'; ok $? "German in the C locale falls back to English"
	unset KVMPREP_LOCALEDIR
else
	for t in 1 2 3; do echo "ok $((TAP_N + t)) # SKIP msgfmt not installed"; done
	TAP_N=$((TAP_N + 3))
fi

# ---- changes made through the dumper, on private copies ----
copy_host "$GUIDE" "$TAP_TMP/h1"
DUMP_ROOT="$TAP_TMP/h1" dump cancel C --screen iommu --keys "Tab Enter Enter"
cmp -s "$GUIDE/boot/grub/grub.conf" "$TAP_TMP/h1/boot/grub/grub.conf" && [ ! -e "$TAP_TMP/h1/var/lib/kvmprep" ]
ok $? "Enter on the focused <Cancel> changes nothing"
DUMP_ROOT="$TAP_TMP/h1" dump applied C --screen iommu --keys "Tab Enter Tab Enter"
has applied '[done] iommu.boot_flag' && has applied 'Journal '
ok $? "<Apply> in the preview applies the step and shows the result"
cmp -s "$EXPECTED_IOMMU" "$TAP_TMP/h1/boot/grub/grub.conf"; ok $? "grub.conf is byte for byte the expected one"
DUMP_ROOT="$TAP_TMP/h1" dump verify C
has verify 'Verify after reboot' && has verify 'not yet'
ok $? "the next start opens on 'verify after reboot' while the reboot is pending"
copy_host "$GUIDE" "$TAP_TMP/h2"
DUMP_ROOT="$TAP_TMP/h2" dump form-saved C --screen ksm --keys "Tab Tab Enter Backspace Text:5 End Tab Tab Enter Tab Enter"
has form-saved '[done] ksmtuned.config' && grep -q '^KSM_MONITOR_INTERVAL=65$' "$TAP_TMP/h2/etc/ksmtuned.conf"
ok $? "the settings form saves through the previewed, journaled edit"
DUMP_ROOT="$TAP_TMP/h2" dump ksm-applied C --screen ksm --keys "Tab Enter Tab Enter Enter"
has ksm-applied '[ OK ] ksm.autostart' && [ -L "$TAP_TMP/h2/etc/rc.d/rc3.d/S84ksm" ]
ok $? "the KSM apply starts and enables the services"

# ---- another host: the IOMMU group table ----
DUMP_ROOT="$HOSTS/debian12-amd" dump groups C --screen iommu --keys "End"
has groups 'IOMMU groups' && has groups '0000:21:00.0 10de:1b80 class 0x030000'
ok $? "the IOMMU group table lists the devices"

# ---- the dumper under valgrind: no invalid access, no definite leak ----
# (Not for a sanitizer build: ASan and valgrind cannot run together; ASan checks it then.)
if ldd "$DUMP" 2>/dev/null | grep -q libasan; then
	echo "ok $((TAP_N + 1)) # SKIP built with AddressSanitizer, which checks the same"
	TAP_N=$((TAP_N + 1))
elif command -v valgrind >/dev/null 2>&1; then
	env TERM=linux LINES=24 COLUMNS=80 LC_ALL=C valgrind -q --error-exitcode=9 --leak-check=full \
		--errors-for-leak-kinds=definite "$DUMP" --root "$GUIDE" --screen ksm \
		--keys "End Tab Tab Tab Enter Text:7 Tab F1 Esc Esc Tab Enter Resize:90x30" >/dev/null 2>"$TAP_TMP/vg"
	r=$?
	sed 's/^/# /' "$TAP_TMP/vg"
	ok "$r" "valgrind: the dumper is clean"
else
	echo "ok $((TAP_N + 1)) # SKIP valgrind not installed"
	TAP_N=$((TAP_N + 1))
fi
[ "$TAP_FAILED" = 0 ]
