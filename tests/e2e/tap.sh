# tap.sh: a few TAP helpers for the shell tests (sourced, POSIX sh).
# Each test script prints a plan and one "ok N - text" / "not ok N - text" per assertion.
TAP_N=0
TAP_FAILED=0

plan() { echo "1..$1"; }

# ok STATUS TEXT: reports the assertion from a command status (0 = pass).
ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# is GOT WANT TEXT: equality of two strings, with a diagnostic on failure.
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '# got:  %s\n# want: %s\n' "$1" "$2"
	fi
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

# copy_host SRC DEST: a private, writable copy of a host tree (symlinks and times kept). The
# sources can be read-only (make distcheck), and a non-root user cannot write into such a copy.
copy_host() {
	rm -rf "$2" && cp -a "$1" "$2" && chmod -R u+w "$2"
}

# A private scratch directory, removed at exit.
scratch() {
	TAP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kvmprep-test.XXXXXX") || exit 99
	trap 'chmod -R u+rwx "$TAP_TMP" 2>/dev/null; rm -rf "$TAP_TMP"' EXIT
}

: "${KVMPREP:=./kvmprep}"
: "${HOSTS:=$srcdir/tests/hosts}"
