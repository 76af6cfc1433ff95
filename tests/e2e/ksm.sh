#!/bin/sh
# ksm.sh: the KSM step end to end on SysV and systemd snapshot hosts: check, apply in the guide's
# order, the state afterwards, undo, ksmtuned settings from a profile, and a VM's skipped units.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
EXPECTED="$srcdir/tests/expected/ksm"
plan 42

copy() { copy_host "$HOSTS/$1" "$TAP_TMP/$1"; echo "$TAP_TMP/$1"; }
tree_sum() {
	(cd "$1" && find . -path ./var/lib/kvmprep -prune -o -path ./run/kvmprep-sim -prune -o -printf '%y %m %p %l\n' |
	 grep -v -E '^d [0-7]+ \./(var|var/lib|run)? $' | LC_ALL=C sort &&
	 find . -path ./var/lib/kvmprep -prune -o -path ./run/kvmprep-sim -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
check() { "$KVMPREP" --root "$1" --only ksm check --json >"$TAP_TMP/check.json"; }
status_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | .status' "$TAP_TMP/check.json"; }
text_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | "\(.message) \(.detail // "") \(.hint // "")"' "$TAP_TMP/check.json"; }
rc_links() { (cd "$1/etc/rc.d" && find . -type l -name '*ksm*' -printf '%P -> %l\n' | LC_ALL=C sort); }
wants() { (cd "$1" && find etc/systemd/system -path '*.wants/*' -name 'ksm*' -printf '%p -> %l\n' | LC_ALL=C sort); }

# ---- the guide's host: SysV, both services off ----
r=$(copy centos6-guide)
tree_sum "$r" >"$TAP_TMP/before"
check "$r"
[ "$(status_of ksm.service)" = warn ] && [ "$(status_of ksmtuned.service)" = warn ]
ok $? "guide: ksm and ksmtuned are reported stopped"
[ "$(status_of ksm.autostart)" = warn ] && [ "$(status_of ksmtuned.autostart)" = warn ]
ok $? "guide: neither starts at boot"
text_of ksm.autostart | grep -q "$(printf 'ksm            \t0:off\t1:off\t2:off\t3:off')"
ok $? "guide: the runlevel table reads like chkconfig --list"
text_of ksmtuned.tuning | grep -q 'Log /var/log/ksmtuned: 46 cycles, KSM started 5 and stopped 5 times'
ok $? "guide: the guide's ksmtuned log is read"
"$KVMPREP" --root "$r" --only ksm apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
is "$rc" 0 "guide: apply succeeds"
cmds=$(jq -r '[.actions[] | select(.status == "done") | .commands[] | join(" ")] | join("; ")' "$TAP_TMP/apply.json")
is "$cmds" "chkconfig ksm on; chkconfig ksmtuned on; service ksm start; service ksmtuned start" "guide: the guide's four commands, in order"
rc_links "$r" >"$TAP_TMP/links"
diff -u "$EXPECTED/centos6-guide/rc-links.txt" "$TAP_TMP/links" | sed 's/^/# /'
cmp -s "$EXPECTED/centos6-guide/rc-links.txt" "$TAP_TMP/links"; ok $? "guide: S84ksm/S85ksmtuned in rc2-5, K links in 0, 1, 6"
cmp -s "$EXPECTED/centos6-guide/sys/kernel/mm/ksm/run" "$r/sys/kernel/mm/ksm/run"; ok $? "guide: run = 1"
check "$r"
text_of ksm.autostart | grep -q "$(printf '3:on\t4:on\t5:on')"; ok $? "guide: check shows runlevels 3, 4, 5 on"
[ "$(status_of ksm.running)" = ok ] && [ "$(status_of ksmtuned.service)" = ok ]; ok $? "guide: check shows KSM and ksmtuned running"
"$KVMPREP" --root "$r" --only ksm apply --yes --json >"$TAP_TMP/again.json"
[ "$(jq -r '[.actions[].status] | unique | join(",")' "$TAP_TMP/again.json")" = unchanged ]; ok $? "guide: a second apply is unchanged"
"$KVMPREP" --root "$r" undo >"$TAP_TMP/undo.out" 2>&1; rc=$?
tree_sum "$r" >"$TAP_TMP/after"
diff "$TAP_TMP/before" "$TAP_TMP/after" | sed 's/^/# /'
[ "$rc" = 0 ] && cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "guide: undo returns the links and the run state to what they were"

# ---- systemd hosts ----
for host in centos7-intel rocky9-intel-bls; do
	r=$(copy "$host")
	tree_sum "$r" >"$TAP_TMP/before"
	check "$r"
	[ "$(status_of ksm.autostart)" = warn ] && text_of ksm.autostart | grep -q disabled; ok $? "$host: ksm.service reported disabled"
	"$KVMPREP" --root "$r" --only ksm apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
	cmds=$(jq -r '[.actions[] | select(.status == "done") | .commands[] | join(" ")] | join("; ")' "$TAP_TMP/apply.json")
	is "$cmds" "systemctl enable ksm.service; systemctl enable ksmtuned.service; systemctl start ksm.service; systemctl start ksmtuned.service" \
		"$host: enable, then start (no --now: systemd 219)"
	wants "$r" >"$TAP_TMP/wants"
	cmp -s "$EXPECTED/$host/wants.txt" "$TAP_TMP/wants" && cmp -s "$EXPECTED/$host/sys/kernel/mm/ksm/run" "$r/sys/kernel/mm/ksm/run"
	ok $? "$host: the wants links and run = 1 as expected"
	check "$r"
	[ "$(status_of ksm.service)" = ok ] && [ "$(status_of ksmtuned.autostart)" = ok ]; ok $? "$host: check is ok afterwards"
	"$KVMPREP" --root "$r" undo >/dev/null 2>&1
	tree_sum "$r" >"$TAP_TMP/after"
	cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "$host: undo disables and stops them again"
done

# ---- no ksmtuned at all: the tuning finding says what its defaults would do, not what it does ----
check "$HOSTS/debian12-amd-pvm"
text_of ksmtuned.tuning | grep -q '^ksmtuned is not installed; with its defaults it would start KSM'
ok $? "no ksmtuned: the tuning is its defaults, and it says so"
check "$HOSTS/centos6-guide"
text_of ksmtuned.tuning | grep -q '^ksmtuned starts KSM when free memory falls below'
ok $? "ksmtuned installed: the tuning it applies"
check "$HOSTS/debian12-amd-pvm"
text_of ksm.running | grep -q "No systemd or SysV init manages services here.*echo 1 > /sys/kernel/mm/ksm/run"
ok $? "no init system: KSM is started by hand through sysfs, not by services"
"$KVMPREP" --root "$HOSTS/debian12-amd-pvm" --only ksm plan --json |
	jq -r '.actions[] | select(.id == "ksm.service") | "\(.status) \(.message)"' |
	grep -q '^unchanged nothing to start: neither systemd nor SysV init'
ok $? "no init system: the plan does not claim the services run"

# ---- a VM: the EL units skip it, which is no failure ----
r=$(copy rocky9-vm-nonested)
check "$r"
[ "$(status_of ksm.service)" = info ] && text_of ksm.service | grep -q ConditionVirtualization=no
ok $? "vm: ksm.service explains ConditionVirtualization instead of failing"
is "$(status_of ksm.running)" info "vm: run=0 is explained, not a warning"
"$KVMPREP" --root "$r" --only ksm apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
[ "$rc" = 0 ] && jq -r '.actions[] | select(.id == "ksm.service") | .message' "$TAP_TMP/apply.json" | grep -q 'skip virtual machines'
ok $? "vm: apply does not try to start the skipped units"

# ---- Debian: enabled by the package, KSM saving memory ----
check "$HOSTS/debian12-amd"
[ "$(status_of ksm.service)" = ok ] && [ "$(status_of ksmtuned.autostart)" = ok ]; ok $? "debian: enabled and running"
text_of ksm.savings | grep -q '585.9 MiB'; ok $? "debian: 585.9 MiB saved (pages_sharing 150000)"
text_of ksm.savings | grep -q 'Sharing ratio 15.0'; ok $? "debian: sharing ratio 15.0"
text_of ksmtuned.tuning | grep -q 'libvirt are not counted'; ok $? "debian: the ksmtuned/libvirt limitation is told"

# ---- ksmtuned.conf: problems with their lines, never made worse ----
r=$(copy centos6-amd)
printf 'KSM_NPAGES_MIN=abc\nKSM_THRES_COEF=150\n' >>"$r/etc/ksmtuned.conf"
n=$(wc -l <"$r/etc/ksmtuned.conf")
check "$r"
[ "$(status_of ksmtuned.config)" = warn ] && text_of ksmtuned.config | grep -q "/etc/ksmtuned.conf:$((n - 1)): KSM_NPAGES_MIN" &&
	text_of ksmtuned.config | grep -q "/etc/ksmtuned.conf:$n: KSM_THRES_COEF"
ok $? "bad ksmtuned.conf: each problem with its FILE:LINE"
cp "$r/etc/ksmtuned.conf" "$TAP_TMP/conf.before"
printf 'ksmtuned: { debug = true; };\n' >"$TAP_TMP/debug.conf"
"$KVMPREP" --root "$r" --profile "$TAP_TMP/debug.conf" --only ksm apply --yes >/dev/null 2>&1
diff "$TAP_TMP/conf.before" "$r/etc/ksmtuned.conf" >"$TAP_TMP/conf.diff"
[ "$(grep -c '^[<>]' "$TAP_TMP/conf.diff")" = 2 ] && grep -q '^> DEBUG=1$' "$TAP_TMP/conf.diff" && grep -q 'KSM_NPAGES_MIN=abc' "$r/etc/ksmtuned.conf"
ok $? "bad ksmtuned.conf: a profile setting changes only its own line, the bad lines stay for the admin"

# ---- the whole guide from a profile, and a refused profile ----
r=$(copy centos6-amd)
tree_sum "$r" >"$TAP_TMP/before"
cat >"$TAP_TMP/lab.conf" <<'CONF'
steps = ["cpu", "bios", "iommu", "ksm"];
iommu: { enable = true; };
ksm: { enable = true; autostart = true; };
ksmtuned: { enable = true; autostart = true; debug = true; logfile = "/var/log/ksmtuned"; };
CONF
"$KVMPREP" --root "$r" --profile "$TAP_TMP/lab.conf" apply --yes </dev/null >/dev/null 2>&1; rc=$?
is "$rc" 0 "lab profile: the whole guide in one unattended apply"
grep -q 'amd_iommu=on' "$r/boot/grub/grub.conf" && [ -L "$r/etc/rc.d/rc3.d/S84ksm" ]; ok $? "lab profile: IOMMU flag and KSM autostart done"
cmp -s "$EXPECTED/centos6-amd/etc/ksmtuned.conf" "$r/etc/ksmtuned.conf"; ok $? "lab profile: ksmtuned.conf as expected, byte for byte"
tree_sum "$r" >"$TAP_TMP/applied"
"$KVMPREP" --root "$r" --profile "$TAP_TMP/lab.conf" apply --yes --json </dev/null >"$TAP_TMP/again.json"
tree_sum "$r" >"$TAP_TMP/applied-again"
[ "$(jq -r '[.actions[].status] | unique | join(",")' "$TAP_TMP/again.json")" = unchanged ] && cmp -s "$TAP_TMP/applied" "$TAP_TMP/applied-again"
ok $? "lab profile: a second run reports everything unchanged, no byte changed"
"$KVMPREP" --root "$r" undo >/dev/null 2>&1
tree_sum "$r" >"$TAP_TMP/after"
cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "lab profile: undo restores every byte and link"
printf 'steps = ["cpu"];\nksm: { enable = 1; };\nksmtuned: { thres_coef = 150; debugg = true; };\n' >"$TAP_TMP/bad.conf"
"$KVMPREP" --root "$r" --profile "$TAP_TMP/bad.conf" apply --yes </dev/null >/dev/null 2>"$TAP_TMP/err"; rc=$?
tree_sum "$r" >"$TAP_TMP/after-bad"
is "$(grep -c "^$TAP_TMP/bad.conf:[0-9]*: " "$TAP_TMP/err")" 3 "a profile with three mistakes: three FILE:LINE messages"
[ "$rc" = 3 ] && cmp -s "$TAP_TMP/after" "$TAP_TMP/after-bad"; ok $? "a refused profile changes nothing (rc $rc)"
