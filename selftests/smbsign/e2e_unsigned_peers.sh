#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Exceptions for legacy peers instead of a global switch: with signing
# required on both sides and guests blocked, client/unsigned_peers and
# server/unsigned_peers let the listed peers, and only those, run
# unsigned and as guests; and the audit inventory tells the peers that
# would break apart from those that merely did not sign.
#
# cifs mounts ksmbd at 127.0.0.1 under a server name of the test's choice
# (mount's ip= option: no name is resolved), so the client's list can
# name a server, and the server's list holds the client's address.
#   - "oldnas" listed on the client, 127.0.0.1 on the server: a guest mount
#     of //oldnas succeeds unsigned; both sides count peer_exempted and log
#     the exception with the peer; both session lines say "exempt"; the
#     audit inventory counts a guest session and an exemption per side.
#   - //newnas (not listed) as a guest: refused by the client, 0xc05d0003.
#   - //oldnas as a user: unsigned (no side requires it of this peer); with
#     the "sign" option it signs: the list never waives the mount.
#   - the server's list naming another address: the guest is refused by
#     the server (STATUS_ACCESS_DENIED), though the client would allow it.
#   - an audit of a user session that did not sign counts it as unsigned,
#     not as a guest; stats/reset empties the inventory.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly OPTS="vers=3.1.1,cache=none"

lists() {
	e2e_knob client/unsigned_peers "$1" && e2e_knob server/unsigned_peers "$2"
}

mount_guest() {
	e2e_mount guest "$MNT" "guest,$OPTS" 445 "$1" && return 0
	echo "mount //$1/guest failed: $E2E_MOUNT_ERR"
	return 1
}

mount_user() {
	e2e_mount share "$MNT" "username=$E2E_USER,password=$E2E_PASS,$OPTS${2:+,$2}" 445 "$1" &&
		return 0
	echo "mount //$1/share failed: $E2E_MOUNT_ERR"
	return 1
}

refused_guest() {
	if e2e_mount guest "$MNT" "guest,$OPTS" 445 "$1"; then
		echo "the guest mount of //$1 succeeded"
		e2e_umount "$MNT"
		return 1
	fi
	e2e_info "//$1 as a guest: $E2E_MOUNT_ERR"
}

write_and_read() {
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/data" && e2e_copy "$MNT/data" "$BACK" &&
		e2e_same "$SRC" "$BACK"
}

unmount() {
	grep -q " $MNT cifs " /proc/mounts || return 0
	e2e_umount "$MNT" && e2e_wait_for 30 e2e_table_lacks sessions "^(client|server) "
}

session_is() {
	local name=-
	[ "$1" = server ] || name=$2
	e2e_table_has sessions "^$1 127\\.0\\.0\\.1 $name 0x[0-9a-f]+ 3\\.1\\.1 [a-z0-9-]+ $3 $4 $5 "
}

# audit_is SIDE NAME UNSIGNED GUEST ANONYMOUS EXEMPTED
audit_is() {
	local name=-
	[ "$1" = server ] || name=$2
	e2e_table_has audit "^$1 127\\.0\\.0\\.1 $name $3 $4 $5 $6 [0-9]+\$"
}

