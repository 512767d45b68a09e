#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The wrong order, and no fallback: cifs and ksmbd link against smbsign,
# like against cifs_md4 and cifs_arc4, and sign only through it.
#
#   - While cifs or ksmbd is loaded, rmmod smbsign is refused (the module
#     and its sysfs stay, the consumers are its holders) and signed
#     sessions keep working: first with both loaded and a signed mount in
#     use, then with ksmbd alone, serving a signed smbclient session.
#   - Without smbsign, neither cifs.ko nor ksmbd.ko loads (unknown
#     smbsign symbols): there is no unsigned or built-in fallback. Once
#     smbsign is loaded again, both load.
#
# Every check looks at the state it names (holders, refcnt, a finished
# transfer), never at time. The right order is e2e_unload_order.sh.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

# holders NAME...: exactly these modules hold smbsign, and its refcnt
# counts them.
holders() {
	local want got refcnt
	want=$(printf '%s\n' "$@" | sort | paste -sd ' ')
	got=$(ls /sys/module/smbsign/holders 2>/dev/null | sort | paste -sd ' ') || got=
	read -r refcnt </sys/module/smbsign/refcnt 2>/dev/null ||
		{ echo "smbsign is not loaded"; return 1; }
	[ "$got" = "$want" ] ||
		{ echo "smbsign's holders are '$got', expected '$want'"; return 1; }
	[ "$refcnt" = "$#" ] ||
		{ echo "smbsign's refcnt is $refcnt with $# holder(s)"; return 1; }
}

# rmmod smbsign must fail and leave the module as it was.
unload_refused() {
	local out
	if out=$(rmmod smbsign 2>&1); then
		echo "rmmod smbsign succeeded while $1 was loaded"
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

# A signed SMB 3.1.1 session to ksmbd from Samba's client, one command.
smbclient_signed() {
	local out
	out=$(smbclient "//$E2E_HOST/share" -U "$E2E_USER%$E2E_PASS" \
		--option='client signing=required' \
		--option='client max protocol=SMB3_11' -c 'ls' 2>&1) ||
		{ echo "smbclient failed:"; printf '%s\n' "$out"; return 1; }
}

unload_rest() {
	e2e_ksmbd_stop && e2e_rmmod ksmbd && e2e_rmmod smbsign
}

# load_fails KO: insmod KO fails, naming an smbsign symbol it lacks.
load_fails() {
	local ko=$1 out
	if out=$(insmod "$ko" 2>&1); then
		echo "${ko##*/} loaded without smbsign"
		rmmod "${ko##*/}" 2>/dev/null || true
		return 1
	fi
	dmesg | tail -n 20 | grep -q 'Unknown symbol smbsign_' ||
		{ echo "insmod ${ko##*/}: $out; no 'Unknown symbol smbsign_' in the log:"; dmesg | tail -n 5; return 1; }
}

main() {
	e2e_begin
	e2e_mkdata "$SRC" 4

	e2e_step "cifs mounts ksmbd, signed" mount_ksmbd || true
	e2e_step "cifs and ksmbd hold smbsign" holders cifs ksmbd || true
	e2e_step "rmmod smbsign refused while cifs and ksmbd are loaded" \
		unload_refused "cifs or ksmbd" || true
	e2e_step "the mount still works after the refused unload" cifs_round_trip || true
	e2e_step "unmount" e2e_umount "$MNT" || true
	e2e_step "rmmod cifs" e2e_rmmod cifs || true

	e2e_step "ksmbd alone holds smbsign" holders ksmbd || true
	e2e_step "rmmod smbsign refused while ksmbd is loaded" unload_refused ksmbd || true
	e2e_step "smbclient still gets a signed session from ksmbd" smbclient_signed || true
	e2e_step "stop ksmbd, rmmod ksmbd and smbsign" unload_rest || true

	e2e_mark "loading cifs and ksmbd without smbsign" >/dev/null
	e2e_step "without smbsign, cifs.ko does not load" load_fails "$E2E_CIFS_KO" || true
	e2e_step "without smbsign, ksmbd.ko does not load" load_fails "$E2E_KSMBD_KO" || true
	e2e_step "with smbsign loaded again, both load" e2e_stack_up || true
	e2e_step "cifs and ksmbd hold smbsign again" holders cifs ksmbd || true
	e2e_finish
}

main "$@"
