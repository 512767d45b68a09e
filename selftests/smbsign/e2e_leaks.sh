# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# kmemleak for the end-to-end tests that look for leaks themselves
# (e2e_faults.sh, e2e_unload_load.sh); source it after e2e_lib.sh. The
# whole console log of a debug-kernel run is scanned again at the end
# (tools/testing/vm/run --kmemleak); a test that scans itself names the
# leak while its own cases are still in the log.

readonly E2E_KMEMLEAK=/sys/kernel/debug/kmemleak

# e2e_kmemleak_on: the kernel has kmemleak and it is on.
e2e_kmemleak_on() { [ -w "$E2E_KMEMLEAK" ] && [ -r "$E2E_KMEMLEAK" ]; }

# e2e_kmemleak_clear: forget the suspects found so far (earlier tests').
e2e_kmemleak_clear() {
	echo clear >"$E2E_KMEMLEAK" 2>/dev/null ||
		{ echo "cannot write clear to $E2E_KMEMLEAK"; return 1; }
}

e2e_uptime_s() {
	local up
	read -r up _ </proc/uptime
	echo "${up%.*}"
}

# e2e_kmemleak_none: scan, wait until what the test allocated is older
# than kmemleak's minimum age (5 s of the guest's uptime), scan again:
# no unreferenced object since e2e_kmemleak_clear.
e2e_kmemleak_none() {
	local t n
	echo scan >"$E2E_KMEMLEAK" 2>/dev/null ||
		{ echo "cannot write scan to $E2E_KMEMLEAK"; return 1; }
	t=$(e2e_uptime_s)
	while [ "$(e2e_uptime_s)" -le $((t + 6)) ]; do
		sleep 0.5
	done
	echo scan >"$E2E_KMEMLEAK"
	n=$(grep -c '^unreferenced object' "$E2E_KMEMLEAK") || n=0
	[ "$n" -eq 0 ] && return 0
	echo "kmemleak: $n unreferenced object(s):"
	head -n 60 "$E2E_KMEMLEAK"
	return 1
}
