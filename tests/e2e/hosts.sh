#!/bin/sh
# hosts.sh: the CPU step on every snapshot host gives its expected findings and exit code,
# and variants made from them (firmware off, non-root, missing facts, ...) give theirs.
. "$srcdir/tests/e2e/tap.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
EXPECTED="$srcdir/tests/expected"
plan 59

# check ROOT: runs check --json; sets rc, leaves $TAP_TMP/out.json.
check() {
	"$KVMPREP" --root "$1" --only cpu check --json >"$TAP_TMP/out.json" 2>"$TAP_TMP/err"
	rc=$?
}
status_of() { jq -r --arg id "$1" '.steps[].findings[] | select(.id == $id) | .status' "$TAP_TMP/out.json"; }
field_of() { jq -r --arg id "$1" --arg f "$2" '.steps[].findings[] | select(.id == $id) | .[$f] // ""' "$TAP_TMP/out.json"; }
# has ID FIELD TEXT: the field of the finding contains TEXT.
has() { field_of "$1" "$2" | grep -qF -- "$3"; }
# variant NAME BASE: a private, writable copy of a base host.
variant() { copy_host "$HOSTS/$2" "$TAP_TMP/$1"; echo "$TAP_TMP/$1"; }

# ---- the base hosts against their expected files (id status, then "exit N") ----
for host in centos6-amd centos7-intel rocky9-intel-bls debian12-amd ubuntu2204-intel-vt-off rocky9-vm-nonested \
	debian12-amd-pvm; do
	check "$HOSTS/$host"
	{ jq -r '.steps[].findings[] | "\(.id) \(.status)"' "$TAP_TMP/out.json"; echo "exit $rc"; } >"$TAP_TMP/$host.got"
	diff -u "$EXPECTED/$host.cpu" "$TAP_TMP/$host.got" | sed 's/^/# /'
	cmp -s "$EXPECTED/$host.cpu" "$TAP_TMP/$host.got"; ok $? "$host: expected findings and exit code"
done

# ---- what the findings say on the base hosts ----
check "$HOSTS/centos6-amd"
has cpu.vendor message "AuthenticAMD, AMD Opteron(tm) Processor 4176 HE, family 16 model 8"; ok $? "centos6-amd: vendor and family come from CPUID"
has cpu.vt message "AMD-V (svm)"; ok $? "centos6-amd: AMD-V named"
has cpu.vt_firmware message "enabled by the firmware (MSR on 6 CPUs)"; ok $? "centos6-amd: VM_CR read on all 6 CPUs"
has cpu.vt detail "Nested page tables (NPT/RVI): yes"; ok $? "centos6-amd: NPT from CPUID 0x8000000A"
is "$(jq -r .host.bootloader "$TAP_TMP/out.json") $(jq -r .host.init "$TAP_TMP/out.json")" "grub-legacy sysv" "centos6-amd: grub legacy and SysV detected"
is "$(jq -r .host.distro "$TAP_TMP/out.json")" "CentOS release 6.10 (Final)" "centos6-amd: distro from /etc/redhat-release"

check "$HOSTS/ubuntu2204-intel-vt-off"
has cpu.vt message "supported by the CPU"; ok $? "vt-off: the CPU is not called unsupported"
has cpu.vt_firmware detail "MSR 0x3a on CPUs 0-"; ok $? "vt-off: MSR 0x3a evidence listed"
has cpu.vt_firmware detail "locked off by the firmware"; ok $? "vt-off: the MSR value is explained"
has cpu.vt_firmware detail "VMX (outside TXT) disabled by BIOS"; ok $? "vt-off: the kernel's message is quoted"
has cpu.vt_firmware detail "/proc/cpuinfo lists it on 0 of"; ok $? "vt-off: the hidden cpuinfo flag is explained"
has cpu.vt_firmware hint "Intel Virtualization Technology"; ok $? "vt-off: the firmware setting is named"
has cpu.vt_firmware hint "power the machine off"; ok $? "vt-off: a full power cycle is advised"
has cpu.kvm_modules hint "modprobe kvm_intel"; ok $? "vt-off: the modprobe hint names kvm_intel"

check "$HOSTS/rocky9-vm-nonested"
has cpu.vt message "virtual CPU exposes no VT-x"; ok $? "vm: the missing VT-x is blamed on the virtual CPU"
has cpu.vt hint "nested virtualization on the outer hypervisor"; ok $? "vm: nested virtualization is the fix"
has cpu.hypervisor message "virtual machine (KVM)"; ok $? "vm: the hypervisor is named from the kernel log"
is "$(jq -r .host.virtual_machine "$TAP_TMP/out.json")" true "vm: host.virtual_machine is true"

# The machine of peers.md: a Firecracker VM on AMD EPYC, no svm flag, /dev/kvm from kvm_pvm.
check "$HOSTS/debian12-amd-pvm"
has cpu.vt message "no AMD-V (svm), but KVM works here"; ok $? "pvm: no svm, yet KVM works (virt-host-validate says FAIL)"
is "$(status_of cpu.kvm_device)" ok "pvm: the /dev/kvm probe created a VM and a vCPU"
is "$(status_of cpu.vt_firmware)" skip "pvm: no firmware verdict inside a VM"
has cpu.hypervisor message "virtual machine (KVM); KVM works inside it"; ok $? "pvm: the hypervisor named, KVM usable"
has cpu.kvm_modules message "kvm_pvm"; ok $? "pvm: kvm_pvm named as the KVM module"
is "$(jq -r '.host.vendor + " " + .host.hypervisor' "$TAP_TMP/out.json")" "AuthenticAMD KVM" "pvm: host overview: AMD, on KVM"
r=$(variant pvm-user debian12-amd-pvm)
echo 1000 >"$r/.kvmprep/uid"; echo eacces >"$r/.kvmprep/kvm-probe"
check "$r"
is "$(status_of cpu.kvm_device)" fail "pvm as a user: /dev/kvm not usable is a fail (kvm-ok says OK)"
[ "$rc" = 2 ]; ok $? "pvm as a user: exit 2"

