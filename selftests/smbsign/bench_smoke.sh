#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke run of make bench's in-kernel benchmark (smbsign_bench.ko,
# tools/testing/bench/kmod) with tiny counts: every algorithm signs a
# request of every size identically through smbsign's API (a), the raw
# primitive (d) and, for HMAC-SHA256 and AES-CMAC, the Linux 6.12 cifs (b)
# and ksmbd (c) sequences; every path verifies a signed response; and every
# row of the benchmark comes out with a number. The figures mean nothing.
#
# The module is $SMBSIGN_BENCH_KO (tools/testing/vm/selftests sets it);
# without one built for the running kernel the test skips and says why.
# Changes the running kernel: run it in a VM.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

BENCH_KO=${SMBSIGN_BENCH_KO:-}
SIZES="64 256 1024 4096 65536 1048576"
ROW_RE='^row alg=([a-z0-9-]+) op=(sign|verify) size=([0-9]+) path=([a-e]) n=([0-9]+) min=([0-9]+) med=([0-9]+)$'
# No message takes a guest second, even under TCG.
MAX_NS_PER_MSG=1000000000

# bench_lines PARAM...: load the module once; its lines in $LINES.
bench_lines() {
	local out
	dmesg -C
	out=$(insmod "$BENCH_KO" "$@" 2>&1) || { echo "insmod $BENCH_KO $*: $out"; return 1; }
	out=$(rmmod smbsign_bench 2>&1) || { echo "rmmod smbsign_bench: $out"; return 1; }
	LINES=$(dmesg | sed -n 's/^\[[^]]*\] smbsign_bench: //p')
	[[ $'\n'$LINES$'\n' == *$'\n'"done errors=0"$'\n'* ]] && return 0
	echo "the module did not end with 'done errors=0':"
	printf '%s\n' "$LINES"
	return 1
}

# Every algorithm and size: "check ... ok", nothing else.
signatures_agree() {
	local alg size want bad=0
	bench_lines check=1 || return 1
	for alg in $ALGS; do
		for size in $SIZES; do
			want="check alg=$alg size=$size ok"
			[[ $'\n'$LINES$'\n' == *$'\n'"$want"$'\n'* ]] ||
				{ echo "no line '$want'"; bad=1; }
		done
	done
	if printf '%s\n' "$LINES" | grep -E '^(check .*FAIL|error)'; then
		bad=1
	fi
	return "$bad"
}

# The paths 6.12 has for an algorithm.
paths_of() { [ "$1" = aes-gmac ] && echo "a d" || echo "a b c d"; }

# Every row is there once, with a number that makes sense.
rows_sane() {
	local line alg op size path n min bad=0 key
	local -A seen=()
	bench_lines budget_kib=1 max_iters=2 rounds=1 || return 1
	while IFS= read -r line; do
		case $line in row\ *) ;; *) continue ;; esac
		if [[ ! $line =~ $ROW_RE ]]; then
			echo "malformed row: $line"
			bad=1
			continue
		fi
		alg=${BASH_REMATCH[1]} op=${BASH_REMATCH[2]} size=${BASH_REMATCH[3]}
		path=${BASH_REMATCH[4]} n=${BASH_REMATCH[5]} min=${BASH_REMATCH[6]}
		key="$alg $op $size $path"
		[ -z "${seen[$key]:-}" ] || { echo "row twice: $line"; bad=1; }
		seen[$key]=1
		if [ "$n" -lt 1 ] || [ "$min" -le 0 ] ||
		   [ "$min" -gt $((n * MAX_NS_PER_MSG)) ]; then
			echo "implausible time: $line"
			bad=1
		fi
	done <<<"$LINES"
	for alg in $ALGS; do
		for op in sign verify; do
			for size in $SIZES; do
				for path in $(paths_of "$alg"); do
					[ -n "${seen["$alg $op $size $path"]:-}" ] ||
						{ echo "no row for $alg $op $size $path"; bad=1; }
				done
			done
		done
	done
	[ "${#seen[@]}" -eq $((2 * 6 * (4 + 4 + 2))) ] ||
		{ echo "${#seen[@]} rows, expected $((2 * 6 * 10))"; bad=1; }
	return "$bad"
}

# A parameter out of range: a clear error, the module not loaded.
bad_param_refused() {
	local out
	if out=$(insmod "$BENCH_KO" rounds=0 2>&1); then
		rmmod smbsign_bench
		echo "insmod with rounds=0 succeeded"
		return 1
	fi
	[ ! -d /sys/module/smbsign_bench ] || { echo "smbsign_bench stayed loaded"; return 1; }
	dmesg | grep -q 'smbsign_bench: bad parameters' ||
		{ echo "no 'bad parameters' message; insmod said: $out"; return 1; }
}

bench_ko_matches() {
	local want
	want=$(modinfo -F vermagic "$BENCH_KO" 2>&1) || { echo "modinfo $BENCH_KO: $want"; return 1; }
	[ "${want%% *}" = "$(uname -r)" ] ||
		{ echo "$BENCH_KO was built for ${want%% *}, not $(uname -r)"; return 1; }
}

main() {
	kernel_test_start --basic
	[ -n "$BENCH_KO" ] ||
		skip "no smbsign_bench.ko for this kernel (SMBSIGN_BENCH_KO is empty; make bench-module builds it for Debian's)"
	[ -f "$BENCH_KO" ] || skip "$BENCH_KO does not exist (make bench-module)"

	step "smbsign_bench.ko matches the running kernel" bench_ko_matches || finish
	step "insmod smbsign.ko" module_load || finish
	step "a, b, c and d sign every size identically" signatures_agree || true
	step "every row of the benchmark has a plausible time" rows_sane || true
	step "a bad parameter is refused with a message" bad_param_refused || true
	step "rmmod smbsign" module_unload || true
	step "kernel log has no warnings, oopses or BUGs; no new B/D/W/L taint" \
		kernel_clean || true
	finish
}

main "$@"
