#!/bin/sh
# make-corpus.sh: regenerates fuzz/corpus/ (the seed inputs) from tests/hosts/ and the seed guide; run from the source tree.
# Usage: fuzz/make-corpus.sh [SEED_GUIDE]   (default /work/shared/seed/kvm-host-setup-centos6.de.txt;
# the guide's excerpts are skipped when it is missing, the host files are always copied).
set -eu
H=tests/hosts
C=fuzz/corpus
G=${1:-/work/shared/seed/kvm-host-setup-centos6.de.txt}
test -d "$H" || { echo "run from the source tree" >&2; exit 2; }
rm -rf "$C"
for t in cpuinfo cpuid_dump kernel_log kargs grub_legacy grub_default bls grub_cfg ksmtuned_conf ksmtuned_log \
	profile diff json; do
	mkdir -p "$C/$t"
done
guide() { test -r "$G" && sed -n "$1" "$G"; }

# /proc/cpuinfo: the first two processors of a few hosts (blocks end with a blank line)
for h in centos6-amd centos7-intel rocky9-vm-nonested ubuntu2204-intel-vt-off; do
	awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 2' "$H/$h/proc/cpuinfo" > "$C/cpuinfo/$h"
done
guide '7,13p' > "$C/cpuinfo/guide-flags" || true
printf 'flags:\0\0flags:' > "$C/cpuinfo/nul-lines"   # a NUL byte ends a line too

for h in centos6-amd centos7-intel debian12-amd rocky8-intel-kernelopts; do
	cp "$H/$h/.kvmprep/cpuid.raw" "$C/cpuid_dump/$h"
done
printf 'CPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\nCPUID 00000001: 000206D7-03200800-1FBEE3FF-BFEBFBFF [SL 00]\nCPUID 80000000: 80000008-00000000-00000000-00000000\n' \
	> "$C/cpuid_dump/aida64"

for h in centos6-amd centos7-intel debian12-amd rocky9-vm-nonested ubuntu2204-intel-vt-off; do
	cp "$H/$h/.kvmprep/dmesg.txt" "$C/kernel_log/$h"
done
{ guide '60p'; guide '90,92p'; } > "$C/kernel_log/guide" || true

# editors: an edit line ("+add -remove"), then the file
E_INTEL='+intel_iommu=on -intel_iommu=off -iommu=off'
E_AMD='+amd_iommu=on +iommu=pt -amd_iommu=off -iommu=off'
E_BARE='+quiet -rhgb -crashkernel'
for h in centos6-amd centos7-intel debian12-amd rocky9-intel-bls; do
	{ echo "$E_INTEL"; cat "$H/$h/proc/cmdline"; } > "$C/kargs/$h"
done
{ echo "$E_AMD"; cat "$H/centos6-guide/proc/cmdline"; } > "$C/kargs/centos6-guide"
printf '%s\nro  root=/dev/sda1 \t iommu=off foo="a b" rhgb quiet\n' "$E_BARE" > "$C/kargs/spacing"
printf '%s\nroot=/dev/sda1 console="ttyS0\n' "$E_INTEL" > "$C/kargs/open-quote"

for h in centos6-amd centos6-grub-default1 centos6-guide; do
	{ echo "$E_AMD"; cat "$H/$h/boot/grub/grub.conf"; } > "$C/grub_legacy/$h"
done
{ echo "$E_AMD"; guide '74,81p'; } > "$C/grub_legacy/guide" || true

for h in centos7-intel rocky8-intel-kernelopts rocky9-intel-bls ubuntu2204-intel-vt-off; do
	{ echo "$E_INTEL"; cat "$H/$h/etc/default/grub"; } > "$C/grub_default/$h"
done
# /etc/default/grub, NUL, grub.d files: grub_default_effective reads them in order
{ echo "$E_AMD"; cat "$H/debian12-amd-cloud/etc/default/grub"; printf '\0';
  cat "$H/debian12-amd-cloud/etc/default/grub.d/50-cloudimg-settings.cfg"; printf '\0';
  cat "$H/debian12-amd-cloud/etc/default/grub.d/init-select.cfg"; } > "$C/grub_default/debian12-amd-cloud"
printf '%s\nGRUB_CMDLINE_LINUX=quiet\nexport GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX splash" # more\n' "$E_INTEL" \
	> "$C/grub_default/self-ref"

