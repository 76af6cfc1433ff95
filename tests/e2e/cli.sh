#!/bin/sh
# cli.sh: the command-line contract of design.md §1: options, usage errors, exit codes, output forms.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
plan 31
host="$HOSTS/centos6-amd"

"$KVMPREP" --help >"$TAP_TMP/help" 2>&1; ok $? "--help exits 0"
grep -q -- '--root DIR' "$TAP_TMP/help"; ok $? "--help lists --root"
v=$("$KVMPREP" --version); is "$v" "kvmprep 0.1.0" "--version prints the version"

"$KVMPREP" --bogus >/dev/null 2>&1; is $? 3 "unknown option exits 3"
"$KVMPREP" frobnicate >/dev/null 2>&1; is $? 3 "unknown command exits 3"
"$KVMPREP" --only nosuch check >/dev/null 2>&1; is $? 3 "--only with an unknown step exits 3"
"$KVMPREP" --only , check >/dev/null 2>&1; is $? 3 "--only with no step exits 3"
"$KVMPREP" --root "$TAP_TMP/does-not-exist" check >/dev/null 2>"$TAP_TMP/err"; is $? 3 "a missing root exits 3"
grep -q 'cannot use' "$TAP_TMP/err"; ok $? "a missing root says why"
"$KVMPREP" capture >/dev/null 2>&1; is $? 3 "capture without a directory exits 3"
"$KVMPREP" --root >/dev/null 2>&1; is $? 3 "--root without an argument exits 3"

# Options may come before or after the command.
a=$("$KVMPREP" --root "$host" --json check | jq -c .summary)
b=$("$KVMPREP" check --json --root "$host" | jq -c .summary)
is "$a" "$b" "options work before and after the command"

# The exit code follows the findings (monitoring-plugin convention).
"$KVMPREP" --root "$host" check --json >"$TAP_TMP/out.json"; rc=$?
want=$(jq 'if .summary.fail > 0 then 2 elif .summary.warn > 0 then 1 else 0 end' "$TAP_TMP/out.json")
is "$rc" "$want" "exit code matches the summary of the snapshot host"
"$KVMPREP" check --json >"$TAP_TMP/live.json"; rc=$?
want=$(jq 'if .summary.fail > 0 then 2 elif .summary.warn > 0 then 1 else 0 end' "$TAP_TMP/live.json")
is "$rc" "$want" "exit code matches the summary on this live host"
n=$(jq '[.steps[].findings[]] | length' "$TAP_TMP/live.json")
sum=$(jq '.summary.ok + .summary.info + .summary.warn + .summary.fail + .summary.skip' "$TAP_TMP/live.json")
is "$n" "$sum" "the summary counts every finding"

# JSON: valid, status words untranslated even in German (the catalog compiled from po/de.po).
if command -v msgfmt >/dev/null 2>&1 && mkdir -p "$TAP_TMP/locale/de/LC_MESSAGES" &&
	msgfmt -o "$TAP_TMP/locale/de/LC_MESSAGES/kvmprep.mo" "$srcdir/po/de.po"; then
	KVMPREP_LOCALEDIR="$TAP_TMP/locale"; export KVMPREP_LOCALEDIR
fi
de() { LANGUAGE=de LANG=C.UTF-8 LC_ALL=C.UTF-8 "$KVMPREP" "$@"; }
de --root "$host" check --json >"$TAP_TMP/de.json"
bad=$(jq -r '[.steps[].findings[].status] - ["ok","info","warn","fail","skip"] | length' "$TAP_TMP/de.json")
is "$bad" 0 "status words are the contract's words in any locale"
# The ksmtuned.conf problems are German too, their file:line and values untouched.
r="$TAP_TMP/badconf"; copy_host "$HOSTS/centos6-guide" "$r"
printf 'KSM_FOO=1\nKSM_NPAGES_MIN=0123\nls -l\n' >>"$r/etc/ksmtuned.conf"
de --root "$r" --only ksm check --json | jq -r '.steps[].findings[] | select(.id == "ksmtuned.config") | .detail' >"$TAP_TMP/de.detail"
grep -q '^/etc/ksmtuned.conf:[0-9]*: KSM_FOO ist keine Einstellung von ksmtuned' "$TAP_TMP/de.detail" &&
	grep -q 'KSM_NPAGES_MIN=0123: mit führender Null' "$TAP_TMP/de.detail" &&
	grep -q 'Zeile [0-9]* ist nicht SCHLÜSSEL=WERT' "$TAP_TMP/de.detail"
