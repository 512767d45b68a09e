#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Try to unload smbsign in the wrong order: while its consumers hold
# signing contexts. smbsign must refuse (rmmod fails, the module and its
# sysfs stay) and the sessions must keep working afterwards:
#
#   - cifs and ksmbd both hold sessions (cifs mounts ksmbd, signed);
#   - only ksmbd holds one (smbclient keeps a signed session open);
#   - only cifs holds one (cifs mounts Samba's smbd, signed).
#
# When a refusal does not happen the test reloads smbsign so that the next
# case still means something. The right order is e2e_unload_order.sh.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly SMBD_PORT=4445

in_use() {
	local refcnt
	read -r refcnt </sys/module/smbsign/refcnt 2>/dev/null ||
		{ echo "smbsign is not loaded"; return 1; }
	[ "$refcnt" -gt 0 ] ||
		{ echo "smbsign's refcnt is 0 while $1 hold(s) signed sessions"; return 1; }
}

# rmmod smbsign must fail and leave the module as it was.
unload_refused() {
	local out
	if out=$(rmmod smbsign 2>&1); then
		echo "rmmod smbsign succeeded while $1 held signed sessions"
		e2e_insmod "$E2E_SMBSIGN_KO" >/dev/null 2>&1 &&
			e2e_policy 1 1 0 >/dev/null 2>&1 ||
			echo "(and smbsign could not be loaded again)"
		return 1
	fi
	e2e_info "rmmod smbsign said: $out"
	[ -d "$E2E_SYS" ] || { echo "$E2E_SYS is gone after the refused rmmod"; return 1; }
}

cifs_round_trip() {
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/data" && e2e_copy "$MNT/data" "$BACK" &&
		e2e_same "$SRC" "$BACK"
}

mount_ksmbd() {
	e2e_policy 1 1 0 || return 1
	e2e_mount_user "$MNT" 3.1.1 && cifs_round_trip
}

# smbclient with a session to ksmbd that stays open until the FIFO's
# writer goes away.
smbclient_session() {
	local fifo=$E2E_WORK/smbclient.in
	mkfifo "$fifo"
	# The writer holds the FIFO open, so smbclient waits for commands.
	# shellcheck disable=SC2016 # expanded by sh -c
	e2e_bg sh -c 'exec sleep 600 >"$1"' sh "$fifo"
	FIFO_WRITER=$!
	# An asynchronous command's stdin is /dev/null unless redirected in
	# the command itself: hence the sh -c.
	# shellcheck disable=SC2016 # expanded by sh -c
	e2e_bg sh -c 'in=$1; shift; exec "$@" <"$in"' sh "$fifo" \
		smbclient "//$E2E_HOST/share" -U "$E2E_USER%$E2E_PASS" \
		--option='client signing=required' --option='client max protocol=SMB3_11' \
		>"$E2E_WORK/smbclient.out" 2>&1
	SMBCLIENT=$!
	for _ in $(seq 100); do
		ss -Htn state established "dport = :445" | grep -q . && return 0
		kill -0 "$SMBCLIENT" 2>/dev/null || break
		sleep 0.2
	done
	echo "smbclient did not connect:"
	cat "$E2E_WORK/smbclient.out"
	return 1
}

end_smbclient() {
	kill "$FIFO_WRITER" 2>/dev/null || true
	e2e_wait_gone "$SMBCLIENT" 10 || { echo "smbclient did not exit"; return 1; }
}

mount_smbd() {
	e2e_ksmbd_stop || return 1
	e2e_smbd_start "$SMBD_PORT" "server signing = mandatory" || return 1
	e2e_mount_user "$MNT" 3.1.1 "" "$SMBD_PORT" && cifs_round_trip
}

main() {
	e2e_begin
	e2e_mkdata "$SRC" 4

	e2e_step "cifs mounts ksmbd, signed" mount_ksmbd || true
	e2e_step "smbsign is in use while cifs and ksmbd hold sessions" in_use "cifs and ksmbd" || true
	e2e_step "rmmod smbsign refused while cifs and ksmbd hold sessions" \
		unload_refused "cifs and ksmbd" || true
	e2e_step "the mount still works after the refused unload" cifs_round_trip || true
	e2e_step "unmount" e2e_umount "$MNT" || true

	e2e_step "smbclient holds a signed session to ksmbd" smbclient_session || true
	e2e_step "smbsign is in use while ksmbd holds a session" in_use ksmbd || true
	e2e_step "rmmod smbsign refused while ksmbd holds a session" unload_refused ksmbd || true
	e2e_step "smbclient ends its session" end_smbclient || true

	e2e_step "cifs mounts Samba's smbd, signed" mount_smbd || true
	e2e_step "smbsign is in use while cifs holds a session" in_use cifs || true
	e2e_step "rmmod smbsign refused while cifs holds a session" unload_refused cifs || true
	e2e_step "the mount still works after the refused unload" cifs_round_trip || true
	e2e_step "unmount" e2e_umount "$MNT" || true
	e2e_finish
}

main "$@"