for f in "$H"/rocky8-intel-kernelopts/boot/loader/entries/*.conf "$H"/rocky9-intel-bls/boot/loader/entries/*.conf; do
	{ echo "$E_INTEL"; cat "$f"; } > "$C/bls/$(basename "$(dirname "$(dirname "$(dirname "$(dirname "$f")")")")")-$(basename "$f" .conf | cut -c 34-)"
done
{ echo "$E_INTEL"; tail -c +26 "$H/rocky8-intel-kernelopts/boot/grub2/grubenv" | tr -s '#'; } > "$C/bls/grubenv-rocky8"

printf '\0linux /' > "$C/grub_cfg/nul-line"
for f in centos7-intel/boot/grub2/grub.cfg debian12-amd/boot/grub/grub.cfg rocky9-intel-bls/boot/efi/EFI/rocky/grub.cfg \
	rocky8-intel-kernelopts/boot/grub2/grub.cfg; do
	cp "$H/$f" "$C/grub_cfg/${f%%/*}"
done

cp "$H/centos6-amd/etc/ksmtuned.conf" "$C/ksmtuned_conf/stock"
for s in KSM_NPAGES_MAX=2000 LOGFILE=/var/log/ksmtuned DEBUG=1 DEBUG KSM_THRES_COEF=30 KSM_NPAGES_DECAY=-100; do
	{ echo "$s"; cat "$H/centos6-amd/etc/ksmtuned.conf"; } > "$C/ksmtuned_conf/$(echo "$s" | tr '=/' '__')"
done
{ echo KSM_SLEEP_MSEC=20; guide '113,133p'; } > "$C/ksmtuned_conf/guide" || true

# three control bytes: sample limit, event limit, chunk seed
{ printf '\004\003\007'; guide '170,320p'; } > "$C/ksmtuned_log/guide" || true
{ printf '\000\000\001'; guide '170,200p'; } > "$C/ksmtuned_log/guide-limit1" || true
# a line longer than the 4096-byte limit (also raises libFuzzer's default -max_len)
{ printf '\010\010\003Tue Aug  2 22:51:52 CEST 2011: total 15874952\n'; head -c 5000 /dev/zero | tr '\0' x;
  printf '\nTue Aug  2 22:52:52 CEST 2011: committed  free 11641800\nWed Feb 29 00:00:00 2012: KSMCTL stop\n'; } \
	> "$C/ksmtuned_log/long-line"

cat > "$C/profile/design" <<'P'
steps = ["cpu", "bios", "iommu", "ksm"];
iommu:    { enable = true; passthrough = true; };           # add iommu=pt as well
ksm:      { enable = true; autostart = true; };
ksmtuned: { enable = true; autostart = true;
            monitor_interval = 60; sleep_msec = 10;
            npages_boost = 300; npages_decay = -50; npages_min = 64; npages_max = 1250;
            thres_coef = 20; thres_const = 2048;
            debug = true; logfile = "/var/log/ksmtuned"; };
P
printf 'ksm = { enable = false }\nksmtuned: { npages_min = 0x10 npages_max = 5000000000L }\n// c\n/* c */\n' \
	> "$C/profile/hex-long"
printf 'ksm = { enable = true; };\n"x";\nsteps = ["cpu", "ksm", ];\n' > "$C/profile/stray-string"
# found by fuzz_profile: a comma ended the setting, the string after it leaked in libconfig 1.5
printf 'i:3,""' > "$C/profile/regress-comma-string"
printf 'ksm = { enable = true, "x" };\n' > "$C/profile/regress-comma-string-group"
printf 'iommu = { enable = 1; passthrough = "yes"; };\nbridge = 1;\nksmtuned = { npages_min = 012; logfile = "rel"; };\n' \
	> "$C/profile/refused"

# flag byte, old length (2 bytes, little endian), old, new
dseed() {
	o=$(wc -c < "$2")
	printf "\\$(printf %03o "$1")\\$(printf %03o $((o % 256)))\\$(printf %03o $((o / 256)))"
	cat "$2" "$3"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$H/centos7-intel/etc/default/grub" "$tmp/a"
sed 's/rhgb quiet/rhgb quiet intel_iommu=on/' "$tmp/a" > "$tmp/b"
dseed 0 "$tmp/a" "$tmp/b" > "$C/diff/grub-edit"
printf 'KSM_NPAGES_MAX=1250' > "$tmp/c"
printf 'KSM_NPAGES_MAX=2000\nDEBUG=1\n' > "$tmp/d"
dseed 0 "$tmp/c" "$tmp/d" > "$C/diff/no-newline"
dseed 1 /dev/null "$tmp/d" > "$C/diff/new-file"
head -n 40 "$H/centos6-amd/boot/grub/grub.conf" > "$tmp/e"
{ sed -e '3d' -e '12s/$/ amd_iommu=on/' "$tmp/e"; echo '# end'; } > "$tmp/f"
dseed 0 "$tmp/e" "$tmp/f" > "$C/diff/grub-legacy"

printf 'plain ascii' > "$C/json/ascii"
printf 'tab\there "quotes" back\\slash\001\037\177 ok' > "$C/json/controls"
printf 'UTF-8: \303\244\342\202\254\360\237\230\200 bad: \300\257 \355\240\200 \370 end\377' > "$C/json/utf8"
printf 'key\0\001id\0\003name\0value\0\021nested\0\004\001\002\003\003\000\002\002\005\006' > "$C/json/writer"
echo "corpus: $(find "$C" -type f -exec cat {} + | wc -c) bytes in $(find "$C" -type f | wc -l) files"
