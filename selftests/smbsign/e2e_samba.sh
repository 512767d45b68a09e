#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Samba as the independent implementation, both directions:
#
#   - smbclient, with "client signing = required" and "client smb3
#     signing algorithms" set to AES-128-GMAC, AES-128-CMAC and
#     HMAC-SHA256 (SMB 3.1.1), and with "client max protocol" SMB3_02,
#     SMB3_00 and SMB2_10,
#     puts a file on ksmbd and gets it back: same bytes on ksmbd's disk and
#     back, and ksmbd's smbsign counters show that exactly the expected
#     algorithm signed and verified, without failure. Samba verifies every
#     response ksmbd signed.
#   - cifs mounts Samba's smbd configured with "server signing =
#     mandatory" and "server smb3 signing algorithms" set to one algorithm,
#     for each of them on 3.1.1, and SMB 3.0.2, 3.0 and 2.1 (the
#     SMB2AESCMAC KDF and the session key): data intact, a signed
#     session, and the client's counters show exactly that algorithm.
#     Samba verifies every request cifs signed.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly MIB=8
readonly SMBD_PORT=4445

# name client-options... | expected algorithm
readonly SMBCLIENT_CASES="
3.1.1-gmac aes-gmac client smb3 signing algorithms = AES-128-GMAC
3.1.1-cmac aes-cmac client smb3 signing algorithms = AES-128-CMAC
3.1.1-hmac hmac-sha256 client smb3 signing algorithms = HMAC-SHA256
3.0.2      aes-cmac    client max protocol = SMB3_02
3.0        aes-cmac    client max protocol = SMB3_00
2.1        hmac-sha256 client max protocol = SMB2_10
"

# name vers dialect expected-algorithm samba's-signing-algorithms ("-":
# Samba's default list; smbd 4.17 refuses SMB 2.1 when HMAC-SHA256 is
# left out of it)
readonly SMBD_CASES="
3.1.1-gmac 3.1.1 0x311 aes-gmac    AES-128-GMAC
3.1.1-cmac 3.1.1 0x311 aes-cmac    AES-128-CMAC
3.1.1-hmac 3.1.1 0x311 hmac-sha256 HMAC-SHA256
3.0.2      3.02  0x302 aes-cmac    -
3.0        3.0   0x300 aes-cmac    -
2.1        2.1   0x210 hmac-sha256 -
"

# smbclient_put_get OPTION: put $SRC on ksmbd's share and get it back
# with smbclient, signing required, OPTION (an smb.conf line) added.
smbclient_put_get() {
	local conf=$E2E_WORK/smbclient.conf out
	{
		printf '[global]\n'
		printf '\t%s\n' "client signing = required" "client smb encrypt = off" \
			"client min protocol = SMB2_02" "client max protocol = SMB3_11" \
			"$1"
	} >"$conf"
	rm -f "$BACK" "$E2E_SRV/share/put"
	out=$(smbclient -s "$conf" "//$E2E_HOST/share" -U "$E2E_USER%$E2E_PASS" \
		-c "put $SRC put; get put $BACK" 2>&1) ||
		{ echo "smbclient failed:"; printf '%s\n' "$out" | tail -n 5; return 1; }
	e2e_same "$SRC" "$E2E_SRV/share/put" && e2e_same "$SRC" "$BACK"
}

smbclient_case() {
	local name="smbclient to ksmbd, $1" alg=$2 option=${*:3}
	e2e_stats_reset >/dev/null 2>&1 || true
	e2e_step "$name: put and get $MIB MiB ($option)" smbclient_put_get "$option" || return 0
	e2e_step "$name: ksmbd signed and verified with $alg only, no failure" \
		e2e_expect_alg_only server "$alg" $((MIB << 20)) || true
	e2e_info "$(e2e_stats_show server)"
}

mount_smbd() {
	local vers=$1 algs=()
	[ "$2" = - ] || algs=("server smb3 signing algorithms = $2")
	e2e_smbd_start "$SMBD_PORT" "server signing = mandatory" "${algs[@]}" || return 1
	e2e_stats_reset || return 1
	e2e_mount_user "$MNT" "$vers" "" "$SMBD_PORT"
}

round_trip() {
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/data" || return 1
	e2e_same "$SRC" "$E2E_SRV/samba/data" || return 1
	e2e_copy "$MNT/data" "$BACK" && e2e_same "$SRC" "$BACK"
}

smbd_case() {
	local name="cifs to Samba's smbd, $1" vers=$2 dialect=$3 alg=$4 samba_algs=$5
	e2e_step "$name: mount (server signing = mandatory, algorithms $samba_algs)" \
		mount_smbd "$vers" "$samba_algs" || { e2e_smbd_stop || true; return 0; }
	e2e_step "$name: write and read back $MIB MiB, same data" round_trip || true
	e2e_step "$name: DebugData shows dialect $dialect, signed with $alg" \
		e2e_expect_session "$dialect" signed "$alg" || true
	e2e_step "$name: cifs signed and verified with $alg only, no failure" \
		e2e_expect_alg_only client "$alg" $((MIB << 20)) || true
	e2e_info "$(e2e_stats_show client)"
	e2e_step "$name: unmount, stop smbd" stop_smbd || true
}

stop_smbd() {
	local rc=0
	e2e_umount "$MNT" || rc=1
	e2e_smbd_stop || rc=1
	return "$rc"
}

main() {
	e2e_begin --no-ksmbd
	e2e_step "smbsign: signing required on both sides, all algorithms offered" \
		e2e_policy 1 1 0 "aes-gmac aes-cmac hmac-sha256" || true
	e2e_mkdata "$SRC" "$MIB"
	if e2e_step "ksmbd.mountd serves the share" e2e_ksmbd_start; then
		e2e_each_row smbclient_case "$SMBCLIENT_CASES"
		e2e_step "stop ksmbd" e2e_ksmbd_stop || true
	fi
	e2e_each_row smbd_case "$SMBD_CASES"
	e2e_finish
}

main "$@"
