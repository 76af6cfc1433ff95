#!/bin/sh
# capture.sh: `capture DIR` on the live host, then `--root DIR check` must give the live findings.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
plan 11

# id, status, message and hint of every finding (the detail may name live-only facts such as
# the device mode of /dev/kvm, which an empty file in a snapshot does not carry).
findings() { jq -c '.steps[].findings[] | [.id, .status, .message, .hint]' "$1"; }

# live_and_snapshot: a live check, a capture, and the check of that snapshot; sets live_rc, cap_rc, snap_rc.
live_and_snapshot() {
	rm -rf "$TAP_TMP/snap"
	"$KVMPREP" check --json >"$TAP_TMP/live.json"; live_rc=$?
	"$KVMPREP" capture "$TAP_TMP/snap" >"$TAP_TMP/capture.out" 2>&1; cap_rc=$?
	"$KVMPREP" --root "$TAP_TMP/snap" check --json >"$TAP_TMP/snap.json"; snap_rc=$?
	findings "$TAP_TMP/live.json" >"$TAP_TMP/live.f"
	findings "$TAP_TMP/snap.json" >"$TAP_TMP/snap.f"
}
# The live host may change between two reads (KSM counters, a new kernel message, another test
# probing /dev/kvm at the same moment): up to three rounds. A capture defect fails every round.
for round in 1 2 3; do
	live_and_snapshot
	cmp -s "$TAP_TMP/live.f" "$TAP_TMP/snap.f" && [ "$snap_rc" = "$live_rc" ] && break
	echo "# round $round: the live and the snapshot findings differ"
done
ok "$cap_rc" "capture succeeds"
test -f "$TAP_TMP/snap/proc/cpuinfo"; ok $? "the snapshot holds /proc/cpuinfo"
test -f "$TAP_TMP/snap/.kvmprep/cpuid.raw" && grep -q '^basic_cpuid\[0\]=' "$TAP_TMP/snap/.kvmprep/cpuid.raw"
ok $? "the snapshot holds the CPUID dump in libcpuid's format"
test -f "$TAP_TMP/snap/.kvmprep/uid"; ok $? "the snapshot holds the uid"
test -f "$TAP_TMP/snap/.kvmprep/kvm-probe" || test -f "$TAP_TMP/snap/.kvmprep/kvm-probe.error"
ok $? "the snapshot holds the /dev/kvm probe result"

diff -u "$TAP_TMP/live.f" "$TAP_TMP/snap.f" | sed 's/^/# /'
cmp -s "$TAP_TMP/live.f" "$TAP_TMP/snap.f"; ok $? "the snapshot gives the live findings"
is "$snap_rc" "$live_rc" "the snapshot gives the live exit code"
a=$(jq -c '.host | del(.limits)' "$TAP_TMP/live.json"); b=$(jq -c '.host | del(.limits)' "$TAP_TMP/snap.json")
is "$a" "$b" "the snapshot gives the live host overview"

"$KVMPREP" capture "$TAP_TMP/snap" >/dev/null 2>&1
test $? -ne 0; ok $? "capture refuses a directory that is not empty"

# Every snapshot host captured again through --root gives the same findings and host overview:
# wants links read with lstat come along, and so do the systemctl answers (.kvmprep/unit-active).
bad=
for h in "$HOSTS"/*/; do
	n=$(basename "$h")
	"$KVMPREP" --root "$h" check --json >"$TAP_TMP/$n.orig.json" 2>/dev/null; orig_rc=$?
	"$KVMPREP" --root "$h" capture "$TAP_TMP/re-$n" >/dev/null 2>&1 || { bad="$bad $n(capture)"; continue; }
	"$KVMPREP" --root "$TAP_TMP/re-$n" check --json >"$TAP_TMP/$n.re.json" 2>/dev/null; re_rc=$?
	findings "$TAP_TMP/$n.orig.json" >"$TAP_TMP/$n.orig.f"; findings "$TAP_TMP/$n.re.json" >"$TAP_TMP/$n.re.f"
	if ! cmp -s "$TAP_TMP/$n.orig.f" "$TAP_TMP/$n.re.f" || [ "$orig_rc" != "$re_rc" ] ||
		[ "$(jq -c .host "$TAP_TMP/$n.orig.json")" != "$(jq -c .host "$TAP_TMP/$n.re.json")" ]; then
		bad="$bad $n"
		diff -u "$TAP_TMP/$n.orig.f" "$TAP_TMP/$n.re.f" | sed 's/^/# /'
	fi
done
is "${bad:-none}" none "every snapshot host, captured again, gives its own findings"
# A capture of a capture keeps the systemctl answers (.kvmprep/unit-active) and so the findings.
"$KVMPREP" --root "$TAP_TMP/re-debian12-amd" capture "$TAP_TMP/re-re" >/dev/null 2>&1 &&
	cmp -s "$TAP_TMP/re-debian12-amd/.kvmprep/unit-active/ksmtuned.service" "$TAP_TMP/re-re/.kvmprep/unit-active/ksmtuned.service" &&
	"$KVMPREP" --root "$TAP_TMP/re-re" check --json >"$TAP_TMP/re-re.json" 2>/dev/null
findings "$TAP_TMP/re-re.json" | cmp -s - "$TAP_TMP/debian12-amd.orig.f"; ok $? "a snapshot captured again keeps the service state"
