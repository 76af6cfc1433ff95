#!/bin/sh
# iommu.sh: plan, apply, a second apply, undo and the reboot on every boot loader's snapshot host,
# with the files compared byte for byte against independently written expected files.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
EXPECTED="$srcdir/tests/expected/iommu"
plan 72

# copy NAME: a private, writable copy of a snapshot host; prints its path.
copy() { copy_host "$HOSTS/$1" "$TAP_TMP/$1"; echo "$TAP_TMP/$1"; }
# tree_sum DIR: every path with its type, mode, link target and content checksum, minus the journal.
tree_sum() {
	(cd "$1" && find . -path ./var/lib/kvmprep -prune -o -printf '%y %m %p %l\n' |
	 grep -v -E '^d [0-7]+ \./var(/lib)? $' | LC_ALL=C sort &&
	 find . -path ./var/lib/kvmprep -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
# same_as_expected HOST ROOT: every expected file of HOST equals the file in ROOT.
same_as_expected() {
	[ -d "$EXPECTED/$1" ] || return 0
	(cd "$EXPECTED/$1" && find . -type f ! -name README.txt) | while read -r f; do
		cmp -s "$EXPECTED/$1/$f" "$2/$f" || { echo "# differs: $f"; diff -u "$EXPECTED/$1/$f" "$2/$f" | sed 's/^/# /' | head -20; exit 1; }
	done
}
status_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | .status' "$TAP_TMP/check.json"; }
message_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | "\(.message) \(.detail // "")"' "$TAP_TMP/check.json"; }
check() { "$KVMPREP" --root "$1" --only iommu check --json >"$TAP_TMP/check.json"; }

# ---- the full cycle on each editable scheme ----
for host in centos6-guide centos6-grub-default1 centos7-intel centos7-intel-uefi rocky8-intel-kernelopts rocky9-intel-bls; do
	r=$(copy "$host")
	tree_sum "$r" >"$TAP_TMP/before"
	"$KVMPREP" --root "$r" --only iommu plan --json >"$TAP_TMP/plan.json"
	tree_sum "$r" >"$TAP_TMP/after-plan"
	cmp -s "$TAP_TMP/before" "$TAP_TMP/after-plan" &&
		[ "$(jq -r '.actions[] | select(.id == "iommu.boot_flag") | .status' "$TAP_TMP/plan.json")" = planned ]
	ok $? "$host: plan shows the change and changes nothing"
	"$KVMPREP" --root "$r" --only iommu apply --yes >"$TAP_TMP/apply.out" 2>&1 && same_as_expected "$host" "$r"
	ok $? "$host: apply gives the expected files byte for byte"
	tree_sum "$r" >"$TAP_TMP/applied"
	"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/again.json"
	tree_sum "$r" >"$TAP_TMP/applied-again"
	cmp -s "$TAP_TMP/applied" "$TAP_TMP/applied-again" &&
		[ "$(jq -r '.actions[0].status' "$TAP_TMP/again.json")" = unchanged ]
	ok $? "$host: a second apply is unchanged and changes no byte"
	check "$r"
	[ "$(status_of iommu.boot_flag)" = ok ] && message_of iommu.active | grep -q "reboot pending"
	ok $? "$host: check says configured, reboot pending"
	"$KVMPREP" --root "$r" undo >"$TAP_TMP/undo.out" 2>&1
	tree_sum "$r" >"$TAP_TMP/undone"
	diff "$TAP_TMP/before" "$TAP_TMP/undone" | sed 's/^/# /'
	cmp -s "$TAP_TMP/before" "$TAP_TMP/undone"; ok $? "$host: undo restores every byte, mode and link"
done

# ---- details that matter ----
r=$(copy centos6-guide)
"$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null
[ -L "$r/boot/grub/menu.lst" ] && [ "$(readlink "$r/boot/grub/menu.lst")" = ./grub.conf ] && [ -L "$r/etc/grub.conf" ]
ok $? "guide: menu.lst and /etc/grub.conf stay symlinks"
n=$(grep -c 'amd_iommu=on' "$r/boot/grub/grub.conf"); is "$n" 1 "guide: amd_iommu=on added to the one kernel line"
# The simulated reboot: the default kernel line becomes /proc/cmdline; the guide's boot messages.
sed -n 's/^[[:space:]]*kernel [^ ]* //p' "$r/boot/grub/grub.conf" | head -1 >"$r/proc/cmdline"
printf '%s\n' "AMD-Vi: Enabling IOMMU at 0000:00:00.2 cap 0x40" "AMD-Vi: Initialized for Passthrough Mode" >>"$r/.kvmprep/dmesg.txt"
check "$r"
is "$(status_of iommu.active)" ok "guide: after the reboot iommu.active is ok"
message_of iommu.active | grep -q "Verified after the reboot"; ok $? "guide: the reboot the apply waited for is verified"
grep -rq 'verified = true' "$r/var/lib/kvmprep"/*/journal.conf; ok $? "guide: the journal entry is marked verified"

r=$(copy centos6-grub-default1)
"$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null
! grep -q 'amd_iommu=off' "$r/boot/grub/grub.conf"; ok $? "default=1: amd_iommu=off removed"
grep -q 'chainloader +1' "$r/boot/grub/grub.conf"; ok $? "default=1: the chainloader stanza is kept"

r=$(copy rocky9-intel-bls)
esp_before=$(sha256sum <"$r/boot/efi/EFI/rocky/grub.cfg")
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"
jq -e '.actions[0].commands[0] == ["grubby", "--update-kernel=ALL", "--args=intel_iommu=on"]' "$TAP_TMP/apply.json" >/dev/null
ok $? "rocky9: grubby --update-kernel=ALL --args=intel_iommu=on"
is "$(sha256sum <"$r/boot/efi/EFI/rocky/grub.cfg")" "$esp_before" "rocky9: the ESP stub grub.cfg is untouched"
! jq -e '[.actions[0].commands[][0]] | index("grub2-mkconfig")' "$TAP_TMP/apply.json" >/dev/null
ok $? "rocky9: no grub2-mkconfig on BLS"
printf ' intel_iommu=on\n' >>"$r/proc/cmdline"; tr -d '\n' <"$r/proc/cmdline" >"$r/proc/cmdline.x"; echo >>"$r/proc/cmdline.x"; mv "$r/proc/cmdline.x" "$r/proc/cmdline"
mkdir -p "$r/sys/class/iommu/dmar0"
check "$r"
is "$(status_of iommu.active)" ok "rocky9: after the reboot iommu.active is ok"

r=$(copy rocky8-intel-kernelopts)
"$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null
grep -q 'options $kernelopts $tuned_params' "$r"/boot/loader/entries/*5.conf 2>/dev/null ||
	grep -lq 'options $kernelopts' "$r"/boot/loader/entries/*.conf
ok $? "rocky8: entries keep \$kernelopts (the arguments live in grubenv)"
is "$(wc -c <"$r/boot/grub2/grubenv" | tr -d ' ')" 1024 "rocky8: grubenv stays a 1024-byte block"

r=$(copy centos7-intel-uefi)
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"
jq -e '.actions[0].commands[0] == ["grub2-mkconfig", "-o", "/boot/efi/EFI/centos/grub.cfg"]' "$TAP_TMP/apply.json" >/dev/null
ok $? "centos7 UEFI: grub2-mkconfig writes the ESP grub.cfg"

# ---- Debian: effective value across grub.d, a drop-in of kvmprep's own ----
r=$(copy debian12-amd-cloud)
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null; rc=$?
is "$rc" 0 "debian cloud: apply succeeds"
grep -q '^GRUB_CMDLINE_LINUX="console=tty1 console=ttyS0"$' "$r/etc/default/grub.d/90-kvmprep.cfg"
ok $? "debian cloud: the drop-in drops amd_iommu=off and keeps the rest"
! grep -q 'amd_iommu' "$r/boot/grub/grub.cfg"; ok $? "debian cloud: update-grub regenerated grub.cfg without it"
! grep -rq 'amd_iommu=on' "$r/etc/default" "$r/boot/grub"; ok $? "debian cloud: no amd_iommu=on on a modern AMD kernel"
cmp -s "$HOSTS/debian12-amd-cloud/etc/default/grub" "$r/etc/default/grub"; ok $? "debian cloud: /etc/default/grub is never rewritten"
"$KVMPREP" --root "$r" undo >/dev/null
tree_sum "$r" >"$TAP_TMP/undone"
cmp -s "$TAP_TMP/before" "$TAP_TMP/undone" && [ ! -e "$r/etc/default/grub.d/90-kvmprep.cfg" ]
ok $? "debian cloud: undo removes the drop-in and restores grub.cfg"

r=$(copy debian12-amd)
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
[ "$rc" = 0 ] && [ "$(jq -r '.actions[0].status' "$TAP_TMP/apply.json")" = unchanged ] && [ "$(jq -r .journal "$TAP_TMP/apply.json")" = null ]
ok $? "debian (IOMMU on by default): nothing to do, no journal entry"
tree_sum "$r" >"$TAP_TMP/after"; cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "debian: not a byte changed"

# ---- what kvmprep must not touch ----
r=$(copy extlinux-unsupported)
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
is "$(jq -r '.actions[0].status' "$TAP_TMP/apply.json")" manual "extlinux: the action is manual"
is "$rc" 1 "extlinux: apply exits 1 (refused)"
jq -r '.actions[0].manual[0]' "$TAP_TMP/apply.json" | grep -q 'APPEND line'; ok $? "extlinux: exact manual steps"
tree_sum "$r" >"$TAP_TMP/after"; cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "extlinux: not a byte changed"

r=$(copy centos7-intel)
sed -i 's/^GRUB_CMDLINE_LINUX="\(.*\)"$/GRUB_CMDLINE_LINUX="\1 $(cat \/etc\/extra)"/' "$r/etc/default/grub"
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"; rc=$?
[ "$(jq -r '.actions[0].status' "$TAP_TMP/apply.json")" = manual ] && [ "$rc" = 1 ]
ok $? "command substitution in GRUB_CMDLINE_LINUX: refused, manual"
tree_sum "$r" >"$TAP_TMP/after"; cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "command substitution: not a byte changed"

r=$(copy centos7-intel)
rm "$r/usr/sbin/grub2-mkconfig"
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply --yes --json >"$TAP_TMP/apply.json"
jq -r '.actions[0].manual[]' "$TAP_TMP/apply.json" | grep -q 'Run: grub2-mkconfig -o /boot/grub2/grub.cfg'
ok $? "a program missing from the root: manual, with the exact command"
tree_sum "$r" >"$TAP_TMP/after"; cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "a program missing: nothing half-applied"

# ---- safety of the command itself ----
r=$(copy centos6-guide)
tree_sum "$r" >"$TAP_TMP/before"
"$KVMPREP" --root "$r" --only iommu apply </dev/null >/dev/null 2>&1; rc=$?
tree_sum "$r" >"$TAP_TMP/after"
[ "$rc" = 3 ] && cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "apply without a terminal and without --yes refuses (rc $rc)"
if command -v flock >/dev/null 2>&1; then
	mkdir -p "$r/var/lib/kvmprep"; : >"$r/var/lib/kvmprep/lock"
	flock "$r/var/lib/kvmprep/lock" "$KVMPREP" --root "$r" --only iommu apply --yes >/dev/null 2>"$TAP_TMP/err"; rc=$?
	[ "$rc" = 1 ] && grep -q 'holds' "$TAP_TMP/err"; ok $? "a second apply while one holds the lock refuses (rc $rc)"
else
	echo "ok $((TAP_N + 1)) # SKIP flock(1) not installed"; TAP_N=$((TAP_N + 1))
fi
tree_sum "$r" >"$TAP_TMP/after"; cmp -s "$TAP_TMP/before" "$TAP_TMP/after"; ok $? "the refused applies changed nothing"
"$KVMPREP" --root "$r" --only iommu plan --json >"$TAP_TMP/plan.json"
jq -e '(.actions[0] | has("id") and has("description") and has("files") and has("commands") and has("status") and has("message")) and has("reboot_required") and has("journal")' "$TAP_TMP/plan.json" >/dev/null
ok $? "plan --json has the contract's keys"
jq -r '.actions[0].files[0].diff' "$TAP_TMP/plan.json" | grep -q '^+.*amd_iommu=on'; ok $? "plan --json carries the unified diff"
r2=$(copy centos6-guide)
"$KVMPREP" --root "$r2" --only iommu apply --yes >/dev/null
echo "# tampered" >>"$r2/boot/grub/grub.conf"
"$KVMPREP" --root "$r2" undo >/dev/null 2>"$TAP_TMP/err"; rc=$?
[ "$rc" = 1 ] && tail -1 "$r2/boot/grub/grub.conf" | grep -q tampered; ok $? "undo refuses a file changed since the apply"
"$KVMPREP" --root "$r2" --force undo >/dev/null 2>&1
cmp -s "$HOSTS/centos6-guide/boot/grub/grub.conf" "$r2/boot/grub/grub.conf"; ok $? "undo --force restores it anyway"

# ---- which argument, from the running kernel's evidence (domain.md IOM-1a, IOM-2) ----
plan_args() { "$KVMPREP" --root "$1" --only iommu plan --json | jq -r '.actions[0] | "\(.status) \(.description)"'; }
r=$(copy centos6-amd)
rm -f "$r/.kvmprep/dmesg.txt" "$r/var/log/dmesg"; echo EPERM >"$r/.kvmprep/dmesg.txt.error"; echo 1000 >"$r/.kvmprep/uid"
plan_args "$r" | grep -q '^planned .*amd_iommu=on'; ok $? "EL6 AMD without a readable log: amd_iommu=on from the release"
r=$(copy debian12-amd)
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="amd_iommu=on"/' "$r/etc/default/grub"
plan_args "$r" | grep -q '^unchanged'; ok $? "modern AMD with amd_iommu=on already there: left alone"
r=$(copy rocky9-intel-bls)
sed -i 's/^# CONFIG_INTEL_IOMMU_DEFAULT_ON is not set$/CONFIG_INTEL_IOMMU_DEFAULT_ON=y/' "$r/boot/config-5.14.0-362.8.1.el9_3.x86_64"
plan_args "$r" | grep -q '^unchanged'; ok $? "Intel kernel with VT-d on by default: no intel_iommu=on needed"
r=$(copy rocky9-intel-bls)
rm -f "$r/sys/firmware/acpi/tables/DMAR"
"$KVMPREP" --root "$r" --only bios,iommu check --json >"$TAP_TMP/check.json"
[ "$(status_of bios.iommu)" = warn ] && [ "$(status_of iommu.boot_flag)" = skip ]
ok $? "no DMAR table: bios.iommu warns, and the boot flag waits for the firmware"
jq -r '.steps[].findings[] | select(.id == "bios.iommu") | .hint' "$TAP_TMP/check.json" | grep -q 'VT-d'
ok $? "no DMAR table: the hint names the VT-d setting"
