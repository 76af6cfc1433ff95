#!/bin/sh
# e2e.sh: the real wizard in tmux at 80x24: the guide's walk with both applies through the preview,
# resize below the minimum and back, help, quit with the check exit code; TERM=linux LANG=C
# rendering; SIGTERM restores the terminal; `kvmprep demo` with --list and --keep.
. "$srcdir/tests/e2e/tap.sh"
command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed"
scratch
. "$srcdir/tests/ui/tui-lib.sh"
trap 'tui_stop; chmod -R u+rwx "$TAP_TMP" 2>/dev/null; rm -rf "$TAP_TMP"' EXIT
plan 26
KVMPREP_DEMO_HOSTS=$HOSTS
export KVMPREP_DEMO_HOSTS
h="$TAP_TMP/guide"
copy_host "$HOSTS/centos6-guide" "$h"
EXPECTED_IOMMU="$srcdir/tests/expected/iommu/centos6-guide/boot/grub/grub.conf"

# Key input is driven with TERM=screen: tmux encodes keys for its own terminal type (libs.md 5.2).
tui_start 80 24 screen C.UTF-8 "$KVMPREP" --root "$h" wizard
tui_wait_for 'Step 1/6: Welcome' && tui_wait_for 'F1 Help +Tab Buttons'; ok $? "kvmprep wizard starts the wizard: Welcome and the help line"
tui_keys Enter
tui_wait_for 'Step 2/6: CPU virtualization'; ok $? "Next: CPU virtualization"
tui_keys Enter
tui_wait_for 'Step 3/6: BIOS reminders'; ok $? "Next: BIOS reminders"
tui_keys Enter
tui_wait_for 'Step 4/6: IOMMU boot flag' && tui_wait_for '<Apply…>'; ok $? "Next: the IOMMU boot flag, with <Apply…>"
tui_keys Tab Enter
tui_wait_for 'Apply these changes to' && tui_wait_for '<Cancel>  <Apply>'; ok $? "<Apply…> opens the preview"
tui_keys Enter
tui_wait_gone 'Apply these changes to' && cmp -s "$HOSTS/centos6-guide/boot/grub/grub.conf" "$h/boot/grub/grub.conf" &&
	[ ! -e "$h/var/lib/kvmprep" ]
ok $? "Enter on the focused <Cancel> closes the preview and changes nothing"
tui_keys Enter
tui_wait_for 'Apply these changes to' && tui_keys Tab Enter && tui_wait_for '\[done\] iommu.boot_flag'
ok $? "again, then Tab to <Apply> and Enter: the IOMMU fix is applied"
cmp -s "$EXPECTED_IOMMU" "$h/boot/grub/grub.conf"; ok $? "grub.conf has amd_iommu=on, byte for byte as expected"
tui_keys Enter
tui_wait_gone '\[done\] iommu.boot_flag' && tui_wait_for 'configured for the next boot'
ok $? "the step is checked again: configured for the next boot"
tui_keys Enter
tui_wait_for 'Step 5/6: KSM services and autostart'; ok $? "Next: KSM"
tui_keys Tab Enter
tui_wait_for 'chkconfig ksm on' && tui_keys Tab Enter && tui_wait_for '\[done\] ksm.service'
ok $? "the KSM apply runs through its preview"
[ -L "$h/etc/rc.d/rc3.d/S84ksm" ] && [ -L "$h/etc/rc.d/rc3.d/S85ksmtuned" ]; ok $? "rc links S84ksm and S85ksmtuned exist"
tui_keys Enter
tui_wait_gone '\[done\] ksm.service' && tui_keys Enter && tui_wait_for 'Step 6/6: Summary'; ok $? "Next: Summary"
tui_keys End
tui_wait_for 'Needed: the new boot configuration' && tui_wait_for 'journal [0-9]{8}-'
ok $? "the summary shows the changes with their journal ids and that a reboot is needed"
tui_resize 60 20
tui_wait_for 'Terminal too small \(60[^0-9]+20\)'; ok $? "at 60x20 the too-small screen appears"
tui_resize 80 24
tui_wait_for 'Step 6/6: Summary' && tui_wait_gone 'Terminal too small'; ok $? "back at 80x24 the screen recovers"
tui_keys F1
tui_wait_for 'Show this help'; ok $? "F1 opens the help"
tui_keys Escape
tui_wait_gone 'Show this help'; ok $? "Esc closes it"
want=0
"$KVMPREP" --root "$h" check >/dev/null 2>&1 || want=$?
tui_keys q
st=$(tui_wait_exit); is "$st" "$want" "q quits with the check exit code"

