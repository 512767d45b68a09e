#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tear the stack down in the right order after real use: with a signed
# SMB 3.1.1 mount of a ksmbd share in use, unmount, stop ksmbd with
# ksmbd.control --shutdown, unload cifs and ksmbd, and then smbsign. Every
# step must succeed, smbsign must hold no reference once its consumers are
# gone, its sysfs directory must go away with it, and the kernel log must
# stay clean. e2e_unload_busy.sh tries the wrong order.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

use_share() {
	e2e_policy 1 1 0 || return 1
	e2e_mount_user "$MNT" 3.1.1 || return 1
	e2e_mkdata "$SRC" 4 && e2e_copy "$SRC" "$MNT/data" &&
		e2e_copy "$MNT/data" "$BACK" && e2e_same "$SRC" "$BACK"
}

shutdown_ksmbd() {
	local pid out
	pid=$(e2e_ksmbd_pid) || { echo "ksmbd.mountd is not running"; return 1; }
	out=$(ksmbd.control --shutdown 2>&1) ||
		{ echo "ksmbd.control --shutdown: $out"; return 1; }
	e2e_wait_gone "$pid" 20 ||
		{ echo "ksmbd.mountd ($pid) still runs 20 s after ksmbd.control --shutdown"; return 1; }
}

unload() {
	local name=$1
	mod_loaded "$name" || { echo "$name is not loaded"; return 1; }
	e2e_rmmod "$name" || return 1
	! mod_loaded "$name" || { echo "/sys/module/$name still exists"; return 1; }
}

smbsign_unused() {
	local refcnt
	read -r refcnt </sys/module/smbsign/refcnt ||
		{ echo "cannot read /sys/module/smbsign/refcnt"; return 1; }
	[ "$refcnt" = 0 ] ||
		{ echo "smbsign's refcnt is $refcnt with cifs and ksmbd unloaded"; return 1; }
}

smbsign_gone() {
	[ ! -e "$E2E_SYS" ] || { echo "$E2E_SYS still exists"; return 1; }
	dmesg | grep -q 'smbsign: unloaded' ||
		{ echo "no 'smbsign: unloaded' line in the kernel log"; return 1; }
}

main() {
	e2e_begin
	e2e_step "a signed SMB 3.1.1 mount in use: data intact" use_share || true
	e2e_step "unmount" e2e_umount "$MNT" || true
	e2e_step "ksmbd.control --shutdown stops ksmbd.mountd and the server" shutdown_ksmbd || true
	e2e_step "rmmod cifs" unload cifs || true
	e2e_step "rmmod ksmbd" unload ksmbd || true
	e2e_step "smbsign holds no reference once cifs and ksmbd are gone" smbsign_unused || true
	e2e_step "rmmod smbsign" unload smbsign || true
	e2e_step "smbsign's sysfs directory is gone, unload logged" smbsign_gone || true
	e2e_finish
}

main "$@"