ok $? "German: each ksmtuned.conf problem is translated"
unset KVMPREP_LOCALEDIR
jq -e '.host | has("distro") and has("kernel") and has("cpu") and has("vendor") and has("init") and has("bootloader") and has("virtual_machine")' "$TAP_TMP/de.json" >/dev/null
ok $? "the host object has every contract key"

# Text: no colour when stdout is not a terminal, and --quiet drops ok findings.
"$KVMPREP" --root "$host" check >"$TAP_TMP/text"
! grep -q "$(printf '\033')" "$TAP_TMP/text"; ok $? "no colour escapes when stdout is not a terminal"
grep -q '^  \[ OK \] cpu.nx' "$TAP_TMP/text"; ok $? "the text report shows status words"
"$KVMPREP" --root "$host" --quiet check >"$TAP_TMP/quiet"
! grep -q '\[ OK \]' "$TAP_TMP/quiet"; ok $? "--quiet prints no ok finding"
grep -q '^Summary:' "$TAP_TMP/quiet"; ok $? "--quiet still prints the summary"

# --only selects steps; an id of a later version is refused clearly.
ids=$("$KVMPREP" --root "$host" --only ksm,cpu check --json | jq -r '[.steps[].id] | join(",")')
is "$ids" "cpu,ksm" "--only selects exactly those steps, in the step table's order"

# Colour only on a terminal, and never with NO_COLOR or --no-color (script(1) gives a pty).
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	script -qec "$KVMPREP --root $host check" /dev/null >"$TAP_TMP/tty" 2>&1
	grep -q "$esc\[3" "$TAP_TMP/tty"; ok $? "colour on a terminal"
	NO_COLOR=1 script -qec "$KVMPREP --root $host check" /dev/null >"$TAP_TMP/tty" 2>&1
	! grep -q "$esc\[3" "$TAP_TMP/tty"; ok $? "no colour with NO_COLOR on a terminal"
	script -qec "$KVMPREP --root $host --no-color check" /dev/null >"$TAP_TMP/tty" 2>&1
	! grep -q "$esc\[3" "$TAP_TMP/tty"; ok $? "no colour with --no-color on a terminal"
else
	for t in 1 2 3; do echo "ok $((TAP_N + t)) # SKIP script(1) not installed"; done
fi

# Monitoring plugin: the first line and the exit code agree; UNKNOWN when the root is unusable.
"$KVMPREP" --root "$host" --nagios check >"$TAP_TMP/nagios"; rc=$?
head -1 "$TAP_TMP/nagios" | grep -Eq '^KVMPREP (OK|WARNING|CRITICAL) - [0-9]+ ok, .*\| ok=[0-9]+ warn=[0-9]+;0 fail=[0-9]+;;0 skip=[0-9]+ ksm_saved=[0-9]+B;;;0$'
ok $? "--nagios: the status line with perfdata comes first"
word=$(head -1 "$TAP_TMP/nagios" | cut -d' ' -f2)
case "$rc:$word" in 0:OK|1:WARNING|2:CRITICAL) ok 0 "--nagios: exit $rc matches $word" ;; *) ok 1 "--nagios: exit $rc matches $word" ;; esac
"$KVMPREP" --root "$TAP_TMP/none" --nagios check >"$TAP_TMP/nagios" 2>/dev/null; rc=$?
[ "$rc" = 3 ] && head -1 "$TAP_TMP/nagios" | grep -q '^KVMPREP UNKNOWN - '; ok $? "--nagios: UNKNOWN and exit 3 when the root is unusable"
# undo --list
r="$TAP_TMP/listhost"; copy_host "$HOSTS/centos6-guide" "$r"
"$KVMPREP" --root "$r" undo --list | grep -q '^No apply'; ok $? "undo --list on a host without applies"
"$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null
"$KVMPREP" --root "$r" undo --list --json | jq -e '.journal | length == 1 and .[0].state == "awaiting-reboot" and .[0].actions == ["iommu.boot_flag"]' >/dev/null
ok $? "undo --list --json names the entry, its state and actions"