# ---- rendering on the Linux console in the C locale: ASCII frames ----
tui_start 80 24 linux C "$KVMPREP" --root "$HOSTS/centos6-guide"
tui_wait_for 'Step 1/6: Welcome'
tui_screen >"$TAP_TMP/linux.txt"
grep -q '^+- Welcome -' "$TAP_TMP/linux.txt" && grep -q '^|   System' "$TAP_TMP/linux.txt" && ! grep -q 'lqqq' "$TAP_TMP/linux.txt"
ok $? "TERM=linux LANG=C: ASCII frame characters (kvmprep without a command on a terminal)"
tui_keys q
st=$(tui_wait_exit); is "$st" 1 "q quits there too (the guide's host has warnings: 1)"

# ---- SIGTERM restores the terminal ----
tui_start 80 24 screen C.UTF-8 "$(dirname "$KVMPREP")/kvmprep-wizard" --root "$HOSTS/centos6-guide"
tui_wait_for 'Step 1/6: Welcome'
kill -TERM "$(cat "$TUI_PID")"
st=$(tui_wait_exit)
tui_wait_for 'shell back: status 143' && ! tui_screen | grep -q 'Welcome'
r=$?
is "$st:$r" "143:0" "SIGTERM: the terminal is restored (alternate screen left) and the wizard dies of the signal"

# ---- kvmprep demo ----
"$KVMPREP" demo --list >"$TAP_TMP/list" 2>&1
grep -q '^centos6-guide ' "$TAP_TMP/list" && grep -q '^rocky9-intel-bls ' "$TAP_TMP/list" && grep -q '^debian12-amd-cloud ' "$TAP_TMP/list"
ok $? "demo --list names the sample hosts"
mkdir "$TAP_TMP/d1" "$TAP_TMP/d2"
tui_start 80 24 screen C.UTF-8 env TMPDIR="$TAP_TMP/d1" "$KVMPREP" demo centos6-guide --keep
tui_wait_for 'Step 1/6: Welcome' && tui_keys q && tui_wait_for 'Check it with: kvmprep --root'
kept=$(ls -d "$TAP_TMP"/d1/kvmprep-demo.*/centos6-guide 2>/dev/null)
[ -n "$kept" ] && [ -L "$kept/etc/grub.conf" ] && cmp -s "$HOSTS/centos6-guide/boot/grub/grub.conf" "$kept/boot/grub/grub.conf"
ok $? "demo --keep leaves the copy (symlinks kept) and says where"
tui_start 80 24 screen C.UTF-8 env TMPDIR="$TAP_TMP/d2" "$KVMPREP" demo
# The copy's path is as long as TMPDIR makes it, so the welcome text may wrap anywhere in it.
tui_wait_for 'Step 1/6: Welcome' && tui_screen | tr -d ' \n' | grep -q "kvmprep-demo\..*/centos6-guideforKVM"
ok $? "demo runs the wizard on a private copy of centos6-guide by default"
tui_keys q
st=$(tui_wait_exit)
[ "$st" = 1 ] && [ -z "$(ls -A "$TAP_TMP/d2")" ]; r=$?
[ "$r" = 0 ] || { echo "# status $st; left behind:"; (cd "$TAP_TMP/d2" && find . | head -20 | sed 's/^/#   /'); tui_screen | sed 's/^/# | /'; }
ok "$r" "demo removes its copy at exit"
[ "$TAP_FAILED" = 0 ]
