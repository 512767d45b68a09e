#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# impacket (python3-impacket) as a second independent implementation,
# against ksmbd with smbsign, signing required on the server: its own
# NTLM, KDF, preauth hash, HMAC-SHA256 and AES-CMAC, in Python.
#
# For SMB 2.1 (HMAC-SHA256) and 3.0 (AES-CMAC); impacket 0.10 cannot ask
# for 3.0.2, and its 3.1.1 signing key is wrong (below):
#   - impacket puts a file and gets it back: the same bytes on ksmbd's disk
#     and back; impacket_client.py checks the signature of every response
#     itself; ksmbd's counters show that algorithm alone, no failure;
#   - a WRITE with one signature byte flipped, and a WRITE sent unsigned,
#     each get STATUS_ACCESS_DENIED, the session goes on working, and
#     ksmbd counts exactly one verify failure and one unsigned request
#     rejected (the Microsoft test suite's Signing_WrongSessionKey_Rejected
#     cases, from a client that is neither Samba nor Linux).
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

# impacket signs with AES-CMAC in pure Python: slow under TCG.
readonly KIB=256
# impacket is installed for Debian's own python3, not for another one
# first in PATH.
readonly PY=/usr/bin/python3
readonly CLIENT=$E2E_HERE/impacket_client.py

# dialect expected-algorithm [| REASON | EXPECTED]: with a REASON, the case
# cannot pass; it still runs, and a failure whose output contains EXPECTED
# is a SKIP giving REASON (any other failure fails, and so does a pass).
readonly CASES="
2.1   hmac-sha256
3.0   aes-cmac
3.1.1 aes-cmac | impacket 0.10.0 (Debian 12) derives an SMB 3.1.1 signing key that neither ksmbd nor Samba's smbd accepts: its signed TREE_CONNECT is refused with STATUS_ACCESS_DENIED by both | (command 0x3, status 0xc0000022) has a bad signature
"

# client ARGS...: run impacket_client.py against the share.
client() {
	SMBSIGN_E2E_HOST=$E2E_HOST SMBSIGN_E2E_USER=$E2E_USER \
		SMBSIGN_E2E_PASS=$E2E_PASS "$PY" "$CLIENT" "$@"
}

roundtrip() {
	rm -f "$BACK" "$E2E_SRV/share/impacket"
	client roundtrip "$1" "$SRC" "$BACK" || return 1
	e2e_same "$SRC" "$E2E_SRV/share/impacket" && e2e_same "$SRC" "$BACK"
}

# refusals ALG: exactly one bad signature and one unsigned request, both
# with ALG, and nothing else failed.
refusals() {
	local c
	for c in verify_failed unsigned_rejected; do
		e2e_stat server "$1" "$c" || return 1
		[ "$E2E_V" = 1 ] ||
			{ echo "server/$1/$c is $E2E_V, expected 1"; e2e_stats_show server; return 1; }
	done
}

one_case() {
	local dialect=$1 alg=$2 reason=$3 expected=$4
	local desc="impacket SMB $dialect: put and get $KIB KiB, every response signature right"
	e2e_stats_reset || true
	if [ -n "$reason" ]; then
		e2e_known_failure "$desc" "$reason" "$expected" roundtrip "$dialect"
		return 0
	fi
	e2e_step "$desc" roundtrip "$dialect" || return 0
	e2e_step "impacket SMB $dialect: ksmbd signed and verified with $alg only, no failure" \
		e2e_expect_alg_only server "$alg" $((KIB << 10)) || true
	e2e_stats_reset || true
	e2e_step "impacket SMB $dialect: bad and missing signatures get STATUS_ACCESS_DENIED" \
		client tamper "$dialect" "$SRC" || return 0
	e2e_step "impacket SMB $dialect: ksmbd counted one verify failure, one unsigned request" \
		refusals "$alg" || true
}

main() {
	local args reason expected out
	[ "$(id -u)" = 0 ] || e2e_skip_all "must run as root"
	out=$("$PY" -c 'import impacket' 2>&1) ||
		e2e_skip_all "python3-impacket is not installed: ${out##*$'\n'}"
	e2e_begin --no-ksmbd
	# Before ksmbd starts: its NEGOTIATE responses then say that signing
	# is required, which is what makes impacket sign on 2.1 and 3.0.x.
	e2e_step "smbsign: signing required on both sides, all algorithms" \
		e2e_policy 1 1 0 "aes-gmac aes-cmac hmac-sha256" || true
	e2e_step "ksmbd.mountd serves the share" e2e_ksmbd_start || e2e_finish
	head -c $((KIB << 10)) /dev/urandom >"$SRC"
	while IFS='|' read -r args reason expected; do
		read -r -a args <<<"$args"
		[ ${#args[@]} -eq 2 ] || continue
		e2e_trim reason expected
		one_case "${args[@]}" "$reason" "$expected"
	done <<<"$CASES"
	e2e_finish
}

main "$@"
