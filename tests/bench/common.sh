# common.sh: what bench.sh and scale.sh share (sourced, POSIX sh): die, the scratch directory,
# the measure binary, ratio and the machine line. Set bench_name and script_dir before sourcing;
# it sets tmp and measure.

die() { printf '%s: %s\n' "$bench_name" "$*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmprep-$bench_name.XXXXXX") || die "mktemp failed"
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The measure binary: $MEASURE, else measure.c compiled into the scratch directory.
if [ -n "${MEASURE:-}" ]; then
    [ -x "$MEASURE" ] || die "MEASURE=$MEASURE is not executable"
    measure=$MEASURE
else
    [ -r "$script_dir/measure.c" ] || die "cannot read $script_dir/measure.c"
    measure=$tmp/measure
    # shellcheck disable=SC2086 # CFLAGS is a word list on purpose
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 ${CFLAGS:-} -o "$measure" "$script_dir/measure.c" ||
        die "compiling measure.c failed"
fi

# ratio A B: A/B with two decimals and an x, or n/a.
ratio() {
    LC_ALL=C awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2fx", a / b; else print "n/a" }'
}

# machine_line: CPUs, CPU model and kernel of this machine.
machine_line() {
    model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
    echo "machine: $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs, ${model:-unknown model}, $(uname -srm)"
}
