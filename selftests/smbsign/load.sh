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

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

smbsign_log() { dmesg | grep -E 'smbsign' || echo "(no smbsign line in dmesg)"; }

matches_kernel() {
	local want
	[ -f "$KO" ] || { echo "$KO does not exist (build it with make)"; return 1; }
	want=$(modinfo -F vermagic "$KO" 2>&1) || { echo "modinfo $KO: $want"; return 1; }
	want=${want%% *}
	[ "$want" = "$(uname -r)" ] ||
		{ echo "$KO was built for $want, the running kernel is $(uname -r)"; return 1; }
}

loaded() { module_loaded || { echo "/sys/module/smbsign does not exist"; return 1; }; }

selftest_passed() {
	dmesg | grep -E 'smbsign: .*self-test passed' |
		grep -qE "[:,] $1([ ,]|\$)" && return 0
	echo "no 'smbsign: self-test passed' line names $1; smbsign said:"
	smbsign_log
	return 1
}

no_selftest_failure() { ! dmesg | grep -iE 'smbsign: .*self-test fail'; }

gone() {
	[ ! -e /sys/module/smbsign ] ||
		{ echo "/sys/module/smbsign still exists after rmmod"; return 1; }
}

main() {
	local alg
	kernel_test_start --basic

	step "smbsign.ko exists and matches the running kernel" matches_kernel || finish
	step "insmod smbsign.ko" module_load || finish
	step "/sys/module/smbsign exists" loaded || true
	for alg in $ALGS; do
		step "self-test passed: $alg" selftest_passed "$alg" || true
	done
	step "no self-test failure logged" no_selftest_failure || true
	if step "rmmod smbsign" module_unload; then
		step "/sys/module/smbsign is gone" gone || true
	fi
	step "kernel log has no warnings, oopses or BUGs; no new B/D/W/L taint" \
		kernel_clean || true
	echo "# smbsign log:"
	smbsign_log | sed 's/^/#   /'
	finish
}

main "$@"
