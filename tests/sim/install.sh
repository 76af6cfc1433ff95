#!/bin/sh
# install.sh ROOT TOOL...: copy simulation scripts from tests/sim into the host tree ROOT at
# the paths the real programs have there (mode 0755). Copies, not symlinks: a link would point
# out of the root. tests/sim/check-copies.sh verifies that the copies have not drifted.
#   grubby          usr/sbin/grubby on BLS roots (EL8/EL9: boot/loader/entries/*.conf),
#                   sbin/grubby otherwise (EL7, as domain.md 5.2 lists it)
#   grub2-mkconfig  usr/sbin/grub2-mkconfig      update-grub  usr/sbin/update-grub
#   grub2-editenv   usr/bin/grub2-editenv
#   chkconfig       sbin/chkconfig               service      sbin/service       (EL6)
#   systemctl       bin/systemctl                (systemd hosts; an EL7 root also gets the file
#                   .kvmprep-sim-systemd219 by hand, see tests/sim/systemctl)
sim=$(cd "$(dirname "$0")" && pwd) || exit 2
[ $# -ge 2 ] || { echo "usage: $0 ROOT TOOL..." >&2; exit 2; }
root=$1; shift
[ -d "$root" ] || { echo "$0: $root: not a directory" >&2; exit 2; }
case $(cd "$root" && pwd -P) in
/) echo "$0: refusing to install simulation scripts into /" >&2; exit 2 ;;
esac
for tool; do
	case $tool in
	grubby) if [ -n "$(ls "$root"/boot/loader/entries/*.conf 2>/dev/null)" ]; then dst=usr/sbin/grubby; else dst=sbin/grubby; fi ;;
	grub2-mkconfig | update-grub) dst=usr/sbin/$tool ;;
	grub2-editenv) dst=usr/bin/$tool ;;
	chkconfig | service) dst=sbin/$tool ;;
	systemctl) dst=bin/$tool ;;
	*) echo "$0: unknown simulation script: $tool" >&2; exit 2 ;;
	esac
	mkdir -p "$root/${dst%/*}" && rm -f "$root/$dst" && cp "$sim/$tool" "$root/$dst" && chmod 0755 "$root/$dst" || exit 1
	echo "$root/$dst"
done
