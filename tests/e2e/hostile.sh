#!/bin/sh
# hostile.sh: broken and hostile snapshot roots give clear results, never a crash, hang or escape.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
plan 16

# run ROOT: check --json with a time limit; sets rc and leaves the JSON in $TAP_TMP/out.json.
run() {
	timeout 20 "$KVMPREP" --root "$1" check --json >"$TAP_TMP/out.json" 2>"$TAP_TMP/err"
	rc=$?
}
status_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | .status' "$TAP_TMP/out.json"; }
valid_run() { [ "$rc" -le 3 ] && jq -e . "$TAP_TMP/out.json" >/dev/null 2>&1; }

base="$TAP_TMP/base"
mkdir -p "$base/proc" "$base/.kvmprep"

# An empty root: every finding that needs a fact says skip or names what is missing.
run "$base"
valid_run; ok $? "an empty root gives a valid report (rc $rc)"
is "$(status_of cpu.vendor)" skip "an empty root: cpu.vendor is skip"
is "$(status_of cpu.vt)" skip "an empty root: cpu.vt is skip, not a guess"

# Symlinks that point outside the root resolve inside it.
secret="$TAP_TMP/secret-cpuinfo"
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: vmx lm nx\n\n' >"$secret"
r="$TAP_TMP/abs"; mkdir -p "$r/proc"
ln -s "$secret" "$r/proc/cpuinfo"
run "$r"
is "$(status_of cpu.vt)" skip "an absolute symlink out of the root is not followed out"
r="$TAP_TMP/rel"; mkdir -p "$r/proc"
ln -s "../../../../../../../../../../../../$secret" "$r/proc/cpuinfo"
run "$r"
is "$(status_of cpu.vt)" skip "a ../ chain out of the root is not followed out"
r="$TAP_TMP/inside"; mkdir -p "$r/proc" "$r/data"
cp "$secret" "$r/data/cpuinfo"; ln -s /data/cpuinfo "$r/proc/cpuinfo"
run "$r"
is "$(status_of cpu.vt)" ok "an absolute symlink inside the root resolves inside it"

# A FIFO, a directory and a loop where files are expected: no hang, no crash.
r="$TAP_TMP/fifo"; mkdir -p "$r/proc"; mkfifo "$r/proc/cpuinfo"
run "$r"
valid_run; ok $? "a FIFO as /proc/cpuinfo does not hang (rc $rc)"
r="$TAP_TMP/dir"; mkdir -p "$r/proc/cpuinfo" "$r/.kvmprep/cpuid.raw"
run "$r"
valid_run; ok $? "directories where files belong give a valid report"
r="$TAP_TMP/loop"; mkdir -p "$r/proc"; ln -s loop "$r/proc/cpuinfo.x"; ln -s cpuinfo.x "$r/proc/loop"
ln -s loop "$r/proc/cpuinfo"
run "$r"
valid_run; ok $? "a symlink loop gives a valid report"

# Binary garbage, CRLF and a huge sparse file.
r="$TAP_TMP/garbage"; mkdir -p "$r/proc" "$r/.kvmprep"
head -c 65536 /dev/urandom >"$r/proc/cpuinfo"; head -c 4096 /dev/urandom >"$r/.kvmprep/cpuid.raw"
head -c 4096 /dev/urandom >"$r/.kvmprep/dmesg.txt"; head -c 100 /dev/urandom >"$r/.kvmprep/kvm-probe"
run "$r"
valid_run; ok $? "binary garbage everywhere gives a valid report (rc $rc)"
r="$TAP_TMP/crlf"; mkdir -p "$r/proc"
printf 'processor\t: 0\r\nvendor_id\t: AuthenticAMD\r\nflags\t\t: svm lm nx\r\n\r\n' >"$r/proc/cpuinfo"
run "$r"
is "$(status_of cpu.vt)" ok "CRLF line endings are understood"
r="$TAP_TMP/huge"; mkdir -p "$r/proc"
truncate -s 1G "$r/proc/cpuinfo" 2>/dev/null || dd if=/dev/zero of="$r/proc/cpuinfo" bs=1 count=0 seek=1G 2>/dev/null
start=$(date +%s); run "$r"; end=$(date +%s)
valid_run && [ $((end - start)) -le 5 ]; ok $? "a 1 GiB /proc/cpuinfo is refused quickly (rc $rc, $((end - start)) s)"

# A dump that libcpuid 0.6.2 would accept silently is reported with its reason.
r="$TAP_TMP/baddump"; mkdir -p "$r/proc" "$r/.kvmprep"
printf 'CPUID Registers (CPU #1):\nnothing here\n' >"$r/.kvmprep/cpuid.raw"
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: vmx lm nx\n\n' >"$r/proc/cpuinfo"
run "$r"
jq -r '.steps[].findings[] | select(.id == "cpu.vendor") | .detail' "$TAP_TMP/out.json" | grep -q 'leaf 0'
ok $? "an unreadable CPUID dump is named as such"
is "$(status_of cpu.vt)" ok "without CPUID data the cpuinfo flags are used"

# Nothing outside the root was touched, and no file was created in the root.
test "$(cat "$secret" | head -1)" = "$(printf 'processor\t: 0')"; ok $? "the file outside the root is unchanged"
n=$(find "$base" -newer "$secret" | wc -l)
is "$n" 0 "check writes nothing into the root"