check "$HOSTS/rocky9-intel-bls"
has cpu.vt detail "Extended page tables (EPT): yes"; ok $? "rocky9: EPT from the vmx flags line"
is "$(jq -r .host.bootloader "$TAP_TMP/out.json")" grub2-bls "rocky9: BLS boot loader detected"
check "$HOSTS/centos7-intel"
is "$(jq -r .host.bootloader "$TAP_TMP/out.json") $(jq -r .host.init "$TAP_TMP/out.json")" "grub2 systemd" "centos7: GRUB2 and systemd detected"

# ---- variants ----
r=$(variant nonroot centos6-amd)
echo 1000 >"$r/.kvmprep/uid"; echo eacces >"$r/.kvmprep/kvm-probe"
rm -rf "$r/.kvmprep/msr" "$r/.kvmprep/dmesg.txt" "$r/var/log/dmesg"; echo EACCES >"$r/.kvmprep/msr.error"; echo EPERM >"$r/.kvmprep/dmesg.txt.error"
check "$r"
is "$(status_of cpu.kvm_device)" fail "non-root: a user who cannot open /dev/kvm fails (kvm-ok says OK)"
has cpu.kvm_device message "uid 1000 cannot open it"; ok $? "non-root: the uid is named"
has cpu.kvm_device hint "usermod -aG kvm"; ok $? "non-root: the group fix is given"
is "$(status_of cpu.vt_firmware)" ok "non-root: firmware judged from the loaded module without MSR or log"
jq -r '.host.limits[]' "$TAP_TMP/out.json" | grep -q 'MSRs: needs root'; ok $? "non-root: MSRs listed as not seen"
jq -r '.host.limits[]' "$TAP_TMP/out.json" | grep -q 'kernel log: needs root'; ok $? "non-root: kernel log listed as not seen"

r=$(variant amd-off centos6-amd)
for m in "$r"/.kvmprep/msr/*/0xc0010114; do echo 0x18 >"$m"; done
echo enoent >"$r/.kvmprep/kvm-probe"; rm -f "$r/dev/kvm"
check "$r"
is "$(status_of cpu.vt_firmware)" fail "amd firmware off: VM_CR SVMDIS set fails"
has cpu.vt_firmware hint "SVM Mode"; ok $? "amd firmware off: SVM Mode named"
is "$rc" 2 "amd firmware off: exit 2"

r=$(variant amd-partial centos6-amd)
echo 0x10 >"$r/.kvmprep/msr/3/0xc0010114"
check "$r"
has cpu.vt_firmware message "on 1 of 6 CPUs (a firmware bug)"; ok $? "one CPU disabled: reported as a firmware bug"

r=$(variant nocpuid centos6-amd)
rm -f "$r/.kvmprep/cpuid.raw"
check "$r"
has cpu.vt message "from /proc/cpuinfo"; ok $? "no CPUID dump: cpuinfo used, and said so"
has cpu.vendor detail "not recorded in this snapshot"; ok $? "no CPUID dump: the reason is given"
has cpu.vendor message "AMD Opteron(tm) Processor 4170 HE"; ok $? "no CPUID dump: brand from cpuinfo"

r=$(variant nofacts centos6-amd)
rm -rf "$r/.kvmprep"
check "$r"
is "$(status_of cpu.kvm_device)" skip "no facts: the VM probe is skip, not a guess"
has cpu.kvm_device message "not recorded in this snapshot"; ok $? "no facts: the reason is given"
[ "$rc" -le 2 ]; ok $? "no facts: check still runs (rc $rc)"

r=$(variant ebusy centos7-intel)
echo ebusy >"$r/.kvmprep/kvm-probe"
check "$r"
has cpu.kvm_device message "another hypervisor holds VT-x (EBUSY)"; ok $? "EBUSY: another hypervisor is named"

r=$(variant i686 centos6-amd)
echo 2.6.32-754.35.1.el6.i686 >"$r/proc/sys/kernel/osrelease"
check "$r"
is "$(status_of cpu.long_mode)" warn "32-bit kernel on a 64-bit CPU warns"
has cpu.long_mode hint "64-bit (x86_64) edition"; ok $? "32-bit kernel: install the 64-bit edition"
is "$rc" 1 "32-bit kernel: exit 1"

r=$(variant vtoff-nomsr ubuntu2204-intel-vt-off)
rm -rf "$r/.kvmprep/msr" "$r/.kvmprep/dmesg.txt"; echo ENOENT >"$r/.kvmprep/msr.error"
check "$r"
is "$(status_of cpu.vt_firmware)" fail "vt-off without MSR or log: CPUID vs cpuinfo alone shows it"

r=$(variant nx-off centos7-intel)
echo "kvm: NX (Execute Disable) not supported" >>"$r/.kvmprep/dmesg.txt"
check "$r"
is "$(status_of cpu.nx)" fail "a kernel NX complaint fails cpu.nx"
has cpu.nx hint "Execute Disable Bit"; ok $? "NX: the firmware switch is named"