main() {
	e2e_begin
	e2e_mkdata "$SRC" 256K
	e2e_step "policy: both sides require signing, guests blocked" e2e_policy 1 1 0 || e2e_finish
	e2e_step "a bad list is refused and changes nothing" e2e_bad_list || true

	e2e_step "lists: client oldnas, server 127.0.0.1" lists oldnas 127.0.0.1 || e2e_finish
	e2e_step "counters and inventory reset" e2e_stats_reset || true
	e2e_mark "listed guest" >/dev/null
	e2e_step "//oldnas as a guest connects" mount_guest oldnas || true
	e2e_step "data written and read back" write_and_read || true
	e2e_step "both sides counted the exception" \
		eval 'e2e_expect_counter client peer_exempted 1 1 && e2e_expect_counter server peer_exempted 1 1' || true
	e2e_step "the client logged the exception with the server's name" \
		e2e_log_expect smbsign 'server oldnas \(127\.0\.0\.1\) allowed a guest session by client/unsigned_peers' || true
	e2e_step "the server logged the exception with the client's address" \
		e2e_log_expect smbsign 'client 127\.0\.0\.1 allowed a guest session by server/unsigned_peers' || true
	e2e_step "client session line: guest, not required, exempt" \
		session_is client oldnas guest no exempt || true
	e2e_step "server session line: guest, not required, exempt" \
		session_is server - guest no exempt || true
	e2e_step "unmount" unmount || true
	e2e_step "audit: the client's guest session with oldnas, exempted" \
		audit_is client oldnas 0 1 0 1 || true
	e2e_step "audit: the server's guest session from 127.0.0.1, exempted" \
		audit_is server - 0 1 0 1 || true

	e2e_step "//newnas (not listed) as a guest is refused" refused_guest newnas || true
	e2e_step "the client refused it: guest_refused, 0xc05d0003" \
		eval 'e2e_expect_counter client guest_refused 1 && e2e_log_expect smbsign "\\(0xc05d0003\\)"' || true
	e2e_step "audit: newnas counts no exemption" e2e_table_lacks audit '^client [^ ]+ newnas .* [1-9][0-9]* [0-9]+$' || true

	e2e_step "//oldnas as a user connects" mount_user oldnas || true
	e2e_step "client session line: user, not required, exempt" \
		session_is client oldnas user no exempt || true
	e2e_step "data written and read back" write_and_read || true
	e2e_step "unmount" unmount || true
	e2e_step "//oldnas as a user with the sign option connects" mount_user oldnas sign || true
	e2e_step "client session line: signed, required by the mount" \
		session_is client oldnas user yes 'local[a-z,]*' || true
	e2e_step "unmount" unmount || true

	e2e_step "lists: client oldnas, server 127.0.0.2 only" lists oldnas 127.0.0.2 || e2e_finish
	e2e_step "counters reset" e2e_stats_reset || true
	e2e_step "//oldnas as a guest is refused by the server" refused_guest oldnas || true
	# The server refuses the session setup before the client decides.
	e2e_step "the server refused it (guest_refused), the client did not" \
		eval 'e2e_expect_counter server guest_refused 1 && e2e_expect_counter client guest_refused 0 0' || true

	e2e_step "policy: nothing required; lists empty" \
		eval 'e2e_policy 0 0 0 && lists "" ""' || true
	e2e_step "counters and inventory reset" e2e_stats_reset || true
	e2e_step "a user mount that does not sign" mount_user 127.0.0.1 || true
	e2e_step "data written and read back" write_and_read || true
	e2e_step "unmount" unmount || true
	e2e_step "audit: the server's user session did not sign (nothing breaks)" \
		audit_is server - 1 0 0 0 || true
	e2e_step "stats/reset empties the inventory" eval 'e2e_stats_reset && e2e_table_lacks audit "^(client|server) "' || true
	e2e_finish
}

# A list with a mistake in it never half applies.
e2e_bad_list() {
	local before after
	e2e_knob server/unsigned_peers 192.0.2.0/24 || return 1
	before=$(cat "$E2E_SYS/server/unsigned_peers")
	for bad in nas1 192.0.2.1/24 "192.0.2.9 010.0.0.1" 192.0.2.256; do
		if printf '%s\n' "$bad" >"$E2E_SYS/server/unsigned_peers" 2>/dev/null; then
			echo "'$bad' was accepted"
			return 1
		fi
	done
	after=$(cat "$E2E_SYS/server/unsigned_peers")
	[ "$before" = "$after" ] || { echo "the list changed: '$before' -> '$after'"; return 1; }
	[ "$after" = 192.0.2.0/24 ] || { echo "the list reads '$after'"; return 1; }
}

main "$@"
