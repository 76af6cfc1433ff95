#!/bin/sh
# sims.sh: the simulation scripts copied into the snapshot hosts are the ones in tests/sim, unchanged.
. "$srcdir/tests/e2e/tap.sh"
plan 2
out=$(sh "$srcdir/tests/sim/check-copies.sh" "$HOSTS" 2>&1); rc=$?
[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
is "$rc" 0 "every simulation script in tests/hosts is an exact, executable copy"
for s in "$srcdir"/tests/sim/grubby "$srcdir"/tests/sim/grub2-mkconfig "$srcdir"/tests/sim/update-grub "$srcdir"/tests/sim/grub2-editenv "$srcdir"/tests/sim/chkconfig "$srcdir"/tests/sim/service "$srcdir"/tests/sim/systemctl; do
	KVMPREP_ROOT=/ sh "$s" --info=ALL >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "# $s ran against /"; exit_code=1; }
done
[ -z "${exit_code:-}" ]; ok $? "no simulation script runs against the real /"
