#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attack: a signed user session downgraded to an unsigned one through the
# guest and anonymous flags. smbsign does not require signing on the client
# (client/require_signing 0), but signing is required elsewhere; cifs
# mounts ksmbd, which serves a real user, through smbmitm.py. The proxy
# hides the client's signing requirement from the server (it clears
# SIGNING_REQUIRED in the SecurityMode of the NEGOTIATE and SESSION_SETUP
# requests, which are not signed), clears SMB2_FLAGS_SIGNED of the final
# SESSION_SETUP response (Status 0), zeroes its signature and sets
# SessionFlags:
#
#   null    IS_NULL (0x0002), the mount asks for signing ("sign");
#   guest   IS_GUEST (0x0001), "sign", client/allow_insecure_guest 1;
#   srvreq  IS_NULL, no "sign", but the server requires signing
#           (server/require_signing 1: SIGNING_REQUIRED in its NEGOTIATE
#           response);
#
# each over SMB 3.1.1, 3.0 and 2.1. A guest or anonymous session has no key
# and cannot sign, so it cannot meet a signing requirement (MS-SMB2
# 3.2.5.3.1: the mount's or the server's). Expected: the mount fails with
# EACCES (mount error(13)), the client counts guest_refused once for each
# rewritten response (the proxy rewrites every final SESSION_SETUP
# response of the case, should cifs try again), uses no session it
# refused (no unsigned TREE_CONNECT or anything after it; a LOGOFF does no
# harm), and no unsigned message is ever accepted: if a mount does
# succeed, the proxy also changes a byte of an (unsigned) READ response,
# and the application must never see it.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4458
readonly HIDE_RULES="req:NEGOTIATE:unrequire:1:any req:SESSION_SETUP:unrequire:1:any,count=2"
readonly READ_RULE=resp:READ:flip-data:1:any

# name vers mount-option server-require allow-guest action
readonly CASES="
null-3.1.1   3.1.1 sign 0 0 as-null
guest-3.1.1  3.1.1 sign 0 1 as-guest
srvreq-3.1.1 3.1.1 -    1 0 as-null
null-3.0     3.0   sign 0 0 as-null
guest-3.0    3.0   sign 0 1 as-guest
srvreq-3.0   3.0   -    1 0 as-null
null-2.1     2.1   sign 0 0 as-null
guest-2.1    2.1   sign 0 1 as-guest
srvreq-2.1   2.1   -    1 0 as-null
"

setup_case() {
	local sreq=$1 guest=$2 action=$3
	e2e_policy 0 "$sreq" "$guest" || return 1
	e2e_stats_reset || return 1
	cp "$SRC" "$E2E_SRV/share/data" && chown "$E2E_USER" "$E2E_SRV/share/data" ||
		return 1
	# shellcheck disable=SC2086 # a list of rules
	e2e_mitm_start "$PROXY_PORT" 445 $HIDE_RULES \
		"resp:SESSION_SETUP:$action:1:any,count=8" "$READ_RULE" || return 1
	e2e_mitm_arm
	e2e_mark "attack $CASE"
}

# The mount must fail with EACCES.
refused() {
	local vers=$1 opt=$2
	[ "$opt" != - ] || opt=
	MOUNTED=
	if e2e_mount_user "$MNT" "$vers" "$opt" "$PROXY_PORT" >/dev/null; then
		MOUNTED=1
		echo "the mount succeeded on the downgraded session; DebugData:"
		e2e_cifs_sessions
		return 1
	fi
	case $E2E_MOUNT_ERR in
	*"mount error(13)"*) e2e_info "$CASE: $E2E_MOUNT_ERR" ;;
	*) echo "the mount failed, but not with EACCES: $E2E_MOUNT_ERR"; return 1 ;;
	esac
}

# The client refused the session once for each rewritten response.
refused_each() {
	local n
	n=$(grep -c '^tampered .*dir=resp .*action=as-' "$E2E_MITM_LOG") || n=0
	[ "$n" -gt 0 ] || { echo "the proxy rewrote no SESSION_SETUP response"; return 1; }
	e2e_expect_counter client guest_refused "$n" "$n"
}

# The client used no session it should have refused: nothing unsigned
# (TREE_CONNECT first) but a LOGOFF.
all_signed() {
	grep '^unsigned ' "$E2E_MITM_LOG" | grep -v 'cmd=LOGOFF$' || return 0
	echo "^ requests the client sent unsigned on the downgraded session"
	return 1
}

# If the mount succeeded, a READ response changed on the wire must not
# reach the application.
no_unsigned_accepted() {
	local out
	if [ -z "$MOUNTED" ]; then
		e2e_info "$CASE: not mounted, nothing to read"
		return 0
	fi
	rm -f "$BACK"
	if out=$(e2e_copy "$MNT/data" "$BACK" 2>&1); then
		e2e_mitm_tampered "dir=resp cmd=READ" >/dev/null ||
			{ echo "the proxy changed no READ response"; return 1; }
		e2e_same "$SRC" "$BACK" || { echo "^ the application read a byte the proxy changed"; return 1; }
	else
		e2e_info "$CASE: the read failed: $out"
		e2e_no_foreign_bytes "$SRC" "$BACK"
	fi
}

one_case() {
	local vers=$2 opt=$3 sreq=$4 guest=$5 action=$6 name
	CASE=$1
	name="$CASE (resp:SESSION_SETUP:$action, SMB $vers, mount option $opt, server require $sreq)"
	if e2e_step "$name: proxy in front of ksmbd, client/require_signing 0" \
		setup_case "$sreq" "$guest" "$action"; then
		e2e_step "$name: the mount fails with EACCES (mount error(13))" \
			refused "$vers" "$opt" || true
		e2e_step "$name: the proxy rewrote the final SESSION_SETUP response" \
			e2e_mitm_tampered "dir=resp cmd=SESSION_SETUP .*action=as-" || true
		e2e_step "$name: the client counted guest_refused once per rewritten response" \
			refused_each || true
		e2e_step "$name: the client sent no unsigned request on the session" \
			all_signed || true
		e2e_step "$name: no unsigned message reached the application" \
			no_unsigned_accepted || true
	fi
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	e2e_begin
	e2e_mkdata "$SRC" 256K
	e2e_each_row one_case "$CASES"
	e2e_finish
}

main "$@"
