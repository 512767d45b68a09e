#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The signing policy matrix of Windows' RequireSecuritySignature, end to
# end: cifs mounts ksmbd (SMB 3.1.1) as a real user or as a guest, for
# every combination of /sys/kernel/smbsign/client/require_signing and
# server/require_signing, plus a guest with insecure guest logons
# disallowed (client/allow_insecure_guest 0). Each combination must
#
#   - connect signed: DebugData shows a signed session, the data written
#     and read back is intact, both sides signed and verified (AES-GMAC,
#     the default first choice) and nothing failed; or
#   - connect unsigned: same data check, the data not signed on either
#     side (a user session still signs the few messages MS-SMB2 always
#     signs; a guest session nothing); or
#   - be refused: the mount fails, the refusing side counts guest_refused
#     (the other side does not) and logs one line naming the NTSTATUS and
#     "smbsignctl explain": the server STATUS_ACCESS_DENIED, the client
#     0xc05d0003 (guest while signing is required, Windows' "System error
#     3227320323") or 0xc05d0002 (insecure guest logons blocked).
#
# A user session needs no allow_insecure_guest; the guest rows set it to 1
# except the last one.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly MIB=1
readonly UNSIGNED_MAX=$((64 << 10))
# logon client-require server-require allow-guest outcome [side status-hex]
readonly ROWS="
user  0 0 0 unsigned
user  1 0 0 signed
user  0 1 0 signed
user  1 1 0 signed
guest 0 0 1 unsigned
guest 1 0 1 refused client 0xc05d0003
guest 0 1 1 refused server 0xc0000022
guest 1 1 1 refused either 0xc05d0003|0xc0000022
guest 0 0 0 refused client 0xc05d0002
"

try_mount() {
	local logon=$1
	if [ "$logon" = user ]; then
		e2e_mount share "$MNT" "username=$E2E_USER,password=$E2E_PASS,vers=3.1.1,cache=none"
	else
		e2e_mount guest "$MNT" "guest,vers=3.1.1,cache=none"
	fi
}

setup_row() {
	e2e_policy "$1" "$2" "$3" || return 1
	e2e_stats_reset || return 1
	e2e_mark "policy row $ROW"
}

connects() {
	try_mount "$1" && return 0
	echo "the mount was refused: $E2E_MOUNT_ERR"
	e2e_log_since | grep -E 'smbsign|CIFS|ksmbd' | tail -n 5
	return 1
}

data_round_trip() {
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/data" && e2e_copy "$MNT/data" "$BACK" &&
		e2e_same "$SRC" "$BACK"
}

# Both sides signed and verified the data (written and read back) with
# AES-GMAC, and nothing else.
both_sides_signed() {
	local rc=0
	e2e_expect_alg_only client aes-gmac $((MIB << 20)) || rc=1
	e2e_expect_alg_only server aes-gmac $((MIB << 20)) || rc=1
	return "$rc"
}

# The data was not signed: a guest session signs nothing at all, a user
# session only the few messages MS-SMB2 always signs (well under UNSIGNED_MAX
# bytes).
both_sides_unsigned() {
	local max=0 rc=0
	[ "$1" = guest ] || max=$UNSIGNED_MAX
	e2e_expect_unsigned client "$max" || rc=1
	e2e_expect_unsigned server "$max" || rc=1
	return "$rc"
}

refused() {
	if try_mount "$1"; then
		echo "the mount succeeded; DebugData:"
		e2e_cifs_sessions
		return 1
	fi
	e2e_info "$ROW: mount.cifs said: $E2E_MOUNT_ERR"
}

# guest_refused_by SIDE: SIDE counted the refusal, the other side did not
# (either: at least one side did).
guest_refused_by() {
	case $1 in
	client) e2e_expect_counter client guest_refused 1 &&
		e2e_expect_counter server guest_refused 0 0 ;;
	server) e2e_expect_counter server guest_refused 1 &&
		e2e_expect_counter client guest_refused 0 0 ;;
	either) local c s
		e2e_stat_sum client guest_refused || return 1; c=$E2E_V
		e2e_stat_sum server guest_refused || return 1; s=$E2E_V
		[ $((c + s)) -ge 1 ] ||
			{ echo "neither side counted guest_refused"; return 1; } ;;
	esac
}

unmount() {
	grep -q " $MNT cifs " /proc/mounts || return 0
	e2e_umount "$MNT"
}

one_row() {
	local logon=$1 creq=$2 sreq=$3 guest=$4 outcome=$5 side=${6:-} status=${7:-}
	ROW="$logon, client require $creq, server require $sreq"
	[ "$logon" = user ] || ROW="$ROW, insecure guest $guest"
	e2e_step "$ROW: set the policy" setup_row "$creq" "$sreq" "$guest" || return 0
	case $outcome in
	signed|unsigned)
		e2e_step "$ROW: connects $outcome" connects "$logon" || return 0
		e2e_step "$ROW: data written and read back intact" data_round_trip || true
		e2e_step "$ROW: DebugData shows the session $outcome" \
			e2e_expect_session 0x311 "$outcome" || true
		if [ "$outcome" = signed ]; then
			e2e_step "$ROW: both sides signed and verified with aes-gmac, no failure" \
				both_sides_signed || true
		else
			e2e_step "$ROW: neither side signed or verified the data" \
				both_sides_unsigned "$logon" || true
		fi
		e2e_step "$ROW: unmount" unmount || true
		;;
	refused)
		e2e_step "$ROW: refused" refused "$logon" || { unmount || true; return 0; }
		e2e_step "$ROW: $side counted guest_refused" guest_refused_by "$side" || true
		e2e_step "$ROW: one log line names $status and smbsignctl explain" \
			e2e_log_expect 'smbsign' "\\(($status)\\)" 'smbsignctl explain' || true
		;;
	esac
}

main() {
	e2e_begin
	e2e_mkdata "$SRC" "$MIB"
	e2e_each_row one_row "$ROWS"
	e2e_finish
}

main "$@"
