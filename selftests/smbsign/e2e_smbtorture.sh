#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Samba's smbtorture against ksmbd with smbsign: the tests listed in
# smbtorture.list (signing with each algorithm, invalid compound chains,
# signed CANCEL, session binding), each run on its own, signing required
# on both sides. A test run with one algorithm (TEST@ALG) must also leave
# ksmbd's smbsign counters showing that algorithm alone.
#
# smbtorture's subunit output is parsed: a test passes only when
# smbtorture exits 0 and reports at least one "success" and no "failure",
# "error", "skip", "xfail" or "uxsuccess". A skip is not a pass: it fails,
# unless the list marks the test as one that cannot pass here, says why,
# and names the failure to expect; that failure, and no other, is a
# kselftest SKIP with the reason.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly LIST=${SMBSIGN_SMBTORTURE_LIST:-$E2E_HERE/smbtorture.list}
# SMBSIGN_SMBTORTURE_SERVER=smbd runs the same list against Samba's own
# smbd instead (server signing = mandatory), to check the list and this
# script against a server that implements everything.
readonly SERVER=${SMBSIGN_SMBTORTURE_SERVER:-ksmbd}
PORT=445
# Samba's default "client smb3 signing algorithms".
readonly SAMBA_ALGS="AES-128-GMAC, AES-128-CMAC, HMAC-SHA256"

# smbsign_alg SAMBA_NAME: print smbsign's name of a Samba signing algorithm.
smbsign_alg() {
	case $1 in
	AES-128-GMAC) echo aes-gmac ;;
	AES-128-CMAC) echo aes-cmac ;;
	HMAC-SHA256) echo hmac-sha256 ;;
	*) echo "unknown signing algorithm '$1' in $LIST"; return 1 ;;
	esac
}

# torture TEST[@ALG]: run one smbtorture test, offering only the signing
# algorithm ALG (Samba's name) when given, or with SMB 2.1 at most for
# ALG "SMB2_10"; say why when it did not pass.
torture() {
	local test=${1%@*} out=$E2E_WORK/torture.out rc=0 bad
	local algs=$SAMBA_ALGS alg='' proto=SMB3_11
	if [ "$test" != "$1" ]; then
		case ${1##*@} in
		SMB2_10) proto=SMB2_10 alg=hmac-sha256 ;;
		*)
			algs=${1##*@}
			alg=$(smbsign_alg "$algs") || { echo "$alg"; return 1; }
			;;
		esac
		e2e_stats_reset || return 1
	fi
	timeout 300 smbtorture "//$E2E_HOST/share" -p "$PORT" -U "$E2E_USER%$E2E_PASS" \
		--format=subunit --option='client signing=required' \
		--option="client max protocol=$proto" \
		--option="client smb3 signing algorithms=$algs" \
		--option='torture:sharedelay=0' "$test" >"$out" 2>&1 || rc=$?
	cp "$out" "$E2E_WORK/torture.${1//\//_}.out"
	bad=$(grep -E '^(failure|error|skip|xfail|uxsuccess):' "$out" | head -n 3) || true
	if [ "$rc" -eq 0 ] && [ -z "$bad" ] && grep -qE '^success:' "$out"; then
		# ksmbd signed and verified with that algorithm alone.
		[ -z "$alg" ] || [ "$SERVER" != ksmbd ] ||
			e2e_expect_alg_only server "$alg"
		return
	fi
	echo "smbtorture $test: exit status $rc"
	if [ -n "$bad" ]; then
		printf '%s\n' "$bad"
		# The reason follows the "[" of the first bad line.
		awk '/^(failure|error|skip|xfail|uxsuccess):/ { p = 1; next }
		     p && /^\]/ { exit } p' "$out" | head -n 5
	else
		grep -qE '^success:' "$out" || echo "no test reported success"
		grep -m 1 -E '^(INTERNAL ERROR|PANIC)' "$out" || true
		tail -n 5 "$out"
	fi
	return 1
}

# one TEST [REASON [EXPECTED]]: a step. A test listed with a REASON may
# fail (or skip) but only as the list says: its output must contain the
# text EXPECTED, when given; then it is a SKIP giving REASON. If it passes
# (against ksmbd), or fails in another way, that is a failure.
one() {
	if [ -z "${2:-}" ]; then
		e2e_step "smbtorture $1" torture "$1" || true
	else
		e2e_known_failure "smbtorture $1" "$2" "${3:-}" torture "$1"
	fi
}

main() {
	local test reason expected
	e2e_init
	[ -r "$LIST" ] || e2e_skip_all "no test list $LIST"
	e2e_step "load smbsign and the rebuilt cifs and ksmbd" e2e_stack_up || e2e_finish
	e2e_step "smbsign: signing required on both sides, all algorithms" \
		e2e_policy 1 1 0 "aes-gmac aes-cmac hmac-sha256" || true
	if [ "$SERVER" = smbd ]; then
		# The list describes ksmbd; Samba may well pass.
		E2E_MAY_PASS=1
		PORT=4445
		e2e_step "Samba's smbd serves the share (signing mandatory, multichannel on)" \
			e2e_smbd_start "$PORT" "server signing = mandatory" \
			"server multi channel support = yes" || e2e_finish
	else
		# No fake FILE_SUPPORTS_SPARSE_FILES: smbtorture checks the
		# attributes of the files it creates.
		e2e_step "ksmbd.mountd serves the share (multichannel on)" \
			e2e_ksmbd_start "$PORT" "server multi channel support = yes" \
			"share:fake_fscaps = 0" || e2e_finish
	fi
	while IFS='|' read -r test reason expected; do
		e2e_trim test reason expected
		case $test in ''|'#'*) continue ;; esac
		one "$test" "$reason" "$expected"
	done <"$LIST"
	e2e_finish
}

main "$@"
