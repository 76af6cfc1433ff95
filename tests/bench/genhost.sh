#!/bin/sh
# genhost.sh: generate a large snapshot host (issue 7 §5) from rocky9-intel-bls: N CPUs with MSRs, IOMMU groups, BLS entries, a long ksmtuned log.
#
# usage: tests/bench/genhost.sh SIZE DIR
#   SIZE  1, 10 or 100 (the scale factor; 100 is the issue's top size):
#           SIZE  CPUs (cpuinfo + .kvmprep/msr)  IOMMU groups  PCI devices  BLS entries  ksmtuned log lines
#              1                             16            40           50            2               30000
#             10                            160           409          511           20              300000
#            100                           1024          4096         5120          200             3000000
#         (CPUs: 16 x SIZE, at most 1024; the rest is SIZE/100 of the top size.) One IOMMU group
#         in four holds two devices, one device in eight has a driver link.
#   DIR   created (must not exist); a copy of tests/hosts/rocky9-intel-bls with those parts
#         replaced, so that `kvmprep --root DIR check` sees the IOMMU active (groups, DMAR units).
# environment: HOSTS (default: tests/hosts next to this script's tests/ directory).
# Only POSIX sh, awk, cp, mkdir, ln and xargs; about 10 s for SIZE 100 (one ln per IOMMU group).

set -eu

die() { printf 'genhost.sh: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: genhost.sh SIZE DIR"
size=$1 dir=$2
case $size in 1 | 10 | 100) ;; *) die "SIZE must be 1, 10 or 100, got '$size'" ;; esac
[ ! -e "$dir" ] || die "$dir exists"
script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
hosts=${HOSTS:-$script_dir/../hosts}
base=$hosts/rocky9-intel-bls
[ -d "$base" ] || die "no base host $base"

cpus=$((16 * size)); [ "$cpus" -gt 1024 ] && cpus=1024
groups=$((4096 * size / 100))
entries=$((200 * size / 100))
lines=$((3000000 * size / 100))

cp -a "$base" "$dir" && chmod -R u+w "$dir" || exit 1
dir=$(CDPATH='' cd -- "$dir" && pwd)

# ---- CPUs: /proc/cpuinfo blocks like the base's first one, 2 threads per core, 64 cores a socket ----
awk -v n="$cpus" 'BEGIN { RS = ""; FS = "\n" }
	NR == 1 { block = $0 }
	END {
		for (c = 0; c < n; c++) {
			s = block
			sock = int(c / 128); core = int((c % 128) / 2); apic = sock * 256 + core * 2 + c % 2
			sub(/processor\t: [0-9]+/, "processor\t: " c, s)
			sub(/physical id\t: [0-9]+/, "physical id\t: " sock, s)
			sub(/siblings\t: [0-9]+/, "siblings\t: " (n < 128 ? n : 128), s)
			sub(/core id\t\t: [0-9]+/, "core id\t\t: " core, s)
			sub(/cpu cores\t: [0-9]+/, "cpu cores\t: " (n < 128 ? n : 128) / 2, s)
			sub(/\napicid\t\t: [0-9]+/, "\napicid\t\t: " apic, s)
			sub(/initial apicid\t: [0-9]+/, "initial apicid\t: " apic, s)
			printf "%s\n\n", s
		}
	}' "$base/proc/cpuinfo" >"$dir/proc/cpuinfo.new"
mv "$dir/proc/cpuinfo.new" "$dir/proc/cpuinfo"
rm -rf "$dir/.kvmprep/msr"
awk -v n="$cpus" -v d="$dir/.kvmprep/msr" 'BEGIN { for (c = 0; c < n; c++) print d "/" c }' | xargs mkdir -p
c=0
while [ "$c" -lt "$cpus" ]; do
	echo 0x5 >"$dir/.kvmprep/msr/$c/0x3a" # locked, VMX outside SMX enabled
	c=$((c + 1))
done

