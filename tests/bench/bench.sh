#!/bin/sh
# bench.sh: benchmark `kvmprep check` against `virt-host-validate qemu` and `kvm-ok` in one run (wall, RSS, CPU, execs).
#
# usage: tests/bench/bench.sh [KVMPREP_BINARY]
#   binary: $1, else $KVMPREP, else ./kvmprep (relative to the current, i.e. build, directory)
# environment:
#   BENCH_RUNS     counted runs per command (default 15, minimum 10)
#   BENCH_WARMUPS  uncounted warm-up runs per command (default 2)
#   BENCH_ROUNDS   alternating kvmprep/virt-host-validate rounds for the wall ratio (default 7)
#   BENCH_PATH     PATH given to the measured commands (default: a stock system PATH, so that
#                  long user PATHs do not inflate the cost of shell-script peers such as kvm-ok)
#   MEASURE        prebuilt measure binary (default: compile measure.c next to this script)
#   CC, CFLAGS     compiler used for measure.c (default: cc)
#   UIBENCH, WIZARD, UIBENCH_HOST  the wizard benchmark, the kvmprep-wizard binary and a host tree
#                  (set by `make bench`; the wizard line is left out without them)
# Peers exiting non-zero (they do on machines without vmx/svm flags) is not an error: exit 0.

set -u

is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }

bench_name=bench.sh
script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || { echo "bench.sh: cannot locate script directory" >&2; exit 1; }
. "$script_dir/common.sh"

runs=${BENCH_RUNS:-15}
is_uint "$runs" || die "BENCH_RUNS must be a positive integer, got '$runs'"
runs=$((runs + 0))
if [ "$runs" -lt 10 ]; then
    printf 'bench.sh: BENCH_RUNS=%s is below the minimum, using 10\n' "$runs" >&2
    runs=10
fi
warmups=${BENCH_WARMUPS:-2}
is_uint "$warmups" || die "BENCH_WARMUPS must be a non-negative integer, got '$warmups'"
bench_path=${BENCH_PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}

# --- locate commands --------------------------------------------------------
# find_cmd NAME: print the absolute path of NAME (searching also sbin dirs), or fail.
find_cmd() {
    PATH="$bench_path:${PATH:-}" command -v "$1" 2>/dev/null
}

