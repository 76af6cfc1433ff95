# aida2raw.awk - convert one recorded CPUID dump into libcpuid's native raw
# format (the format of cpuid_serialize_raw_data(), read back by
# cpuid_deserialize_raw_data() in every libcpuid >= 0.5, 0.6.2 included).
#
#   awk -f tests/tools/aida2raw.awk DUMP.test > ROOT/.kvmprep/cpuid.raw
#
# Input: a libcpuid test dump (tests/**/*.test of anrieff/libcpuid) in any of
# its x86 formats:
#   - AIDA64 "------[ Logical CPU #0 ]------" / "------[ CPUID Registers / ..."
#     followed by "CPUID 00000001: EAX-EBX-ECX-EDX [SL nn] [comment]"
#   - "CPUID Registers (CPU #1):" and "CPU#000 AffMask: ..." headers with the
#     same CPUID lines (0.6.2 cannot read these two itself)
#   - libcpuid native "basic_cpuid[1]=eax ebx ecx edx" lines (passed through)
# Only the FIRST logical CPU is kept: conversion stops at the second CPU
# header or at the 80-dash line that starts the expected results of a .test.
# Output: "version=0.6.2", then name[index]=eax ebx ecx edx in lower-case hex.
#
# POSIX awk only; tested with mawk 1.3.4 (Debian's default awk), which
# ignores regex intervals such as {8}, so none are used here.

function hex(s,    i, v, d) {
	v = 0
	s = toupper(s)
	for (i = 1; i <= length(s); i++) {
		d = index("0123456789ABCDEF", substr(s, i, 1)) - 1
		if (d < 0)
			return -1
		v = v * 16 + d
	}
	return v
}

function header() {
	ncpu++
	if (ncpu > 1)
		exit
}

BEGIN { print "version=0.6.2"; ncpu = 0 }

{ sub(/\r$/, "") }

/^-----------*$/ { exit }                       # expected results of a .test
/^------\[ .*CPU #/ { header(); next }           # AIDA64 headers
/^CPUID Registers \(CPU #/ { header(); next }
/^CPU#[0-9]+ AffMask/ { header(); next }
/^___* Logical CPU #/ { header(); next }         # native multi-CPU header
/^version=/ { next }

/^[a-z_0-9]+\[[0-9]+\]=/ {                       # native format: pass through
	print tolower($0)
	next
}

/^CPUID [0-9A-Fa-f]+:? / {
	leaf = substr($2, 1, 8)
	if ($3 ~ /-/) {
		split($3, r, "-")
	} else {
		r[1] = $3; r[2] = $4; r[3] = $5; r[4] = $6
	}
	regs = tolower(r[1] " " r[2] " " r[3] " " r[4])
	sl = -1
	if (match($0, /\[SL [0-9]+\]/))
		sl = substr($0, RSTART + 4, RLENGTH - 5) + 0
	hi = toupper(substr(leaf, 1, 4))
	lo = hex(substr(leaf, 5))
	name = ""
	max = 0
	if (hi == "0000" && lo == 4)  { name = "intel_fn4";       max = 8 }
	if (hi == "0000" && lo == 11) { name = "intel_fn11";      max = 4 }
	if (hi == "0000" && lo == 18) { name = "intel_fn12h";     max = 4 }
	if (hi == "0000" && lo == 20) { name = "intel_fn14h";     max = 4 }
	if (hi == "8000" && lo == 29) { name = "amd_fn8000001dh"; max = 4 }
	# a subleaf table leaf listed several times without [SL nn]: count them
	if (sl < 0 && name != "")
		sl = seen[leaf]++
	if (sl <= 0 && hi == "0000" && lo >= 0 && lo < 32)
		printf "basic_cpuid[%d]=%s\n", lo, regs
	if (sl <= 0 && hi == "8000" && lo >= 0 && lo < 32)
		printf "ext_cpuid[%d]=%s\n", lo, regs
	if (name != "" && sl >= 0 && sl < max)
		printf "%s[%d]=%s\n", name, sl, regs
}
