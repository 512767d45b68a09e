#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A malformed-traffic storm against ksmbd with smbsign, signing required:
# smbstorm.py sends SMBSIGN_STORM_PDUS mutated PDUs (default 2000; make
# storm sends 100000 on the debug kernel), three tenths on connections
# with no session, the rest on three signed sessions of its own (SMB 2.1,
# HMAC-SHA256; SMB 3.0, AES-CMAC; SMB 3.1.1, AES-GMAC), seeded by
# SMBSIGN_STORM_SEED (default 1). The storm itself fails on a hung server
# (no reply and no close within SMBSIGN_STORM_TIMEOUT seconds, default
# 120), on a message changed after signing that is accepted, on a flipped
# or missing signature not refused with STATUS_ACCESS_DENIED, on a
# replayed MessageId answered, on a wrongly signed response. Then:
#   - the storm with no session changed none of smbsign's refusal
#     counters (verify_failed, unsigned_rejected, guest_refused): nothing
#     it sent reached a session;
#   - over the signed storm, summed over the algorithms,
#       verify_failed     >= the flipped signatures refused,
#       unsigned_rejected >= the unsigned messages refused,
#       verify_failed + unsigned_rejected <= the STATUS_ACCESS_DENIED
#         responses + the requests the server never answered (it closed
#         the connection first):
#     every signature refusal the storm saw was counted, and smbsign
#     counted no refusal the server did not make; and verify_failed grew
#     for each algorithm (each session's was stormed);
#   - ksmbd still serves: a cifs mount (SMB 3.1.1, signing required)
#     copies a file there and back, byte for byte, on a signed session;
#   - no task hung, and the kernel log is clean (e2e_finish; make storm
#     also checks the whole console with tools/testing/vm/kernel-log).
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

# impacket (the NTLM messages) is installed for Debian's own python3.
readonly PY=/usr/bin/python3
readonly STORM=$E2E_HERE/smbstorm.py
readonly PROTO=$SMBSIGN_TOP/include/linux/smbsign_proto.h
readonly PDUS=${SMBSIGN_STORM_PDUS:-2000}
readonly SEED=${SMBSIGN_STORM_SEED:-1}
readonly WAIT=${SMBSIGN_STORM_TIMEOUT:-120}
readonly REFUSALS="verify_failed unsigned_rejected guest_refused"

declare -A BEFORE AFTER RESULT

# snapshot ARRAY: the refusal counters of the server, summed over the
# algorithms, into ARRAY; and each algorithm's verify_failed (ALG key).
snapshot() {
	local c alg
	for c in $REFUSALS; do
		e2e_stat_sum server "$c" || return 1
		printf -v "$1[$c]" '%s' "$E2E_V"
	done
	for alg in $E2E_ALGS; do
		e2e_stat server "$alg" verify_failed || return 1
		printf -v "$1[$alg]" '%s' "$E2E_V"
	done
}

