#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attack: MessageId reuse and replay on an AES-GMAC session. cifs mounts
# ksmbd through smbmitm.py (SMB 3.1.1, AES-GMAC first in the algorithms
# knob, signing required on both sides). The AES-GMAC nonce of a message
# is its MessageId and two role bits (MS-SMB2 3.1.4.1): two different
# signed responses with one MessageId give away the GHASH key, after
# which anything can be signed. The proxy, holding no key,
#
#   replay        sends a captured signed WRITE again, as it was, after its
#                 response came back and the file was changed since (the
#                 replay would write the old bytes back);
#   replay-tree   the same with one byte of TreeId changed;
#   replay-pid    the same with one byte of the Reserved (ProcessId)
#                 field changed (both: the signature no longer verifies);
#   dup           sends a signed READ and a copy of it back to back;
#   far-mid       sends a captured WRITE with MessageId + 2**32, far
#                 outside the window the server granted;
#   over-credit   sends it with the next MessageId and a CreditCharge one
#                 more than the credits the server granted.
#
# MS-SMB2 3.3.5.2.3: a MessageId already used or outside the granted
# window, or a CreditCharge beyond the credits granted, must end the
# connection. Expected: ksmbd closes the TCP connection on receiving the
# request, before it verifies, processes or signs it (no response at all
# to it); a ksmbd log line names the MessageId and says it disconnects; no
# two signed responses on a connection share a nonce (the proxy checks
# every one); the replayed WRITE is not applied again; a changed request
# is not verified (server verify_failed stays 0); afterwards the mount
# works again (cifs reconnects) and the data is intact. The proxy never
# forwards the responses to what it injected.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4456
readonly GMAC_FIRST="aes-gmac aes-cmac hmac-sha256"
readonly MIB=1

# name action(WRITE rules capture; dup acts on a READ) request
readonly CASES="
replay       replay      WRITE
replay-tree  replay-tree WRITE
replay-pid   replay-pid  WRITE
dup          dup         READ
far-mid      far-mid     WRITE
over-credit  over-credit WRITE
"

# A signed GMAC mount through the proxy, acting on REQ with ACTION.
setup_case() {
	local action=$1 req=$2
	e2e_policy 1 1 0 "$GMAC_FIRST" || return 1
	e2e_stats_reset || return 1
	e2e_mitm_mount "$PROXY_PORT" 3.1.1 "" "req:$req:$action" || return 1
	e2e_expect_session 0x311 signed aes-gmac || return 1
	cp "$OLD" "$SRV_FILE" && chown "$E2E_USER" "$SRV_FILE"
}

# The file stays open (FD), so that its FileId is still valid when the
# request is replayed: the proxy captures the first signed WRITE (OLD),
# which is answered; then the file changes (NEW) through the same open.
write_then_change() {
	exec {FD}<>"$MNT/f"
	e2e_mitm_arm
	e2e_pwrite "$FD" "$OLD" || return 1
	e2e_mitm_wait '^captured ' || return 1
	e2e_pwrite "$FD" "$NEW" || return 1
	e2e_same "$NEW" "$SRV_FILE"
}

close_file() {
	[ -z "$FD" ] || exec {FD}>&-
	FD=
}

# Inject what was captured; wait for the proxy to say what became of it.
inject() {
	local line
	e2e_mark "attack $CASE: inject"
	e2e_mitm_ctl inject || return 1
	line=$(e2e_mitm_wait '^(injected|inject-failed) ') || return 1
	e2e_info "$CASE: $line"
	[[ $line == injected\ * ]] || return 1
	e2e_mitm_wait '^answer .*what=injected' >/dev/null
}

# The proxy sends the READ and a copy of it at once; the read may succeed
# or, after a reconnect, be retried.
read_dup() {
	e2e_mark "attack $CASE: duplicate"
	e2e_mitm_arm
	rm -f "$BACK"
	if e2e_copy "$MNT/f" "$BACK"; then
		e2e_same "$OLD" "$BACK" || return 1
	else
		e2e_info "$CASE: the read failed"
	fi
	e2e_mitm_wait '^injected ' && e2e_mitm_wait '^answer .*what=injected' >/dev/null
}

# ksmbd closed the connection and sent nothing for the injected request.
disconnected_unanswered() {
	local line
	line=$(grep '^answer .*what=injected' "$E2E_MITM_LOG") ||
		{ echo "the proxy saw neither an answer nor the end of the connection"; return 1; }
	printf '%s\n' "$line"
	case $line in
	*result=disconnected*statuses=-\ *|*result=disconnected*statuses=-) return 0 ;;
	*result=disconnected*) echo "^ the injected request was answered before the connection ended" ;;
	*) echo "^ ksmbd answered the injected request and kept the connection" ;;
	esac
	return 1
}

msgid_logged() {
	e2e_log_expect 'MessageId' 'disconnect'
}

# A changed request was not verified (ksmbd disconnected first).
not_verified() {
	e2e_expect_counter server verify_failed 0 0
}

# The replay did not write OLD back over NEW.
not_applied_twice() {
	e2e_same "$NEW" "$SRV_FILE" && return 0
	e2e_same "$OLD" "$SRV_FILE" >/dev/null &&
		echo "the server's file holds the replayed bytes again: the WRITE was applied twice"
	return 1
}

# The mount works (cifs reconnected): new data round trips, and the file
# holds what it should.
mount_works() {
	local want=$1
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/after" && e2e_copy "$MNT/after" "$BACK" &&
		e2e_same "$SRC" "$BACK" || return 1
	e2e_copy "$MNT/f" "$BACK" && e2e_same "$want" "$BACK"
}

one_case() {
	local action=$2 req=$3 name want=$OLD
	CASE=$1
	name="$CASE (req:$req:$action)"
	if ! e2e_step "$name: AES-GMAC mount through the proxy, signing required" \
		setup_case "$action" "$req"; then
		e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
		return 0
	fi
	if [ "$req" = WRITE ]; then
		want=$NEW
		e2e_step "$name: a signed WRITE captured and answered, the file changed since" \
			write_then_change || true
		e2e_step "$name: the proxy injected the request" inject || true
	else
		e2e_step "$name: the proxy sent a signed READ twice, one MessageId" \
			read_dup || true
	fi
	e2e_step "$name: ksmbd ended the connection, no response to the injected request" \
		disconnected_unanswered || true
	e2e_step "$name: a ksmbd log line names the MessageId and the disconnect" \
		msgid_logged || true
	case $action in
	replay-*|far-mid|over-credit)
		e2e_step "$name: ksmbd did not verify the changed request (verify_failed 0)" \
			not_verified || true ;;
	esac
	[ "$action" != replay ] ||
		e2e_step "$name: the replayed WRITE was not applied again" \
			not_applied_twice || true
	e2e_step "$name: no two signed responses share an AES-GMAC nonce" \
		e2e_mitm_nonces_unique || true
	e2e_step "$name: the mount works again, data intact" mount_works "$want" || true
	close_file
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	e2e_begin
	SRV_FILE=$E2E_SRV/share/f
	OLD=$E2E_WORK/old NEW=$E2E_WORK/new FD=
	e2e_mkdata "$SRC" "$MIB"
	e2e_mkdata "$OLD" 64K
	e2e_mkdata "$NEW" 64K
	e2e_each_row one_case "$CASES"
	e2e_finish
}

main "$@"
