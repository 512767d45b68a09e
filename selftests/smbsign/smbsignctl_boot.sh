#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The boot policy, end to end with modprobe: smbsignctl set writes
# /etc/modprobe.d/smbsign.conf; smbsign unloaded and loaded again with
# modprobe (which alone reads modprobe.d) comes back with that policy; a
# --runtime-only change does not survive the reload, and status showed it
# as a difference first; check-config catches a misspelt option, which the
# kernel only warns about, and a value that stops the load; status and set
# tell a stock cifs, which ignores smbsign, from one that is bound.
#
# modprobe loads smbsign.ko of the repository from a private module tree
# (modprobe -d, depmod -b) in a temporary directory: the VM's own
# /lib/modules is not touched. The test writes the real
# /etc/modprobe.d/smbsign.conf, so it runs only in the VM of
# tools/testing/vm/run (SMBSIGN_IN_VM=1), whose /etc is a throw-away
# overlay; an existing file is put back at the end. Checks of unsigned_peers
# are a SKIP while the module has none.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source-path=SCRIPTDIR source=smbsignctl_lib.sh
. "$(dirname "$0")/smbsignctl_lib.sh"

CONF=/etc/modprobe.d/smbsign.conf
KVER=$(uname -r)
MODROOT=
STOCK_CIFS=

boot_cleanup() {
	[ -z "$STOCK_CIFS" ] || rmmod cifs 2>/dev/null || true
	module_unload >/dev/null 2>&1 || true
	if [ -n "$TMP" ] && [ -f "$TMP/smbsign.conf.orig" ]; then
		cp -p "$TMP/smbsign.conf.orig" "$CONF"
	else
		rm -f "$CONF"
	fi
	cleanup
}

# A module tree with only smbsign.ko, for modprobe -d, in $MODROOT.
modroot_prepare() {
	local out
	mkdir -p "$MODROOT/lib/modules/$KVER/extra"
	cp "$KO" "$MODROOT/lib/modules/$KVER/extra/smbsign.ko"
	out=$(depmod -b "$MODROOT" "$KVER" 2>&1) || { echo "depmod -b: $out"; return 1; }
	grep -q 'extra/smbsign.ko:' "$MODROOT/lib/modules/$KVER/modules.dep" ||
		{ echo "modules.dep does not list smbsign.ko"; return 1; }
}