kvmprep=${1:-${KVMPREP:-./kvmprep}}
case $kvmprep in
    */*) if [ -f "$kvmprep" ] && [ -x "$kvmprep" ]; then
             kvmprep=$(CDPATH='' cd -- "$(dirname -- "$kvmprep")" && pwd)/$(basename -- "$kvmprep")
         else
             kvmprep=
         fi ;;
    *) kvmprep=$(find_cmd "$kvmprep") || kvmprep= ;;
esac
vhv=$(find_cmd virt-host-validate) || vhv=
kvmok=$(find_cmd kvm-ok) || kvmok=
strace_bin=$(command -v strace 2>/dev/null) || strace_bin=

# count_execs CMD...: number of successful execve calls (the command itself included), or n/a.
count_execs() {
    [ -n "$strace_bin" ] || { echo n/a; return; }
    out=$tmp/strace.out
    rm -f -- "$out"
    PATH=$bench_path "$strace_bin" -f -qq -e trace=execve -o "$out" -- "$@" \
        </dev/null >/dev/null 2>&1
    n=$(grep -c 'execve.*= 0$' "$out" 2>/dev/null) || n=0
    if [ "$n" -ge 1 ]; then echo "$n"; else echo n/a; fi # 0 means strace could not trace
}

# bench LABEL CMD...: measure and print one table row; sets r_wall r_rss (empty if not run).
bench() {
    label=$1; shift
    r_wall=; r_rss=
    if [ -z "$1" ]; then
        printf '%-28s %s\n' "$label" "not installed"
        return
    fi
    if ! line=$(PATH=$bench_path "$measure" -q -n "$runs" -w "$warmups" -- "$@"); then
        printf '%-28s %s\n' "$label" "measure failed"
        failed=1
        return
    fi
    wall=; rss=; cpu=; code=
    for kv in $line; do
        case $kv in
            median_wall_ms=*) wall=${kv#*=} ;;
            median_rss_kib=*) rss=${kv#*=} ;;
            median_cpu_ms=*) cpu=${kv#*=} ;;
            exit=*) code=${kv#*=} ;;
        esac
    done
    if [ -z "$wall" ] || [ -z "$rss" ] || [ -z "$cpu" ] || [ -z "$code" ]; then
        printf '%-28s %s\n' "$label" "unparsable measure output: $line"
        failed=1
        return
    fi
    execs=$(count_execs "$@")
    mib=$(LC_ALL=C awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-28s %10s %10s %8s %10s %5s %6s\n' "$label" "$wall" "$rss" "$mib" "$cpu" "$code" "$execs"
    r_wall=$wall; r_rss=$rss
}

# --- header -----------------------------------------------------------------------
vhv_ver=n/a; [ -n "$vhv" ] && vhv_ver=$("$vhv" --version 2>/dev/null | sed -n "1s/.* //p")
kvmok_ver=n/a
if [ -n "$kvmok" ] && command -v dpkg-query >/dev/null 2>&1; then
    kvmok_ver=$(dpkg-query -W -f '${Version}' cpu-checker 2>/dev/null) || kvmok_ver=n/a
fi

echo "kvmprep benchmark: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
machine_line
echo "runs: $runs counted + $warmups warm-up per command (fork+execvp, stdio on /dev/null, medians)"
echo "kvmprep: ${kvmprep:-not found}  virt-host-validate: $vhv_ver  cpu-checker: ${kvmok_ver:-n/a}"
echo "PATH for measured commands: $bench_path"
echo "execs: successful execve calls under strace -f (${strace_bin:-strace not installed})"
echo
printf '%-28s %10s %10s %8s %10s %5s %6s\n' command wall_ms rss_kib rss_mib cpu_ms exit execs
failed=0
bench "baseline: true (floor)" "$(find_cmd true || echo)"
bench "kvmprep check" "$kvmprep" check;            k_wall=$r_wall; k_rss=$r_rss
bench "kvmprep check --json" "$kvmprep" check --json
bench "virt-host-validate qemu" "$vhv" qemu;       v_wall=$r_wall; v_rss=$r_rss
bench "kvm-ok" "$kvmok";                           o_wall=$r_wall; o_rss=$r_rss

echo
echo "ratios (peer / kvmprep check; >1 means kvmprep is lighter):"
echo "  virt-host-validate/kvmprep: wall $(ratio "$v_wall" "$k_wall"), RSS $(ratio "$v_rss" "$k_rss")"
echo "  kvm-ok/kvmprep:             wall $(ratio "$o_wall" "$k_wall"), RSS $(ratio "$o_rss" "$k_rss")"
echo "note: RSS is wait4 ru_maxrss (child + reaped descendants); it cannot go below the"
echo "      measuring process's own RSS at fork, shown by the baseline row."

# --- the wall ratio against virt-host-validate in alternating rounds: drift on a noisy machine
# (another VM on the host, a frequency change) then hits both commands alike ---
wall_of() {
    line=$(PATH=$bench_path "$measure" -q -n "$runs" -w 1 -- "$@") || return 1
    for kv in $line; do case $kv in median_wall_ms=*) echo "${kv#*=}" ;; esac; done
}
if [ -n "$kvmprep" ] && [ -n "$vhv" ]; then
    rounds=${BENCH_ROUNDS:-7}
    is_uint "$rounds" && [ "$rounds" -ge 1 ] || die "BENCH_ROUNDS must be a positive integer, got '$rounds'"
    list=
    i=0
    while [ "$i" -lt "$rounds" ]; do
        kw=$(wall_of "$kvmprep" check) && vw=$(wall_of "$vhv" qemu) || { failed=1; break; }
        list="$list $(LC_ALL=C awk -v a="$vw" -v b="$kw" 'BEGIN { printf "%.2f", a / b }')"
        i=$((i + 1))
    done
    if [ -n "$list" ]; then
        med=$(printf '%s\n' $list | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
        echo "virt-host-validate/kvmprep wall in $rounds alternating rounds of $runs runs each:$list"
        echo "  median of the rounds: ${med}x"
    fi
fi

# --- the wizard: time to the first screen and per key (tests/bench/uibench.c, `make bench`) ---
# UIBENCH, WIZARD and UIBENCH_HOST (a host tree, copied first) come from `make bench`.
if [ -n "${UIBENCH:-}" ] && [ -x "$UIBENCH" ] && [ -n "${WIZARD:-}" ] && [ -x "$WIZARD" ] && [ -d "${UIBENCH_HOST:-}" ]; then
    { cp -a "$UIBENCH_HOST" "$tmp/uihost" && chmod -R u+w "$tmp/uihost"; } || die "cannot copy $UIBENCH_HOST"
    if line=$("$UIBENCH" -n "$runs" "$WIZARD" "$tmp/uihost"); then
        first=; key=
        for kv in $line; do
            case $kv in
                first_screen_median_ms=*) first=${kv#*=} ;;
                key_redraw_median_ms=*) key=${kv#*=} ;;
            esac
        done
        echo
        echo "wizard: first screen $first ms, key redraw $key ms (targets 50 ms / 16 ms)"
    else
        echo
        echo "wizard: measure failed: $line"
        failed=1
    fi
fi
[ "$failed" -eq 0 ] || die "some measurements failed"
exit 0
