#!/bin/sh
# check-copies.sh [HOSTS_DIR]: every simulation script copied into the host trees (a file whose
# second line is "# kvmprep-sim: NAME") must be byte-identical to tests/sim/NAME and executable.
# Exit 0 when all are, 1 listing the drifted copies.
sim=$(cd "$(dirname "$0")" && pwd) || exit 2
hosts=${1:-$sim/../hosts}
[ -d "$hosts" ] || { echo "$0: $hosts: not a directory" >&2; exit 2; }
n=0 bad=0
list=$(find "$hosts" -mindepth 2 -type f -perm -u+r -size -200k | LC_ALL=C sort) || exit 2
IFS='
'
for f in $list; do
	name=$(sed -n '2{s/^# kvmprep-sim: //p;q;}' "$f" 2>/dev/null)
	[ -n "$name" ] || continue
	n=$((n + 1))
	if [ ! -f "$sim/$name" ] || ! cmp -s "$sim/$name" "$f"; then
		echo "drifted: ${f#"$hosts"/} (source tests/sim/$name)"; bad=$((bad + 1))
	elif [ ! -x "$f" ]; then
		echo "not executable: ${f#"$hosts"/}"; bad=$((bad + 1))
	fi
done
if [ "$bad" -gt 0 ]; then echo "$bad of $n simulation-script copies differ from tests/sim" >&2; exit 1; fi
echo "ok: $n simulation-script copies match tests/sim"
