#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load smbsign.ko, check that its load-time self-test passed for all three
# signing algorithms, unload it, and check that the kernel log and taint
# flags stayed clean. Each check prints a TAP line; a failing one prints
# why. Exit status (kselftest): 0 pass, 1 fail, 4 skip.
#
# The module is $SMBSIGN_KO, else $SMBSIGN_TOP/smbsign/smbsign.ko, with
# SMBSIGN_TOP defaulting to the repository holding this script. Changes
# the running kernel: run it in a VM (tools/testing/vm/selftests).
# shellcheck disable=SC2317 # the checks are called through step
set -eu

readonly KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4
readonly ALGS="hmac-sha256 aes-cmac aes-gmac"
readonly BAD_LOG='WARNING:|BUG:|Oops|KASAN|general protection|Call Trace|refcount_t|lockdep'
readonly ALLOWED_LOG='module verification failed'
# Taint flags that mean the kernel misbehaved: B (bad page), D (oops),
# W (warning), L (soft lockup).
readonly BAD_TAINT=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))

top=${SMBSIGN_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
KO=${SMBSIGN_KO:-$top/smbsign/smbsign.ko}
n=0
failed=0

skip() {
	echo "# SKIP: $*"
	exit "$KSFT_SKIP"
}

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ] || { echo "# $failed check(s) failed"; exit "$KSFT_FAIL"; }
	exit "$KSFT_PASS"
}

# step DESCRIPTION COMMAND...: run one check. COMMAND prints the reason
# for a failure; it is shown as TAP diagnostics.
step() {
	local desc=$1 out rc=0
	shift
	n=$((n + 1))
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $desc"
		return 0
	fi
	echo "not ok $n $desc"
	printf '%s\n' "${out:-(no reason given, exit status $rc)}" | sed 's/^/#   /'
	failed=$((failed + 1))
	return 1
}

smbsign_log() { dmesg | grep -E 'smbsign' || echo "(no smbsign line in dmesg)"; }

check_module() {
	local want have
	[ -f "$KO" ] || { echo "$KO does not exist (build it with make)"; return 1; }
	have=$(uname -r)
	want=$(modinfo -F vermagic "$KO" 2>&1) || { echo "modinfo $KO: $want"; return 1; }
	want=${want%% *}
	[ "$want" = "$have" ] ||
		{ echo "$KO was built for $want, the running kernel is $have"; return 1; }
}

load() {
	local deps out
	deps=$(modinfo -F depends "$KO")
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086 # a list of module names
		modprobe -a ${deps//,/ } || { echo "cannot load dependencies: $deps"; return 1; }
	fi
	out=$(insmod "$KO" 2>&1) || {
		echo "insmod $KO failed: $out"
		echo "kernel log:"
		dmesg | tail -n 15
		return 1
	}
}

loaded() {
	[ -d /sys/module/smbsign ] || { echo "/sys/module/smbsign does not exist"; return 1; }
}

selftest_passed() {
	local alg=$1
	dmesg | grep -E 'smbsign: .*self-test passed' |
		grep -qE "[:,] $alg([ ,]|\$)" && return 0
	echo "no 'smbsign: self-test passed' line names $alg; smbsign said:"
	smbsign_log
	return 1
}

no_selftest_failure() {
	! dmesg | grep -iE 'smbsign: .*self-test fail'
}

unload() {
	local out
	out=$(rmmod smbsign 2>&1) || { echo "rmmod smbsign failed: $out"; return 1; }
}

gone() {
	[ ! -e /sys/module/smbsign ] ||
		{ echo "/sys/module/smbsign still exists after rmmod"; return 1; }
}

log_clean() {
	local bad
	bad=$(dmesg | grep -vF "$ALLOWED_LOG" | grep -E "$BAD_LOG") || return 0
	echo "the kernel log has warnings:"
	printf '%s\n' "$bad" | head -n 20
	return 1
}

taint_clean() {
	local now new
	now=$(cat /proc/sys/kernel/tainted)
	new=$(((now & ~taint0) & BAD_TAINT))
	[ "$new" -eq 0 ] ||
		{ echo "new taint flags $new (tainted was $taint0, now $now)"; return 1; }
}

main() {
	[ "$(id -u)" = 0 ] || skip "must run as root"
	[ -d /sys/module ] || skip "sysfs is not mounted"
	command -v insmod >/dev/null || skip "insmod (kmod) is not installed"
	if [ -e /sys/module/smbsign ]; then
		rmmod smbsign 2>/dev/null ||
			skip "smbsign is already loaded and cannot be unloaded"
	fi
	echo "# module: $KO"
	taint0=$(cat /proc/sys/kernel/tainted)
	dmesg -C

	step "smbsign.ko exists and matches the running kernel" check_module || finish
	step "insmod smbsign.ko" load || finish
	step "/sys/module/smbsign exists" loaded || true
	for alg in $ALGS; do
		step "self-test passed: $alg" selftest_passed "$alg" || true
	done
	step "no self-test failure logged" no_selftest_failure || true
	if step "rmmod smbsign" unload; then
		step "/sys/module/smbsign is gone" gone || true
	fi
	step "kernel log has no warnings, oopses or BUGs" log_clean || true
	step "no new B/D/W/L taint" taint_clean || true
	echo "# smbsign log:"
	smbsign_log | sed 's/^/#   /'
	finish
}

main "$@"
