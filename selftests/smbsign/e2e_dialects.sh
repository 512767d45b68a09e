#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Signed transfers over every dialect and signing algorithm, cifs to ksmbd
# over loopback with smbsign requiring signing on both sides: SMB 2.1 with
# HMAC-SHA256, 3.0 and 3.0.2 with AES-CMAC, 3.1.1 with AES-CMAC and 3.1.1
# with AES-GMAC. For each one: write $SMBSIGN_E2E_MIB MiB (default 64)
# uncached and read it back, same bytes on the client, on the server's disk
# and back; /proc/fs/cifs/DebugData shows the dialect, a signed connection
# and the algorithm; smbsign's counters on both sides show that exactly
# that algorithm signed and verified the data, with no failure.
#
# On 3.1.1 the algorithm is chosen through /sys/kernel/smbsign/algorithms:
# the client offers the list in order and the server picks the first of
# the same list that the client offered.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly MIB=${SMBSIGN_E2E_MIB:-64}

# vers dialect algorithm algorithms-knob
readonly CASES="
2.1   0x210 hmac-sha256 aes-gmac,aes-cmac,hmac-sha256
3.0   0x300 aes-cmac    aes-gmac,aes-cmac,hmac-sha256
3.0.2 0x302 aes-cmac    aes-gmac,aes-cmac,hmac-sha256
3.1.1 0x311 aes-cmac    aes-cmac,aes-gmac,hmac-sha256
3.1.1 0x311 aes-gmac    aes-gmac,aes-cmac,hmac-sha256
"

mount_signed() {
	local vers=$1 knob=$2
	e2e_policy 1 1 0 "$knob" || return 1
	e2e_stats_reset || return 1
	e2e_mount_user "$MNT" "$vers"
}

# Write SRC through the mount, check the server's copy, read it back.
round_trip() {
	local tw tr
	rm -f "$SRV_FILE" "$BACK"
	e2e_timed tw e2e_copy "$SRC" "$MNT/data" || return 1
	e2e_drop_caches
	e2e_same "$SRC" "$SRV_FILE" || return 1
	e2e_timed tr e2e_copy "$MNT/data" "$BACK" || return 1
	e2e_same "$SRC" "$BACK" || return 1
	e2e_info "$MIB MiB written in $tw s, read in $tr s"
}

one_case() {
	local vers=$1 dialect=$2 alg=$3 knob=$4 name
	name="SMB $vers $alg"
	e2e_step "$name: mount with signing required" mount_signed "$vers" "$knob" ||
		return 0
	e2e_step "$name: write and read back $MIB MiB, same data" round_trip || true
	e2e_step "$name: DebugData shows dialect $dialect, signed with $alg" \
		e2e_expect_session "$dialect" signed "$alg" || true
	e2e_step "$name: client signed and verified with $alg only, no failure" \
		e2e_expect_alg_only client "$alg" $((MIB << 20)) || true
	e2e_step "$name: server signed and verified with $alg only, no failure" \
		e2e_expect_alg_only server "$alg" $((MIB << 20)) || true
	e2e_info "$(e2e_stats_show client)"
	e2e_info "$(e2e_stats_show server)"
	e2e_step "$name: unmount" e2e_umount "$MNT" || true
}

main() {
	local vers dialect alg knob
	e2e_begin
	SRV_FILE=$E2E_SRV/share/data
	e2e_mkdata "$SRC" "$MIB"
	while read -r vers dialect alg knob; do
		[ -n "$vers" ] || continue
		one_case "$vers" "$dialect" "$alg" "${knob//,/ }"
	done <<<"$CASES"
	e2e_finish
}

main "$@"
