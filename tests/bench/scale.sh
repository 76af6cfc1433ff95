#!/bin/sh
# scale.sh: issue 7 §5: time and peak memory of `kvmprep check` on generated hosts of 1x, 10x and 100x size, with growth ratios and the targets.
#
# usage: tests/bench/scale.sh [KVMPREP_BINARY]
#   binary: $1, else $KVMPREP, else ./kvmprep (relative to the current, i.e. build, directory)
# environment:
#   SCALE_RUNS     counted runs per command (default 10)
#   SCALE_WARMUPS  uncounted warm-up runs per command (default 2)
#   SCALE_SIZES    the sizes to run (default "1 10 100"; see genhost.sh)
#   MEASURE, CC, CFLAGS  as for bench.sh (measure.c next to this script is compiled otherwise)
#   TMPDIR         where the hosts are generated (about 320 MB for size 100)
# Each command runs with --root on a host made by genhost.sh. Wall and CPU (user + system) are
# medians of the runs (CPU time is the steadier figure on a busy machine), RSS the highest
# ru_maxrss of them. Targets (issue 7 §5), at 100x: `check` under 100 ms, and
# the ksmtuned log view (`check --only ksm`, which parses the 3-million-line log) under 20 MiB.
# Exits 0 when the measurements were made, whether or not the targets are met.

set -u

bench_name=scale.sh
script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || { echo "scale.sh: cannot locate script directory" >&2; exit 1; }
runs=${SCALE_RUNS:-10}
warmups=${SCALE_WARMUPS:-2}
sizes=${SCALE_SIZES:-1 10 100}
. "$script_dir/common.sh"
case $runs$warmups in *[!0-9]*) die "SCALE_RUNS and SCALE_WARMUPS must be integers" ;; esac

kvmprep=${1:-${KVMPREP:-./kvmprep}}
[ -x "$kvmprep" ] || die "$kvmprep is not executable"
kvmprep=$(CDPATH='' cd -- "$(dirname -- "$kvmprep")" && pwd)/$(basename -- "$kvmprep")

# run LABEL ARGS...: measures kvmprep ARGS; sets r_wall (median ms) and r_rss (peak KiB).
run() {
    label=$1; shift
    r_wall=; r_rss=; r_cpu=
    if ! line=$("$measure" -n "$runs" -w "$warmups" -- "$kvmprep" "$@" 2>"$tmp/runs"); then
        printf '%-6s %-20s measure failed\n' "$size" "$label"
        failed=1
        return
    fi
    for kv in $line; do
        case $kv in median_wall_ms=*) r_wall=${kv#*=} ;; median_cpu_ms=*) r_cpu=${kv#*=} ;; exit=*) code=${kv#*=} ;; esac
    done
    r_rss=$(sed -n 's/.* rss_kib=\([0-9]*\) .*/\1/p' "$tmp/runs" | sort -n | tail -n 1)
    mib=$(LC_ALL=C awk -v k="$r_rss" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '%-6s %-20s %10s %10s %10s %8s %5s\n' "${size}x" "$label" "$r_wall" "$r_cpu" "$r_rss" "$mib" "$code"
}

echo "kvmprep scale benchmark: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
machine_line
echo "runs: $runs counted + $warmups warm-up per command (medians; RSS is the highest ru_maxrss)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo
failed=0
for size in $sizes; do
    HOSTS=${HOSTS:-$script_dir/../hosts} sh "$script_dir/genhost.sh" "$size" "$tmp/host$size" >"$tmp/gen$size" ||
        die "genhost.sh $size failed"
    sed 's/^genhost.sh: [^:]*: /  /' "$tmp/gen$size" | sed "s/^/${size}x:/"
done
echo
printf '%-6s %-20s %10s %10s %10s %8s %5s\n' size command wall_ms cpu_ms rss_kib rss_mib exit
for size in $sizes; do
    root=$tmp/host$size
    run "check" --root "$root" check;                      eval "c_wall_$size=\$r_wall c_rss_$size=\$r_rss"
    run "check --json" --root "$root" check --json;        eval "j_wall_$size=\$r_wall j_rss_$size=\$r_rss"
    run "check --only ksm" --root "$root" --only ksm check; eval "k_wall_$size=\$r_wall k_rss_$size=\$r_rss"
done

echo
echo "growth (wall, RSS) from one size to the next:"
prev=
for size in $sizes; do
    if [ -n "$prev" ]; then
        for c in c j k; do
            case $c in c) label="check" ;; j) label="check --json" ;; k) label="check --only ksm" ;; esac
            eval "w1=\${${c}_wall_$prev:-} w2=\${${c}_wall_$size:-} m1=\${${c}_rss_$prev:-} m2=\${${c}_rss_$size:-}"
            printf '  %sx -> %sx  %-18s wall %7s  RSS %7s\n' "$prev" "$size" "$label" "$(ratio "$w2" "$w1")" "$(ratio "$m2" "$m1")"
        done
    fi
    prev=$size
done

case " $sizes " in
*" 100 "*)
    echo
    verdict() { if LC_ALL=C awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a < b) }'; then echo met; else echo MISSED; fi; }
    echo "targets at 100x:"
    echo "  check under 100 ms:                 ${c_wall_100:-?} ms  $(verdict "${c_wall_100:-}" 100)"
    echo "  check --only ksm under 20 MiB peak: ${k_rss_100:-?} KiB  $(verdict "${k_rss_100:-}" 20480)"
    ;;
esac
[ "$failed" -eq 0 ] || die "some measurements failed"
exit 0
