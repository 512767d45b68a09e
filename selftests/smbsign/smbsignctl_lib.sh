# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the smbsignctl kselftests (smbsignctl.sh, smbsignctl_explain.sh,
# smbsignctl_boot.sh), on top of lib.sh. Source it; it only defines things.

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CTL=${SMBSIGNCTL:-$SMBSIGN_TOP/tools/smbsignctl/smbsignctl}
unset SMBSIGNCTL_SYSFS SMBSIGNCTL_SYSMODULE SMBSIGNCTL_PROCFS SMBSIGNCTL_BOOTTIME
TMP=
PROC=/proc/fs/smbsign

cleanup() {
	module_unload >/dev/null 2>&1 || true
	[ -z "$TMP" ] || rm -rf "$TMP"
}

tool_built() {
	[ -x "$CTL" ] && return 0
	echo "$CTL does not exist: make -C $SMBSIGN_TOP/tools/smbsignctl"
	return 1
}

# policy: every policy file, peer lists included, to show nothing changed.
policy() {
	local -n policy_var=$1
	local f
	policy_snapshot policy_var
	for f in client/unsigned_peers server/unsigned_peers; do
		policy_var+="$f=$(cat "$SYSFS/$f")"$'\n'
	done
}

# defaults: the module's defaults, peer lists empty.
defaults() {
	policy_defaults
	echo >"$SYSFS/client/unsigned_peers"
	echo >"$SYSFS/server/unsigned_peers"
}

# file_is FILE VALUE: $SYSFS/FILE reads VALUE and a newline.
file_is() { expect_content "$SYSFS/$1" "$2\\n"; }

# ctl_test_start: kernel_test_start, $TMP, the tool built, and
# SMBSIGNCTL_MODPROBE_CONF in $TMP: set saves there, never in /etc
# (smbsignctl_boot.sh tests /etc/modprobe.d itself).
# shellcheck disable=SC2120 # kernel_test_start's option is not needed
ctl_test_start() {
	kernel_test_start ""
	echo "# smbsignctl: $CTL"
	TMP=$(mktemp -d)
	trap cleanup EXIT
	chmod 0755 "$TMP"
	mkdir "$TMP/modprobe.d"
	export SMBSIGNCTL_MODPROBE_CONF=$TMP/modprobe.d/smbsign.conf
	step "smbsignctl is built" tool_built || finish
}
