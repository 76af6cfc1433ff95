#!/bin/sh
# docs.sh: the man pages render without groff warnings, the sample profile loads commented and
# uncommented, and the bash completion parses and completes.
. "$srcdir/tests/e2e/tap.sh"
scratch
plan 13

DOCS="$srcdir/docs"
HOST="$HOSTS/centos6-amd"

# ---- man pages ----
for page in kvmprep.8 kvmprep.conf.5; do
	if command -v groff >/dev/null 2>&1; then
		groff -man -Tutf8 -ww -z "$DOCS/$page" >"$TAP_TMP/groff.out" 2>&1
		st=$?
		sed 's/^/# /' "$TAP_TMP/groff.out"
		[ "$st" -eq 0 ] && [ ! -s "$TAP_TMP/groff.out" ]
		ok $? "$page: groff -ww prints no warning"
		groff -man -Tascii -P-bcou "$DOCS/$page" 2>/dev/null | grep -q '^SEE ALSO'
		ok $? "$page: renders with a SEE ALSO section"
	else
		echo "ok $((TAP_N + 1)) # SKIP groff not installed"
		echo "ok $((TAP_N + 2)) # SKIP groff not installed"
		TAP_N=$((TAP_N + 2))
	fi
done

# Every finding id of a check run is documented in kvmprep.8.
if command -v jq >/dev/null 2>&1; then
	ids=$("$KVMPREP" --root "$HOST" check --json | jq -r '.steps[].findings[].id')
	missing=
	for id in $ids; do
		grep -q -E "^\.BR? (.* )?$id\b" "$DOCS/kvmprep.8" || missing="$missing $id"
	done
	[ -n "$ids" ] && [ -z "$missing" ]
	ok $? "kvmprep.8 documents every finding id${missing:+ (missing:$missing)}"
else
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP jq not installed"
fi

# ---- the sample profile ----
"$KVMPREP" --profile "$DOCS/kvmprep.conf.sample" --root "$HOST" plan >/dev/null 2>"$TAP_TMP/err"
is "$?" 0 "kvmprep.conf.sample loads as shipped (everything commented out)"
sed 's/^/# /' "$TAP_TMP/err"
# Uncomment every setting: "#key", "#group: {" and "#};" lose their "#", explanations ("# ...") stay.
sed 's/^\([[:space:]]*\)#\([^[:space:]#]\)/\1\2/' "$DOCS/kvmprep.conf.sample" >"$TAP_TMP/all.conf"
n=$(grep -c -E '^[[:space:]]*(steps|enable|passthrough|autostart|monitor_interval|sleep_msec|npages_boost|npages_decay|npages_min|npages_max|thres_coef|thres_const|debug|logfile) =' "$TAP_TMP/all.conf")
is "$n" 17 "the uncommented sample sets every key"
"$KVMPREP" --profile "$TAP_TMP/all.conf" --root "$HOST" plan >/dev/null 2>"$TAP_TMP/err"
is "$?" 0 "the uncommented sample loads"
sed 's/^/# /' "$TAP_TMP/err"

# ---- bash completion ----
COMP="$srcdir/contrib/bash-completion/kvmprep"
if command -v bash >/dev/null 2>&1; then
	bash -n "$COMP"
	ok $? "bash completion: bash -n"
	mkdir -p "$TAP_TMP/root/var/lib/kvmprep/20260101-000000-1" "$TAP_TMP/root/var/lib/kvmprep/20260102-000000-1"
	mkdir -p "$TAP_TMP/root/var/lib/kvmprep/notes"
	: >"$TAP_TMP/root/var/lib/kvmprep/lock"
	out=$(bash -c '. "$1"; shift
		t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _kvmprep; echo "${COMPREPLY[*]}"; }
		t kvmprep ""
		t kvmprep --only cpu,i
		t kvmprep --root "$1" undo ""
		t kvmprep --no' sh "$COMP" "$TAP_TMP/root")
	is "$(echo "$out" | sed -n 1p)" "check plan apply undo capture demo wizard" "bash completion: the commands"
	is "$(echo "$out" | sed -n 2p)" "cpu,iommu" "bash completion: --only completes the last step id"
	is "$(echo "$out" | sed -n 3p)" "20260101-000000-1 20260102-000000-1" "bash completion: undo completes the journal ids of --root, nothing else"
	is "$(echo "$out" | sed -n 4p)" "--no-color" "bash completion: the options"
else
	for i in 1 2 3 4 5; do
		TAP_N=$((TAP_N + 1))
		echo "ok $TAP_N # SKIP bash not installed"
	done
fi
exit 0
