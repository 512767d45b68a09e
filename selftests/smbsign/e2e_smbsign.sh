# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of e2e_lib.sh (which sources it; do not source it alone): smbsign's
# policy files, counters and tracepoints as the end-to-end tests use them.

# ------------------------------------------------------- smbsign's sysfs

# e2e_knob PATH VALUE: write a policy file under /sys/kernel/smbsign.
e2e_knob() {
	[ -d "$E2E_SYS" ] || { echo "$E2E_SYS does not exist (smbsign not loaded?)"; return 1; }
	printf '%s\n' "$2" >"$E2E_SYS/$1" 2>/dev/null ||
		{ echo "cannot write '$2' to $E2E_SYS/$1"; return 1; }
}

# e2e_policy CLIENT_REQUIRE SERVER_REQUIRE [ALLOW_GUEST [ALGORITHMS]]
e2e_policy() {
	e2e_knob client/require_signing "$1" &&
	e2e_knob server/require_signing "$2" &&
	e2e_knob client/allow_insecure_guest "${3:-0}" &&
	e2e_knob algorithms "${4:-aes-gmac aes-cmac hmac-sha256}"
}

e2e_stats_reset() { e2e_knob stats/reset 1; }

# The counter helpers use shell builtins only: under TCG every fork costs
# tens to hundreds of milliseconds.

# e2e_stat SIDE ALG COUNTER: set E2E_V to one counter.
e2e_stat() {
	local f=$E2E_SYS/stats/$1/$2/$3
	E2E_V=
	if [ -r "$f" ] && read -r E2E_V <"$f" && [ -n "$E2E_V" ]; then
		return 0
	fi
	echo "cannot read $f"
	return 1
}

# e2e_stat_sum SIDE COUNTER: set E2E_V to a counter summed over the
# algorithms.
e2e_stat_sum() {
	local alg sum=0
	for alg in $E2E_ALGS; do
		e2e_stat "$1" "$alg" "$2" || return 1
		sum=$((sum + E2E_V))
	done
	E2E_V=$sum
}

# e2e_stats_show SIDE: print the non-zero counters of SIDE on one line
# (every counter the module has: the names are smbsign's, names.h).
e2e_stats_show() {
	local alg c f out=
	for alg in $E2E_ALGS; do
		for f in "$E2E_SYS/stats/$1/$alg"/*; do
			c=${f##*/}
			e2e_stat "$1" "$alg" "$c" >/dev/null || continue
			[ "$E2E_V" = 0 ] || out="$out $alg/$c=$E2E_V"
		done
	done
	echo "$1 counters:${out:- all zero}"
}

# e2e_expect_alg_only SIDE ALG [MIN_BYTES]: SIDE signed and verified
# messages with ALG and with no other algorithm, nothing failed or was
# rejected, and at least MIN_BYTES were signed and verified with ALG.
e2e_expect_alg_only() {
	local side=$1 want=$2 min=${3:-1} alg c bad=0
	for alg in $E2E_ALGS; do
		for c in signed verified verify_failed unsigned_rejected; do
			e2e_stat "$side" "$alg" "$c" || return 1
			case $alg:$c:$E2E_V in
			"$want":signed:0|"$want":verified:0)
				echo "$side/$alg/$c is 0: nothing $c with $want"; bad=1 ;;
			"$want":signed:*|"$want":verified:*) ;;
			*:verify_failed:0|*:unsigned_rejected:0) ;;
			*:verify_failed:*|*:unsigned_rejected:*)
				echo "$side/$alg/$c is $E2E_V, expected 0"; bad=1 ;;
			*:*:0) ;;
			*) echo "$side/$alg/$c is $E2E_V: an algorithm other than $want was used"; bad=1 ;;
			esac
		done
	done
	for c in bytes_signed bytes_verified; do
		e2e_stat "$side" "$want" "$c" || return 1
		[ "$E2E_V" -ge "$min" ] ||
			{ echo "$side/$want/$c is $E2E_V, expected at least $min"; bad=1; }
	done
	[ "$bad" = 0 ] || { e2e_stats_show "$side"; return 1; }
}

