#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attack: a break acknowledgment with a broken signature. cifs mounts
# ksmbd through smbmitm.py (SMB 3.1.1, AES-GMAC, signing required on both
# sides) and holds a file open for reading and writing, with a lease
# (ksmbd "smb2 leases = yes") or a batch oplock (leases off).
# smbclient, a second client with its own session straight to ksmbd, opens
# the file: ksmbd breaks the lease or oplock and waits for the
# acknowledgment (OPLOCK_BREAK, command 0x12, MS-SMB2 2.2.24), whose
# signature the proxy changes by one byte.
#
# Linux 6.12's ksmbd never verified OPLOCK_BREAK acknowledgments; the
# patched one verifies every request through smbsign, and has no other
# signing path. Every signed request must verify (MS-SMB2 3.3.5.2.4).
# Expected: ksmbd refuses the acknowledgment with STATUS_ACCESS_DENIED (its
# response to it says so, the kernel log names it and server verify_failed
# counts it once); the second opener still gets the file (ksmbd gives up
# waiting for the acknowledgment) and the mount keeps working.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4459
readonly GMAC_FIRST="aes-gmac aes-cmac hmac-sha256"
readonly DENIED='STATUS_ACCESS_DENIED \(0xc0000022\)'

# name ksmbd-leases
readonly CASES="
lease         yes
oplock        no
"

setup_case() {
	local leases=$1
	e2e_ksmbd_start 445 "smb2 leases = $leases" || return 1
	SRV_FILE=$E2E_SRV/share/f
	e2e_policy 1 1 0 "$GMAC_FIRST" || return 1
	e2e_stats_reset || return 1
	cp "$SRC" "$SRV_FILE" && chown "$E2E_USER" "$SRV_FILE" || return 1
	e2e_mitm_mount "$PROXY_PORT" 3.1.1 cache=strict req:OPLOCK_BREAK:flip-sig
}

# cifs opens the file read-write (and caches it: a lease or an oplock) and
# keeps it open.
hold_open() {
	exec {FD}<>"$MNT/f"
	head -c 1 <&"$FD" >/dev/null
}

close_file() {
	[ -z "$FD" ] || exec {FD}>&-
	FD=
}

# smbclient opens the file on its own session; the break to cifs goes
# through the proxy, which changes the acknowledgment. smbclient ends
# once ksmbd has the acknowledgment or gave up waiting for it.
second_opener() {
	local out
	e2e_mitm_arm
	e2e_mark "attack $CASE"
	# ksmbd waits up to 35 s for an acknowledgment (OPLOCK_WAIT_TIME)
	out=$(smbclient "//$E2E_HOST/share" -U "$E2E_USER%$E2E_PASS" -t 120 \
		--option='client signing=required' -c "get f $E2E_WORK/got" 2>&1) ||
		{ echo "smbclient failed: $out"; return 1; }
	e2e_same "$SRC" "$E2E_WORK/got"
}

ack_denied() {
	local line
	line=$(e2e_mitm_wait '^answer .*what=tampered.*cmds=OPLOCK_BREAK') || return 1
	printf '%s\n' "$line"
	[ "$(e2e_mitm_field "$line" statuses)" = 0xc0000022 ] && return 0
	echo "^ ksmbd did not answer the acknowledgment with STATUS_ACCESS_DENIED"
	return 1
}

mount_works() {
	rm -f "$BACK"
	e2e_copy "$MNT/f" "$BACK" && e2e_same "$SRC" "$BACK"
}

one_case() {
	local leases=$2 name
	CASE=$1
	name="$CASE (smb2 leases = $leases, req:OPLOCK_BREAK:flip-sig)"
	if e2e_step "$name: mount through the proxy, signing required" \
		setup_case "$leases" &&
	   e2e_step "$name: cifs holds the file open read-write" hold_open; then
		e2e_step "$name: a second client opens the file and gets it" \
			second_opener || true
		e2e_step "$name: the proxy changed the signature of cifs' break acknowledgment" \
			e2e_mitm_tampered "dir=req cmd=OPLOCK_BREAK" || true
		e2e_step "$name: ksmbd answered it STATUS_ACCESS_DENIED" ack_denied || true
		e2e_step "$name: the server counted verify_failed once" \
			e2e_expect_counter server verify_failed 1 1 || true
		e2e_step "$name: a kernel log line names STATUS_ACCESS_DENIED" \
			e2e_log_expect "$DENIED" || true
		e2e_step "$name: the mount still works" mount_works || true
	fi
	close_file
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	e2e_begin --no-ksmbd
	FD=
	e2e_mkdata "$SRC" 64K
	e2e_each_row one_case "$CASES"
	e2e_finish
}

main "$@"
