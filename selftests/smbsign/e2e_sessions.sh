#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-session visibility: /proc/fs/smbsign/sessions, like smbstatus'
# Signing column or Windows' Get-SmbSession. cifs mounts ksmbd in the
# same VM, so one session shows twice, once per side:
#   - a signed user mount (SMB 3.1.1, client/require_signing 1): both
#     lines name the peer, the same SessionId, 3.1.1, aes-gmac, user,
#     required "yes" and why ("policy" on the client), and count the
#     messages each side signed and verified, none failed;
#   - an SMB 3.0 mount with the "sign" option and no policy requirement:
#     aes-cmac, required because of the mount ("local");
#   - an unsigned guest mount: guest, required "no", why "-";
#   - after umount, the session leaves the table on both sides.
# The table is root-only (mode 0400).
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly SESS='0x[0-9a-f]{16}'

table_mode() {
	local mode
	mode=$(stat -c %a "$E2E_PROC/sessions") || return 1
	[ "$mode" = 400 ] || { echo "mode $mode, expected 400"; return 1; }
	mode=$(stat -c %a "$E2E_PROC/audit") || return 1
	[ "$mode" = 400 ] || { echo "audit: mode $mode, expected 400"; return 1; }
}

header() {
	local h
	read -r h <"$E2E_PROC/sessions" || return 1
	[ "$h" = "side address name session_id dialect algorithm logon required why signed verified failed" ] ||
		{ echo "header: $h"; return 1; }
}

mount_user() { e2e_mount_user "$MNT" "$1" "${2:-}"; }

write_and_read() {
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/data" && e2e_copy "$MNT/data" "$BACK" &&
		e2e_same "$SRC" "$BACK"
}

# line SIDE DIALECT ALG LOGON REQUIRED WHY: the side's line of the one
# session, with the message counts at the end (signed verified failed).
line() {
	local name=-
	[ "$1" = server ] || name=127.0.0.1
	e2e_table_has sessions "^$1 127\\.0\\.0\\.1 $name ($SESS) $2 $3 $4 $5 ($6) [0-9]+ [0-9]+ [0-9]+\$"
}

# counts SIDE MIN: the side's line counts at least MIN signed and MIN
# verified messages, and no failure.
counts() {
	local f
	read -r -a f <<<"$E2E_LINE"
	[ "${#f[@]}" = 12 ] || { echo "not a session line: $E2E_LINE"; return 1; }
	[ "${f[9]}" -ge "$2" ] && [ "${f[10]}" -ge "$2" ] && [ "${f[11]}" = 0 ] && return 0
	echo "$1: signed ${f[9]}, verified ${f[10]}, failed ${f[11]}; expected >= $2, >= $2, 0"
	return 1
}

# One session, one SessionId on both sides.
same_id() {
	local c s
	line client "$@" || return 1
	c=$(cut -d' ' -f4 <<<"$E2E_LINE")
	line server "$@" || return 1
	s=$(cut -d' ' -f4 <<<"$E2E_LINE")
	[ "$c" = "$s" ] || { echo "client SessionId $c, server $s"; return 1; }
}

gone() {
	e2e_wait_for 30 e2e_table_lacks sessions "^(client|server) 127\\.0\\.0\\.1 "
}

unmount() { e2e_umount "$MNT"; }

main() {
	e2e_begin
	e2e_mkdata "$SRC" 1
	e2e_step "sessions and audit are root-only" table_mode || true
	e2e_step "sessions starts with its header" header || true

	e2e_step "policy: client requires signing" e2e_policy 1 0 || e2e_finish
	e2e_step "signed SMB 3.1.1 user mount" mount_user 3.1.1 || e2e_finish
	e2e_step "data written and read back" write_and_read || true
	# The policy makes the mount sign as "sign" does: "local" too.
	e2e_step "client line: 3.1.1 aes-gmac user, required by policy" \
		line client 3.1.1 aes-gmac user yes 'policy(,local)?' || true
	e2e_step "client line counts the signed data, no failure" counts client 10 || true
	e2e_step "server line: 3.1.1 aes-gmac user, required by the client" \
		line server 3.1.1 aes-gmac user yes peer || true
	e2e_step "server line counts the signed data, no failure" counts server 10 || true
	e2e_step "both lines carry one SessionId" \
		same_id 3.1.1 aes-gmac user yes '[a-z,]+' || true
	e2e_step "unmount" unmount || true
	e2e_step "the session leaves the table on both sides" gone || true

	e2e_step "policy: nothing required" e2e_policy 0 0 || e2e_finish
	e2e_step "SMB 3.0 mount with the sign option" mount_user 3.0 sign || e2e_finish
	e2e_step "client line: 3.0 aes-cmac, required by the mount" \
		line client 3.0 aes-cmac user yes local || true
	e2e_step "unmount" unmount || true
	e2e_step "the session leaves the table" gone || true

	e2e_step "policy: guests allowed" e2e_policy 0 0 1 || e2e_finish
	e2e_step "guest mount" e2e_mount guest "$MNT" "guest,vers=3.1.1,cache=none" || e2e_finish
	e2e_step "client line: a guest, not required, no reason" \
		line client 3.1.1 aes-gmac guest no - || true
	e2e_step "server line: a guest, not required" \
		line server 3.1.1 aes-gmac guest no - || true
	e2e_step "unmount" unmount || true
	e2e_step "the session leaves the table" gone || true
	e2e_finish
}

main "$@"