# e2e_expect_unsigned SIDE [MAX_BYTES]: SIDE signed and verified nothing,
# or, with MAX_BYTES, fewer bytes than that: MS-SMB2 has a user session
# sign a few messages even when signing is not required (the final SMB
# 3.1.1 SESSION_SETUP response, 3.1.1 TREE_CONNECT, VALIDATE_NEGOTIATE).
# Nothing may fail to verify.
e2e_expect_unsigned() {
	local side=$1 max=${2:-0} c total=0
	e2e_stat_sum "$side" verify_failed || return 1
	[ "$E2E_V" = 0 ] ||
		{ echo "$side: $E2E_V messages failed to verify"; e2e_stats_show "$side"; return 1; }
	for c in signed verified bytes_signed bytes_verified; do
		e2e_stat_sum "$side" "$c" || return 1
		case $c in bytes_*) total=$((total + E2E_V)) ;; esac
		[ "$max" -gt 0 ] || [ "$E2E_V" = 0 ] ||
			{ echo "$side $c $E2E_V messages on an unsigned session"; e2e_stats_show "$side"; return 1; }
	done
	[ "$max" -eq 0 ] || [ "$total" -lt "$max" ] ||
		{ echo "$side signed and verified $total bytes on an unsigned session (at most $max expected)"; e2e_stats_show "$side"; return 1; }
}

# e2e_expect_counter SIDE COUNTER MIN [MAX]: the counter, summed over the
# algorithms, is at least MIN (and at most MAX).
e2e_expect_counter() {
	e2e_stat_sum "$1" "$2" || return 1
	[ "$E2E_V" -ge "$3" ] && [ "$E2E_V" -le "${4:-$E2E_V}" ] && return 0
	if [ -n "${4:-}" ]; then
		echo "$1/*/$2 is $E2E_V, expected between $3 and $4"
	else
		echo "$1/*/$2 is $E2E_V, expected at least $3"
	fi
	e2e_stats_show "$1"
	return 1
}

# ----------------------------------------------------------- tracepoints

readonly E2E_TRACING=/sys/kernel/tracing

# e2e_trace_start: record smbsign's tracepoints from now on, in an empty
# buffer.
e2e_trace_start() {
	[ -d "$E2E_TRACING/events/smbsign" ] ||
		{ echo "no $E2E_TRACING/events/smbsign (tracefs not mounted?)"; return 1; }
	echo 0 >"$E2E_TRACING/tracing_on" &&
	: >"$E2E_TRACING/trace" &&
	echo 1 >"$E2E_TRACING/events/smbsign/enable" &&
	echo 1 >"$E2E_TRACING/tracing_on"
}

e2e_trace_stop() {
	[ ! -d "$E2E_TRACING/events/smbsign" ] ||
		echo 0 >"$E2E_TRACING/events/smbsign/enable"
}

# e2e_trace_expect EVENT REGEX...: the buffer holds an EVENT line matching
# every REGEX (extended).
e2e_trace_expect() {
	local event=$1 lines re
	shift
	lines=$(grep -F " $event: " "$E2E_TRACING/trace") ||
		{ echo "no $event event was recorded"; tail -n 5 "$E2E_TRACING/trace"; return 1; }
	for re in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -E -- "$re") ||
			{ echo "no $event event matches all of: $*"; grep -F " $event: " "$E2E_TRACING/trace" | head -n 5; return 1; }
	done
}

# ------------------------------------------------- /proc/fs/smbsign tables

readonly E2E_PROC=/proc/fs/smbsign

# e2e_table_has TABLE REGEX: a line of /proc/fs/smbsign/TABLE (sessions or
# audit) matches the extended REGEX; the line is left in E2E_LINE.
e2e_table_has() {
	E2E_LINE=$(grep -E -m1 -- "$2" "$E2E_PROC/$1" 2>/dev/null) && return 0
	echo "no line of $E2E_PROC/$1 matches /$2/; it holds:"
	cat "$E2E_PROC/$1" 2>&1
	return 1
}

# e2e_table_lacks TABLE REGEX: no line matches.
e2e_table_lacks() {
	grep -qE -- "$2" "$E2E_PROC/$1" 2>/dev/null || return 0
	echo "a line of $E2E_PROC/$1 matches /$2/:"
	grep -E -- "$2" "$E2E_PROC/$1"
	return 1
}

# e2e_wait_for SECONDS COMMAND...: COMMAND succeeds within SECONDS (a
# state reached asynchronously, e.g. a session torn down after its
# connection closed); its last output is shown when it never does.
e2e_wait_for() {
	local secs=$1 out
	shift
	for _ in $(seq $((secs * 10))); do
		out=$("$@" 2>&1) && return 0
		sleep 0.1
	done
	printf '%s\n' "$out"
	echo "(still not so after $secs s)"
	return 1
}