# storm PHASE N: run smbstorm.py; its summary is shown as diagnostics and
# its storm-result totals kept in RESULT.
storm() {
	local phase=$1 n=$2 out=$E2E_WORK/storm.$1.out rc=0 kv kvs=()
	SMBSIGN_E2E_HOST=$E2E_HOST SMBSIGN_E2E_USER=$E2E_USER \
		SMBSIGN_E2E_PASS=$E2E_PASS "$PY" -B "$STORM" --proto "$PROTO" \
		--phase "$phase" --pdus "$n" --seed "$SEED" --timeout "$WAIT" \
		>"$out" 2>&1 || rc=$?
	grep -E '^(storm|class|[a-z]+ +[0-9])' "$out" | while read -r l; do e2e_info "$l"; done
	RESULT=()
	read -r -a kvs < <(sed -n 's/^storm-result //p' "$out")
	for kv in "${kvs[@]}"; do
		RESULT[${kv%%=*}]=${kv#*=}
	done
	[ "$rc" = 0 ] || { tail -n 30 "$out"; return 1; }
	[ "${RESULT[frames]:-0}" -ge "$n" ] ||
		{ echo "the storm sent ${RESULT[frames]:-0} of $n PDUs"; return 1; }
}

unauth_storm() {
	AFTER=()
	snapshot BEFORE && storm unauth "$1" && snapshot AFTER
}

# No refusal counter moved.
unauth_uncounted() {
	local c bad=0
	[ -n "${AFTER[verify_failed]:-}" ] ||
		{ echo "the storm with no session did not finish: no counters to compare"; return 1; }
	for c in $REFUSALS; do
		[ "${AFTER[$c]}" = "${BEFORE[$c]}" ] ||
			{ echo "server/*/$c went from ${BEFORE[$c]} to ${AFTER[$c]}"; bad=1; }
	done
	[ "$bad" = 0 ] || { e2e_stats_show server; return 1; }
}

signed_storm() {
	AFTER=()
	snapshot BEFORE && storm signed "$1" && snapshot AFTER
}

# The relations of the header comment, for the signed storm.
signed_counted() {
	if [ -z "${RESULT[denied]:-}" ] || [ -z "${AFTER[verify_failed]:-}" ]; then
		echo "the signed storm did not finish: no totals to check"
		return 1
	fi
	local vf=$((AFTER[verify_failed] - BEFORE[verify_failed]))
	local ur=$((AFTER[unsigned_rejected] - BEFORE[unsigned_rejected]))
	local flips=${RESULT[denied_sigflip]} unsigned=${RESULT[denied_unsigned]}
	local most=$((RESULT[denied] + RESULT[unanswered])) bad=0 alg
	e2e_info "verify_failed +$vf (flipped signatures refused: $flips)," \
		"unsigned_rejected +$ur (unsigned messages refused: $unsigned)," \
		"at most $most (${RESULT[denied]} STATUS_ACCESS_DENIED," \
		"${RESULT[unanswered]} never answered)"
	if [ "$flips" -eq 0 ] || [ "$unsigned" -eq 0 ]; then
		echo "the storm had no refused signature flip or unsigned message to count"
		bad=1
	fi
	[ "$vf" -ge "$flips" ] ||
		{ echo "verify_failed grew by $vf, but $flips flipped signatures were refused"; bad=1; }
	[ "$ur" -ge "$unsigned" ] ||
		{ echo "unsigned_rejected grew by $ur, but $unsigned unsigned messages were refused"; bad=1; }
	[ $((vf + ur)) -le "$most" ] ||
		{ echo "verify_failed + unsigned_rejected grew by $((vf + ur)), more than the $most refusals the server could have made"; bad=1; }
	for alg in $E2E_ALGS; do
		[ "${AFTER[$alg]}" -gt "${BEFORE[$alg]}" ] ||
			{ echo "server/$alg/verify_failed did not grow: no $alg session was stormed"; bad=1; }
	done
	[ "$bad" = 0 ] || { e2e_stats_show server; return 1; }
}

ksmbd_alive() {
	e2e_ksmbd_pid >/dev/null || { echo "ksmbd.mountd is gone"; return 1; }
	ss -Htln "sport = :445" | grep -q . || { echo "nothing listens on port 445"; return 1; }
}

mount_copy() {
	e2e_mount_user "$MNT" 3.1.1 || return 1
	e2e_expect_session 0x311 signed || return 1
	e2e_mkdata "$SRC" 1
	e2e_copy "$SRC" "$MNT/after-storm" || return 1
	e2e_drop_caches
	e2e_copy "$MNT/after-storm" "$BACK" || return 1
	e2e_same "$SRC" "$BACK" || return 1
	e2e_same "$SRC" "$E2E_SRV/share/after-storm" || return 1
	e2e_umount "$MNT"
}

no_hung_task() {
	local hung
	hung=$(e2e_log_since "$E2E_START_MARK" | grep -E 'blocked for more than|hung_task') || return 0
	echo "$hung"
	return 1
}

main() {
	local out unauth signed
	[ "$(id -u)" = 0 ] || e2e_skip_all "must run as root"
	out=$("$PY" -c 'import impacket, Cryptodome' 2>&1) ||
		e2e_skip_all "python3-impacket or python3-pycryptodome is not installed: ${out##*$'\n'}"
	case $PDUS in '' | *[!0-9]*) e2e_skip_all "SMBSIGN_STORM_PDUS='$PDUS' is not a number" ;; esac
	[ -r "$PROTO" ] || e2e_skip_all "no $PROTO (SMBSIGN_TOP=$SMBSIGN_TOP)"
	unauth=$((PDUS * 3 / 10))
	signed=$((PDUS - unauth))
	e2e_begin --no-ksmbd
	# Before ksmbd starts, so that its NEGOTIATE responses require signing.
	e2e_step "smbsign: signing required on both sides, all algorithms" \
		e2e_policy 1 1 0 "aes-gmac aes-cmac hmac-sha256" || true
	e2e_step "ksmbd.mountd serves the share" e2e_ksmbd_start || e2e_finish
	e2e_step "storm: $unauth mutated PDUs on connections with no session, the signed sessions unharmed" \
		unauth_storm "$unauth" || true
	e2e_step "storm with no session: no refusal counter of smbsign moved" \
		unauth_uncounted || true
	e2e_step "storm: $signed mutated PDUs on signed SMB 2.1, 3.0 and 3.1.1 sessions, none accepted that must not be" \
		signed_storm "$signed" || true
	e2e_step "signed storm: every refused signature counted, no refusal counted that was not made, each algorithm refused some" \
		signed_counted || true
	e2e_step "ksmbd.mountd and ksmbd still serve port 445" ksmbd_alive || true
	e2e_step "cifs (SMB 3.1.1, signed) copies 1 MiB there and back after the storm" \
		mount_copy || true
	e2e_step "no hung task" no_hung_task || true
	e2e_finish
}

main "$@"
