#!/bin/sh
# faults.sh: issue 7 §3: SIGKILL an apply between every two of its steps (KVMPREP_TEST_KILL_AT); files whole, journal loads, undo and a new apply work.
#
# For each scenario, kvmprep --root COPY apply --yes runs with KVMPREP_TEST_KILL_AT=1, 2, 3, ...
# on a fresh copy until it completes without being killed. After each kill: every file the
# apply touches is the original or the complete new file (sha256 against the two versions),
# every journal entry loads, `undo` brings back the original tree, and a new apply gives the
# expected files. Temporary files a kill leaves (.NAME.kvmprep-*) are counted, not failed.
# The GRUB legacy scenario is swept whole. The two that run commands cost 0.2 s and 1 s per
# kill (the simulated grubby, chkconfig and service), so `make check` kills them only at a few
# points, those around their commands included; FAULTS_FULL=1 kills every scenario at every
# point, FAULTS_STRIDE=S at 1, 1+S, 1+2S, ... (docs/reliability.md has a full run's figures).
# The copies live on /dev/shm when TMPDIR is unset: hundreds of fsyncs cost nothing there, and
# a kill, unlike a power cut, does not depend on them.
. "$srcdir/tests/e2e/tap.sh"
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum not installed"
scratch
plan 3

copy() { copy_host "$HOSTS/$1" "$TAP_TMP/$1"; echo "$TAP_TMP/$1"; }
# tree_sum DIR: every path (type, mode, link) and file checksum, minus the journal, the sims'
# state and the temporary files a kill may leave.
tree_sum() {
	(cd "$1" && find . \( -path ./var/lib/kvmprep -o -path ./run/kvmprep-sim -o -name '.*.kvmprep-*' \) -prune -o -printf '%y %m %p %l\n' |
	 grep -v -E '^d [0-7]+ \./(var|var/lib|run)? $' | LC_ALL=C sort &&
	 find . \( -path ./var/lib/kvmprep -o -path ./run/kvmprep-sim -o -name '.*.kvmprep-*' \) -prune -o -type f -print0 |
	 LC_ALL=C sort -z | xargs -0 sha256sum)
}
# scan ROOT: sets t_host and t_journal (temporary files of atomic writes left next to host
# files and in the journal), staged (entry directories left half made, ".ID.new", which
# nothing reads) and n_dirs (entry directories, named by their id).
scan() {
	set -- $(find "$1" \( -name '.*.kvmprep-*' -o -path "$1/var/lib/kvmprep/*" -type d \) -print |
		awk -v j="$1/var/lib/kvmprep/" '
			index($0, j) != 1 { h++; next }
			$0 ~ /\/\.[^\/]*\.kvmprep-[^\/]*$/ { t++; next }
			{ rest = substr($0, length(j) + 1) }
			rest ~ /^\.[^\/]*\.new$/ { s++ }
			rest ~ /^[0-9][^\/]*$/ { d++ }
			END { print h + 0, t + 0, s + 0, d + 0 }')
	t_host=$1 t_journal=$2 staged=$3 n_dirs=$4
}
# journal_ok ROOT: every entry directory loads (undo --list --json shows each one that does);
# sets n_list to their number. Needs scan first.
journal_ok() {
	n_list=$("$KVMPREP" --root "$1" undo --list --json | grep -o '"id":' | wc -l)
	n_list=$((n_list + 0))
	[ "$n_dirs" = "$n_list" ] || { echo "# journal: $n_dirs entries, $n_list load"; return 1; }
}
# fail_point TEXT: records a failure of the current kill point.
fail_point() { echo "# KVMPREP_TEST_KILL_AT=$n ($point): $1"; bad=$((bad + 1)); }

# sweep NAME HOST FIRST STRIDE STEP-ARGS: the kill loop from point FIRST on; per scenario hooks
#   touched_ok ROOT  (each touched file original or new), applied_ok ROOT (the expected result).
sweep() {
	name=$1 host=$2 n=$3 stride=$4; shift 4
	[ -n "${FAULTS_STRIDE:-}" ] && n=1 stride=$FAULTS_STRIDE
	[ "${FAULTS_FULL:-0}" = 1 ] && n=1 stride=1
	started=$(date +%s)
	pristine=$(copy "$host")
	tree_sum "$pristine" >"$TAP_TMP/before"
	kills=0 bad=0 left=0 left_journal=0 left_staged=0 entries=0 total= points=
	while [ "$n" -le 1000 ]; do
		r=$(copy "$host")
		KVMPREP_TEST_KILL_AT=$n "$KVMPREP" --root "$r" "$@" apply --yes >/dev/null 2>"$TAP_TMP/err"
		rc=$?
		if [ "$rc" != 137 ]; then
			# Past the last kill point: the apply ran to its end, and says how many it passed.
			total=$(sed -n 's/.*not reached, \([0-9]*\) kill points passed$/\1/p' "$TAP_TMP/err")
			[ "$rc" = 0 ] && applied_ok "$r" || fail_point "the uninterrupted apply failed (rc $rc)"
			break
		fi
		kills=$((kills + 1))
		point=$(sed -n 's/.*killed after //p' "$TAP_TMP/err")
		[ "$stride" = 1 ] || points="$points${points:+, }$n ($point)"
		touched_ok "$r" || fail_point "a touched file is neither the original nor the new one"
		scan "$r"
		journal_ok "$r" || fail_point "a journal entry does not load"
		left=$((left + t_host)) left_journal=$((left_journal + t_journal)) left_staged=$((left_staged + staged))
		[ "$n_list" -gt 0 ] && entries=$((entries + 1))
		"$KVMPREP" --root "$r" undo >"$TAP_TMP/undo.out" 2>&1 || { sed 's/^/# /' "$TAP_TMP/undo.out"; fail_point "undo failed"; }
		tree_sum "$r" >"$TAP_TMP/undone"
		cmp -s "$TAP_TMP/before" "$TAP_TMP/undone" || { diff "$TAP_TMP/before" "$TAP_TMP/undone" | sed 's/^/# /' | head -10; fail_point "undo did not restore the original tree"; }
		"$KVMPREP" --root "$r" "$@" apply --yes >/dev/null 2>&1 && applied_ok "$r" || fail_point "a new apply did not complete"
		n=$((n + stride))
	done
	[ -z "$points" ] || echo "# $name: killed at $points"
	echo "# $name: $total kill points, $kills killed (stride $stride), $bad failures; $entries kills left a journal entry;" \
		"left behind: $left temporary files next to host files, $left_journal in the journal, $left_staged half-made entries;" \
		"$(($(date +%s) - started)) s"
	[ -n "$total" ] && [ "$bad" = 0 ] && [ "$kills" -gt 0 ]
}

# ---- iommu: kvmprep's own atomic write of grub.conf (GRUB legacy, through its links) ----
EXPECTED="$srcdir/tests/expected/iommu"
iommu_files() { (cd "$EXPECTED/$1" && find . -type f ! -name README.txt | sed 's|^\./||' | LC_ALL=C sort); }
touched_ok() {
	for f in $(iommu_files "$host"); do
		cmp -s "$1/$f" "$HOSTS/$host/$f" || cmp -s "$1/$f" "$EXPECTED/$host/$f" || { echo "# partial: $f"; return 1; }
	done
}
applied_ok() {
	for f in $(iommu_files "$host"); do cmp -s "$1/$f" "$EXPECTED/$host/$f" || return 1; done
}
sweep "iommu centos6-guide" centos6-guide 1 1 --only iommu
ok $? "iommu, centos6-guide: killed between every two steps, grub.conf whole, undo and a new apply work"

# ---- iommu on BLS: /etc/default/grub written, then grubby changes the entries ----
# 1, 31, 61, 91: before the journal, two backups, and right after grubby ran (point 90).
sweep "iommu rocky9-intel-bls" rocky9-intel-bls 1 30 --only iommu
ok $? "iommu, rocky9-intel-bls: the BLS entries and /etc/kernel/cmdline each whole after every kill"

# ---- ksm on the guide's host: chkconfig and service commands between the journal writes ----
# Each command is one step: a kill leaves each service's rc links and the run state either as
# before or as after (never half of a runlevel table).
rc_links() { (cd "$1/etc/rc.d" && find . -type l -name "$2" -printf '%P -> %l\n' | LC_ALL=C sort); }
touched_ok() {
	for s in ksm ksmtuned; do
		rc_links "$1" "*$s" >"$TAP_TMP/links"
		rc_links "$HOSTS/centos6-guide" "*$s" | cmp -s - "$TAP_TMP/links" ||
			grep -E "[SK][0-9]+$s " "$srcdir/tests/expected/ksm/centos6-guide/rc-links.txt" | cmp -s - "$TAP_TMP/links" ||
			{ echo "# $s: rc links half changed"; return 1; }
	done
	case $(cat "$1/sys/kernel/mm/ksm/run") in 0 | 1) ;; *) return 1 ;; esac
}
applied_ok() {
	rc_links "$1" '*ksm*' | cmp -s "$srcdir/tests/expected/ksm/centos6-guide/rc-links.txt" - &&
		cmp -s "$srcdir/tests/expected/ksm/centos6-guide/sys/kernel/mm/ksm/run" "$1/sys/kernel/mm/ksm/run"
}
# 64: after `service ksm start`, before `service ksmtuned start`: undo stops a ksmtuned that
# never started, which fails as it may for an interrupted action.
sweep "ksm centos6-guide" centos6-guide 64 100 --only ksm
ok $? "ksm, centos6-guide: killed between the commands and the journal writes, undo and a new apply work"
