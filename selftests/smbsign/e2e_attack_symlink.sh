#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attack: a forged symlink in a response whose signature fails. cifs
# mounts ksmbd through smbmitm.py (SMB 3.1.1, AES-GMAC, signing required
# on both sides). When the application reads "victim", the proxy rewrites
# the CREATE response for it to STATUS_STOPPED_ON_SYMLINK with a Symbolic
# Link Error Response (MS-SMB2 2.2.2.2.1, in an error context, 2.2.2.1)
# whose target is "secret", another file of the share; the signature no
# longer verifies:
#
#   compound  the CREATE response of the compound (CREATE + QUERY_INFO +
#             CLOSE) with which cifs looks the file up;
#   open      the CREATE responses of the open itself, the first one and
#             the one cifs retries with after the failure (count=2).
#
# A response whose signature does not verify is discarded, whatever its
# Status says (MS-SMB2 3.2.5.1.3). Expected: the client refuses each
# forged response (verify_failed counts each once, STATUS_INVALID_SIGNATURE
# in the log) and nothing of it reaches the caller: the application gets
# an error or, after a reconnect and a retry, the victim's bytes, never the
# secret's; and cifs sends no CREATE for "secret" and none with
# FILE_OPEN_REPARSE_POINT (0x00200000) as a consequence. Afterwards the
# mount reads the victim intact.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4457
readonly GMAC_FIRST="aes-gmac aes-cmac hmac-sha256"
readonly OPEN_REPARSE_POINT=0x00200000
readonly BADSIG='STATUS_INVALID_SIGNATURE \(0xc000a000\)'

# name rule
readonly CASES="
compound resp:CREATE:symlink:1:compound,name=victim,target=secret
open     resp:CREATE:symlink:1:single,name=victim,target=secret,count=2
"

setup_case() {
	local rule=$1 f
	e2e_policy 1 1 0 "$GMAC_FIRST" || return 1
	e2e_stats_reset || return 1
	for f in victim secret; do
		cp "$E2E_WORK/$f" "$E2E_SRV/share/$f" &&
			chown "$E2E_USER" "$E2E_SRV/share/$f" || return 1
	done
	e2e_mitm_mount "$PROXY_PORT" 3.1.1 "" "$rule" || return 1
	e2e_mark "attack $CASE"
}

# The application reads the victim while the proxy forges; it may fail.
read_victim() {
	e2e_mitm_arm
	rm -f "$BACK"
	if cat "$MNT/victim" >"$BACK" 2>"$E2E_WORK/cat.err"; then
		READ_RC=0
	else
		READ_RC=$?
		e2e_info "$CASE: reading the victim failed: $(cat "$E2E_WORK/cat.err")"
	fi
	e2e_mitm_tampered "cmd=CREATE .*action=symlink"
}

forged_count() {
	grep -c '^tampered .*action=symlink' "$E2E_MITM_LOG" || true
}

# Each forged response was refused and counted once.
each_refused() {
	local n
	n=$(forged_count)
	[ "$n" -gt 0 ] || { echo "nothing was forged"; return 1; }
	e2e_expect_counter client verify_failed "$n" "$n"
}

# The application got the victim's bytes, a part of them with an error,
# or nothing; never the secret's.
never_secret() {
	local n
	n=$(stat -c %s "$BACK") || return 1
	if [ "$n" -gt 0 ] && cmp -s -n "$n" "$BACK" "$E2E_WORK/secret"; then
		echo "the application read the secret file's bytes through the forged symlink"
		return 1
	fi
	cmp -s "$BACK" "$E2E_WORK/victim" && return 0
	if [ "$READ_RC" != 0 ] &&
		{ [ "$n" -eq 0 ] || cmp -s -n "$n" "$BACK" "$E2E_WORK/victim"; }; then
		return 0
	fi
	echo "the application read $n bytes that are not the victim's (exit status $READ_RC)"
	return 1
}

# No CREATE after the first forgery names the target or asks for the
# reparse point itself.
not_followed() {
	local line opts bad=0
	while read -r line; do
		opts=$(e2e_mitm_field "$line" options) || continue
		if [ "$(e2e_mitm_field "$line" name)" = secret ]; then
			echo "a CREATE for the symlink target: $line"
			bad=1
		elif [ $((opts & OPEN_REPARSE_POINT)) -ne 0 ]; then
			echo "a CREATE with FILE_OPEN_REPARSE_POINT: $line"
			bad=1
		fi
	done < <(sed -n '/^tampered /,$p' "$E2E_MITM_LOG" | grep '^create ')
	return "$bad"
}

victim_intact() {
	rm -f "$BACK"
	cat "$MNT/victim" >"$BACK" && e2e_same "$E2E_WORK/victim" "$BACK"
}

one_case() {
	local rule=$2 name
	CASE=$1
	name="$CASE ($rule)"
	if e2e_step "$name: AES-GMAC mount through the proxy, signing required" \
		setup_case "$rule"; then
		e2e_step "$name: the proxy forged the CREATE response(s) for victim" \
			read_victim || true
		e2e_step "$name: the client refused each forged response, verify_failed counts each once" \
			each_refused || true
		e2e_step "$name: a log line names STATUS_INVALID_SIGNATURE" \
			e2e_log_expect 'smbsign' "$BADSIG" || true
		e2e_step "$name: the application never read the secret file's bytes" \
			never_secret || true
		e2e_step "$name: no CREATE for the target, none with FILE_OPEN_REPARSE_POINT" \
			not_followed || true
		e2e_step "$name: the mount reads the victim intact afterwards" \
			victim_intact || true
	fi
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	e2e_begin
	e2e_mkdata "$E2E_WORK/victim" 64K
	e2e_mkdata "$E2E_WORK/secret" 64K
	e2e_each_row one_case "$CASES"
	e2e_finish
}

main "$@"