# ---- IOMMU: DMAR units, groups with their devices (vendor, device, class, sometimes a driver) ----
rm -f "$dir/sys/class/iommu/.keep" "$dir/sys/kernel/iommu_groups/.keep"
units=$(( (groups + 511) / 512 ))
awk -v n="$units" -v d="$dir/sys/class/iommu" 'BEGIN { for (u = 0; u < n; u++) print d "/dmar" u }' | xargs mkdir -p
# devices.txt: GROUP BDF, one line per device; 1 group in 4 holds two functions of one device
awk -v n="$groups" 'BEGIN {
	for (g = 0; g < n; g++) {
		bus = int(g / 32) + 1; slot = g % 32
		printf "%d 0000:%02x:%02x.0\n", g, bus, slot
		if (g % 4 == 3) printf "%d 0000:%02x:%02x.1\n", g, bus, slot
	}
}' >"$dir/.devices.txt"
pci=$dir/sys/devices/pci0000:00
awk -v d="$dir" -v p="$pci" '{ print d "/sys/kernel/iommu_groups/" $1 "/devices"; print p "/" $2 }' "$dir/.devices.txt" | xargs mkdir -p
mkdir -p "$dir/sys/bus/pci/devices" "$dir/sys/bus/pci/drivers/vfio-pci" "$dir/sys/bus/pci/drivers/ixgbe"
k=0
while read -r g bdf; do
	printf '0x8086\n' >"$pci/$bdf/vendor"
	case $((k % 3)) in 0) id=0x10fb class=0x020000 ;; 1) id=0x1533 class=0x020000 ;; *) id=0x0953 class=0x010802 ;; esac
	printf '%s\n' "$id" >"$pci/$bdf/device"
	printf '%s\n' "$class" >"$pci/$bdf/class"
	printf 'DMA\n' >"$dir/sys/kernel/iommu_groups/$g/type"
	k=$((k + 1))
done <"$dir/.devices.txt"
# One ln per group (a group's devices share its directory), one for all of /sys/bus/pci/devices.
awk '{ if (NR == 1 || $1 != g) { if (NR > 1) print ""; g = $1; printf "%s", g } printf " %s", $2 } END { print "" }' "$dir/.devices.txt" |
	while read -r g bdfs; do
		set --
		for b in $bdfs; do set -- "$@" "../../../../devices/pci0000:00/$b"; done
		[ $# -gt 0 ] || die "group $g without devices"
		ln -s "$@" "$dir/sys/kernel/iommu_groups/$g/devices/"
	done
awk '{ print "../../../devices/pci0000:00/" $2 }' "$dir/.devices.txt" | (cd "$dir/sys/bus/pci/devices" && xargs sh -c 'ln -s "$@" .' sh)
awk 'NR % 8 == 1 { print $2 }' "$dir/.devices.txt" | while read -r bdf; do
	ln -s ../../../bus/pci/drivers/ixgbe "$pci/$bdf/driver"
done
rm -f "$dir/.devices.txt"

# ---- BLS: ENTRIES entries (kernels 5.14.0-N), the base's two kept ----
e=0
kernel_entry=$(ls "$dir"/boot/loader/entries/*5.14.0-362*.conf)
while [ "$e" -lt "$((entries - 2))" ]; do
	v=5.14.0-$((100 + e)).el9.x86_64
	sed "s/5\.14\.0-362\.8\.1\.el9_3\.x86_64/$v/g" "$kernel_entry" \
		>"$dir/boot/loader/entries/0123456789abcdef0123456789abcdef-$v.conf"
	e=$((e + 1))
done

mkdir -p "$dir/var/log"
# ---- ksmtuned: LINES lines of the guide's log format, cycles of six lines ----
awk -v n="$lines" 'BEGIN {
	t = 0; c = 0
	while (c < n) {
		s = sprintf("Tue Aug  2 %02d:%02d:%02d CEST 2011: ", int(t / 3600) % 24, int(t / 60) % 60, t % 60)
		committed = 9000000 + (t * 7919) % 9000000; free = 11000000 + (t * 104729) % 4000000
		print s "committed " committed " free " free; c++
		if (committed + 3174990 > 15874952) {
			print s committed + 3174990 " > 15874952, start ksm"; print s free " > 3174990, decay"
			print s "KSMCTL start 64 10"; c += 3
		} else {
			print s committed + 3174990 " < 15874952 and free > 3174990, stop ksm"; c++
		}
		if (t % 3600 == 0) { print s "total 15874952"; print s "sleep 10"; c += 2 }
		t += 60
	}
}' | head -n "$lines" >"$dir/var/log/ksmtuned"

printf 'genhost.sh: %s: %s CPUs, %s IOMMU groups, %s BLS entries, %s ksmtuned log lines\n' \
	"$dir" "$cpus" "$groups" "$(ls "$dir/boot/loader/entries" | wc -l | tr -d ' ')" \
	"$(wc -l <"$dir/var/log/ksmtuned" | tr -d ' ')"