# boot_load: unload smbsign, load it again the way the boot does: modprobe,
# with the options of /etc/modprobe.d.
boot_load() {
	local out deps
	module_unload || return 1
	deps=$(modinfo -F depends "$KO")
	# shellcheck disable=SC2086 # a list of module names
	[ -z "$deps" ] || modprobe -a ${deps//,/ } ||
		{ echo "cannot load dependencies: $deps"; return 1; }
	out=$(modprobe -d "$MODROOT" smbsign 2>&1) ||
		{ echo "modprobe smbsign: $out"; dmesg | tail -n 5; return 1; }
	module_loaded || { echo "modprobe did not load smbsign: $out"; return 1; }
}

loads_defaults() {
	boot_load || return 1
	file_is client/require_signing 1 && file_is server/require_signing 0 || return 1
	expect_exit 0 status || return 1
	out_has "boot policy: $CONF" \
		"  the file does not exist: smbsign loads with its defaults"
}

set_writes_conf() {
	local line
	expect_exit 0 set server --require-signing true || return 1
	out_has "Saved in $CONF: smbsign loads with this policy from now on." || return 1
	[ "$(head -n 1 "$CONF")" = "# smbsign: the SMB signing policy the module loads with (modprobe smbsign)." ] ||
		{ echo "no header in $CONF:"; cat "$CONF"; return 1; }
	line=$(grep -c '^options smbsign ' "$CONF")
	[ "$line" = 1 ] || { echo "$line options lines in $CONF"; return 1; }
	grep -q '^options smbsign .*server_require_signing=1' "$CONF" ||
		{ echo "server_require_signing=1 is not in $CONF:"; cat "$CONF"; return 1; }
	expect_exit 0 check-config || return 1
	out_has "  server_require_signing=1" "$CONF: no errors, 0 warnings"
}

set_more() {
	expect_exit 0 set client --require-signing no --allow-insecure-guest yes \
		--audit-unsigned-peers on || return 1
	expect_exit 0 set algorithms aes-gmac,hmac-sha256 || return 1
	expect_exit 0 set client --unsigned-peers 'NAS.example.com 192.0.2.0/24' || return 1
	expect_exit 0 set server --unsigned-peers 2001:db8::/32 || return 1
	expect_exit 0 check-config
}

# The file's policy, loaded by modprobe, is the policy that ran.
reload_restores() {
	local before after p v
	policy before
	boot_load || return 1
	policy after
	expect_eq "policy after rmmod and modprobe" "$before" "$after" || return 1
	for p in server_require_signing:1 client_require_signing:0 \
		 client_allow_insecure_guest:1 algorithms:aes-gmac,hmac-sha256; do
		value v "$PARAMS/${p%%:*}"
		expect_eq "$PARAMS/${p%%:*}" "${p#*:}" "$v" || return 1
	done
	expect_exit 0 status || return 1
	out_has "  same as the running policy"
}

runtime_only_lost() {
	expect_exit 0 set server --require-signing 0 --runtime-only || return 1
	expect_exit 0 status || return 1
	out_has "    server_require_signing: running 0, at the next load 1" || return 1
	boot_load || return 1
	file_is server/require_signing 1
}

# A misspelt option: the kernel warns and keeps the default, so the
# intended setting silently does not happen; check-config says so.
typo_caught() {
	local mark="smbsignctl_boot: typo $$"
	echo 'options smbsign server_require_signnig=0' >>"$CONF"
	expect_exit 1 check-config || return 1
	out_has "$CONF:5: error: unknown option 'server_require_signnig': the kernel ignores it with only a warning (\"smbsign: unknown parameter 'server_require_signnig' ignored\"); did you mean server_require_signing?" || return 1
	echo "$mark" >/dev/kmsg
	boot_load || return 1
	dmesg | sed -n "/$mark/,\$p" | grep -q "smbsign: unknown parameter 'server_require_signnig' ignored" ||
		{ echo "the kernel did not warn about the unknown parameter:"; dmesg | tail -n 5; return 1; }
	file_is server/require_signing 1
}

# A value the kernel refuses: modprobe smbsign fails (and with it cifs
# and ksmbd); check-config says so first.
bad_value_stops_load() {
	local out
	cp "$CONF" "$TMP/good.conf"
	echo 'options smbsign client_require_signing=maybe' >"$CONF"
	expect_exit 1 check-config || return 1
	out_has "smbsign would not load with this file: the kernel refuses a value (see above), and so modprobe smbsign, modprobe cifs and modprobe ksmbd fail." || return 1
	module_unload || return 1
	if out=$(modprobe -d "$MODROOT" smbsign 2>&1); then
		echo "modprobe loaded smbsign with client_require_signing=maybe"
		return 1
	fi
	! module_loaded || { echo "smbsign is loaded"; return 1; }
	cp "$TMP/good.conf" "$CONF"
	boot_load
}

# A stock cifs does not link against smbsign: status and set say the
# policy is not enforced. The expectation follows the kernel's own record,
# /sys/module/smbsign/holders.
stock_cifs_reported() {
	local out
	[ -d /sys/module/cifs ] && { echo "cifs is loaded already"; return 1; }
	out=$(modprobe cifs 2>&1) || { echo "modprobe cifs: $out"; return 1; }
	STOCK_CIFS=1
	expect_exit 0 status || return 1
	if [ -d /sys/module/smbsign/holders/cifs ]; then
		out_has "  cifs: bound" || return 1
	else
		out_has "  cifs: loaded, NOT using smbsign (stock module): policy not enforced" || return 1
		expect_exit 0 set client --require-signing 1 --runtime-only || return 1
		out_has "Warning: cifs is loaded but does not use smbsign (the stock module): it does not follow this policy. Load the patched cifs." || return 1
	fi
	rmmod cifs && STOCK_CIFS=
}

main() {
	[ "${SMBSIGN_IN_VM:-}" = 1 ] ||
		skip "writes /etc/modprobe.d/smbsign.conf: runs only in the VM of tools/testing/vm/run"
	command -v depmod >/dev/null || skip "depmod (kmod) is not installed"
	ctl_test_start
	trap boot_cleanup EXIT
	[ ! -f "$CONF" ] || cp -p "$CONF" "$TMP/smbsign.conf.orig"
	rm -f "$CONF"
	unset SMBSIGNCTL_MODPROBE_CONF	# the real /etc/modprobe.d/smbsign.conf
	MODROOT=$TMP/root

	step "a private module tree holds smbsign.ko for modprobe -d" modroot_prepare || finish
	step "modprobe without smbsign.conf loads the defaults" loads_defaults || finish
	step "set server --require-signing true writes $CONF, check-config passes" set_writes_conf || true
	step "more settings of both sides and the algorithms are saved" set_more || true
	step "rmmod and modprobe: the saved policy is back" reload_restores || true
	step "a --runtime-only change shows in status and is gone after a reload" runtime_only_lost || true
	step "check-config catches a misspelt option the kernel only warns about" typo_caught || true
	step "a value the kernel refuses stops modprobe; check-config says so" bad_value_stops_load || true
	step "status and set report a stock cifs as not using smbsign" stock_cifs_reported || true
	step "kernel log has no warnings, no new B/D/W/L taint" kernel_clean || true
	finish
}

main "$@"
