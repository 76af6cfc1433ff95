#!/bin/sh
# ansible.sh: the Ansible role of contrib/ansible on three private snapshot hosts: first run changes
# every host and reports the reboots, the second changes nothing; manual steps and a bad profile.
. "$srcdir/tests/e2e/tap.sh"
command -v ansible-playbook >/dev/null 2>&1 || skip_all "ansible-playbook not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
scratch
plan 16

case $KVMPREP in /*) ;; *) KVMPREP=$(pwd)/$KVMPREP ;; esac
HOSTS3="centos6-amd centos7-intel rocky9-intel-bls"

# Ansible needs a UTF-8 locale; everything it writes stays in the scratch directory.
mkdir "$TAP_TMP/ansible-local" "$TAP_TMP/ansible-remote"
: >"$TAP_TMP/ansible.cfg"
LC_ALL=C.UTF-8 ANSIBLE_CONFIG="$TAP_TMP/ansible.cfg" ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_GATHERING=explicit \
ANSIBLE_FORKS=3 ANSIBLE_ROLES_PATH="$srcdir/contrib/ansible/roles" ANSIBLE_LOCAL_TEMP="$TAP_TMP/ansible-local" \
ANSIBLE_REMOTE_TEMP="$TAP_TMP/ansible-remote" ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_NOCOLOR=1 \
ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0
export LC_ALL ANSIBLE_CONFIG ANSIBLE_STDOUT_CALLBACK ANSIBLE_GATHERING ANSIBLE_FORKS ANSIBLE_ROLES_PATH \
	ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TEMP ANSIBLE_RETRY_FILES_ENABLED ANSIBLE_NOCOLOR ANSIBLE_HOST_KEY_CHECKING \
	ANSIBLE_DEPRECATION_WARNINGS ANSIBLE_LOCALHOST_WARNING

# inventory FILE HOST...: each host on its private copy of tests/hosts/HOST, run locally.
inventory() {
	inv=$1
	shift
	echo "[kvm_hosts]" >"$inv"
	for h in "$@"; do
		rm -rf "$TAP_TMP/roots/$h"
		mkdir -p "$TAP_TMP/roots"
		copy_host "$HOSTS/$h" "$TAP_TMP/roots/$h"
		echo "$h kvmprep_root=\"$TAP_TMP/roots/$h\"" >>"$inv"
	done
	cat >>"$inv" <<-EOF
	[kvm_hosts:vars]
	ansible_connection=local
	ansible_become=false
	ansible_python_interpreter="{{ ansible_playbook_python }}"
	kvmprep_bin="$KVMPREP"
	EOF
}
# play INVENTORY OUT [ARGS...]: runs site.yml, the JSON report in OUT; returns ansible's status.
play() {
	inv=$1 out=$2
	shift 2
	ansible-playbook -i "$inv" "$@" "$srcdir/contrib/ansible/site.yml" >"$out" 2>"$out.err"
	st=$?
	[ "$st" -eq 0 ] || sed 's/^/# /' "$out.err" | head -n 20
	return $st
}
sorted() { tr ' ' '\n' | grep -v '^$' | LC_ALL=C sort | tr '\n' ' '; }
# hosts_where OUT JQ-FILTER-ON-STATS: the host names whose play-recap entry matches.
hosts_where() { jq -r ".stats | to_entries[] | select(.value | $2) | .key" "$1" | sorted; }
# task_hosts OUT TASK JQ-FILTER: the hosts whose result of TASK matches.
task_hosts() {
	jq -r --arg t "$2" ".plays[].tasks[] | select(.task.name | endswith(\$t)) | .hosts | to_entries[] |
		select(.value | $3) | .key" "$1" | sorted
}
all3=$(echo "$HOSTS3" | sorted)

# ---- three hosts: first run ----
inventory "$TAP_TMP/inv" $HOSTS3
play "$TAP_TMP/inv" "$TAP_TMP/run1.json"
ok $? "first run: ansible-playbook succeeds"
is "$(hosts_where "$TAP_TMP/run1.json" '.changed > 0')" "$all3" "first run: changed on every host"
is "$(hosts_where "$TAP_TMP/run1.json" '.failures > 0 or .unreachable > 0')" "" "first run: no host failed"
is "$(task_hosts "$TAP_TMP/run1.json" "kvmprep: apply" '.changed == true')" "$all3" \
	"first run: the apply task itself changed every host"
is "$(task_hosts "$TAP_TMP/run1.json" "kvmprep: the findings as facts" \
	'.ansible_facts.kvmprep_check.summary.ok > 0 and .ansible_facts.kvmprep_check_status == "warn"')" "$all3" \
	"first run: the check report (warn, exit 1) is a fact on every host"
report=$(jq -r '.plays[].tasks[] | select(.task.name | endswith("kvmprep: reboot report")) | .hosts[] |
	.kvmprep_reboot_hosts // empty | .[]' "$TAP_TMP/run1.json" | sorted)
is "$report" "$all3" "first run: the reboot report lists all three hosts"
n=0
for h in $HOSTS3; do
	ls -d "$TAP_TMP/roots/$h/var/lib/kvmprep/"2*-1 >/dev/null 2>&1 && cmp -s "$TAP_TMP/roots/$h/etc/kvmprep.conf" \
		"$srcdir/contrib/ansible/roles/kvmprep/files/kvmprep.conf" && n=$((n + 1))
done
is "$n" 3 "first run: each private root has the profile and a journal entry"
done_ids=$(task_hosts "$TAP_TMP/run1.json" "kvmprep: apply" \
	'[.stdout | fromjson | .actions[] | select(.status == "done") | .id] == ["iommu.boot_flag", "ksm.autostart", "ksm.service"]')
is "$done_ids" "$all3" "first run: the boot flag, autostart and service actions are done everywhere"

# ---- second run: nothing to do ----
play "$TAP_TMP/inv" "$TAP_TMP/run2.json"
ok $? "second run: ansible-playbook succeeds"
is "$(hosts_where "$TAP_TMP/run2.json" '.changed == 0 and .failures == 0 and .ok > 0')" "$all3" \
	"second run: changed=0 on every host"
is "$(task_hosts "$TAP_TMP/run2.json" "kvmprep: apply" '[.stdout | fromjson | .actions[].status] | all(. == "unchanged")')" \
	"$all3" "second run: every action is unchanged"
n=$(ls -d "$TAP_TMP"/roots/*/var/lib/kvmprep/2* | wc -l)
is "$n" 3 "second run: no new journal entry"

# ---- a host with manual steps, a host with a bad profile ----
inventory "$TAP_TMP/inv2" extlinux-unsupported centos7-intel
play "$TAP_TMP/inv2" "$TAP_TMP/run3.json" -e '{"kvmprep_profile_content": "steps = [\"iommu\", \"ksm\"];\n"}' \
	-l extlinux-unsupported
ok $? "manual steps: the run succeeds (apply exits 1 for a manual action)"
is "$(task_hosts "$TAP_TMP/run3.json" "kvmprep: steps left to the admin" '.msg | tostring | test("iommu.boot_flag")')" \
	"extlinux-unsupported " "manual steps: the manual actions are reported"
sed -i 's/^centos7-intel .*/& kvmprep_profile_content="bogus = 1;"/' "$TAP_TMP/inv2"
play "$TAP_TMP/inv2" "$TAP_TMP/run4.json" -l centos7-intel
is "$?" 2 "bad profile: ansible-playbook reports a failed host"
is "$(task_hosts "$TAP_TMP/run4.json" "kvmprep: check" '.failed == true and .rc == 3')" "centos7-intel " \
	"bad profile: check exits 3 and fails the host before apply"
exit 0
