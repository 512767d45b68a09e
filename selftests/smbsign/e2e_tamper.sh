#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tampering on the wire: cifs mounts ksmbd through smbmitm.py, a
# man-in-the-middle proxy on loopback, with signing required on both
# sides. In each case the proxy changes exactly one signed message:
#
#   - one payload byte of a READ response (SMB 3.1.1 with AES-GMAC and
#     AES-CMAC, SMB 2.1 with HMAC-SHA256): the client must reject it
#     (verify_failed, STATUS_INVALID_SIGNATURE) and the application must
#     never see the changed byte: the read fails or, after cifs
#     reconnects and retries, returns the right data;
#   - one payload byte of a WRITE request: the server must reject it
#     (verify_failed, STATUS_ACCESS_DENIED) and the changed byte must never
#     reach the file;
#   - the SIGNED flag cleared and the signature zeroed, of a READ response
#     and of a WRITE request: the receiving side must reject the unsigned
#     message (unsigned_rejected) with the same statuses.
#
# The refusal must also be logged in one kernel log line that names the
# NTSTATUS and points to "smbsignctl explain", and recorded by smbsign's
# tracepoint (smbsign:smbsign_verify_failed or smbsign:smbsign_refused). The mounts also ask for
# signing themselves ("sign"), so that cifs and ksmbd sign even when they
# do not follow smbsign's policy: the tests then show their own handling
# of tampered messages. The proxy's own parsing
# (framing, compound chains, encrypted frames left alone) is checked first
# with its self-test.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4455
readonly MIB=4
readonly DENIED='STATUS_ACCESS_DENIED \(0xc0000022\)'
readonly BADSIG='STATUS_INVALID_SIGNATURE \(0xc000a000\)'

# name vers algorithms-knob rule side counter status-regex
readonly CASES="
resp-flip-gmac  3.1.1 aes-gmac,aes-cmac,hmac-sha256 resp:READ:flip-data  client verify_failed     $BADSIG
resp-flip-cmac  3.1.1 aes-cmac,aes-gmac,hmac-sha256 resp:READ:flip-data  client verify_failed     $BADSIG
resp-flip-hmac  2.1   aes-gmac,aes-cmac,hmac-sha256 resp:READ:flip-data  client verify_failed     $BADSIG
req-flip-gmac   3.1.1 aes-gmac,aes-cmac,hmac-sha256 req:WRITE:flip-data  server verify_failed     $DENIED
resp-strip-gmac 3.1.1 aes-gmac,aes-cmac,hmac-sha256 resp:READ:strip      client unsigned_rejected $BADSIG
req-strip-gmac  3.1.1 aes-gmac,aes-cmac,hmac-sha256 req:WRITE:strip      server unsigned_rejected $DENIED
"

proxy_self_test() {
	"${E2E_PY[@]}" "$E2E_HERE/smbmitm.py" --self-test
}

# Proxy with RULE, policy requiring signing, mount through the proxy.
setup_case() {
	local vers=$1 knob=$2 rule=$3
	e2e_policy 1 1 0 "$knob" || return 1
	e2e_stats_reset || return 1
	e2e_mitm_mount "$PROXY_PORT" "$vers" sign "$rule" || return 1
	# The file the READ cases read, put on the server's disk directly.
	cp "$SRC" "$E2E_SRV/share/data" && chown "$E2E_USER" "$E2E_SRV/share/data" ||
		return 1
	rm -f "$E2E_SRV/share/new" "$BACK"
	e2e_trace_start || return 1
	e2e_mark "tamper case $CASE"
}

# Arm the proxy and do the I/O the rule aims at; the I/O may fail.
do_io() {
	local rule=$1 out
	e2e_mitm_arm
	case $rule in
	resp:*) out=$(e2e_copy "$MNT/data" "$BACK" 2>&1) && IO=ok || IO=$out ;;
	req:*) out=$(e2e_copy "$SRC" "$MNT/new" 2>&1) && IO=ok || IO=$out ;;
	esac
	case $IO in
	ok) e2e_info "$CASE: the I/O succeeded (after a reconnect, if the message was rejected)" ;;
	*) e2e_info "$CASE: the I/O failed: $(printf '%s' "$IO" | tail -n 1)" ;;
	esac
}

# The data the application or the server's disk got: the original bytes,
# or nothing (a failed read or write), never a changed byte.
data_intact() {
	local rule=$1 got
	case $rule in
	resp:*) got=$BACK ;;
	req:*) got=$E2E_SRV/share/new ;;
	esac
	[ -e "$got" ] || return 0
	if [ "$IO" = ok ]; then
		e2e_same "$SRC" "$got"
	else
		e2e_no_foreign_bytes "$SRC" "$got"
	fi
}

one_case() {
	local vers=$2 knob=${3//,/ } rule=$4 side=$5 counter=$6 status=$7 name
	local event=smbsign_refused code
	[ "$counter" != verify_failed ] || event=smbsign_verify_failed
	code=${status##*0x}
	code=${code%%\\)*}
	CASE=$1
	name="$CASE ($rule, SMB $vers)"
	if ! e2e_step "$name: mount through the proxy, signing required" \
		setup_case "$vers" "$knob" "$rule"; then
		end_case
		return 0
	fi
	do_io "$rule"
	e2e_step "$name: the proxy tampered with one signed message" \
		e2e_mitm_tampered || true
	e2e_step "$name: the $side rejected it and counted $counter" \
		e2e_expect_counter "$side" "$counter" 1 || true
	e2e_step "$name: one log line names ${status%% *} and smbsignctl explain" \
		e2e_log_expect 'smbsign' "$status" 'smbsignctl explain' || true
	e2e_step "$name: tracepoint smbsign:$event recorded it" \
		e2e_trace_expect "$event" "^ *[^ ].* $side peer=.+ session=0x[0-9a-f]+ mid=[0-9]+ cmd=(8|9) " \
		"status=0x${code}" || true
	e2e_step "$name: no tampered byte reached the application or the file" \
		data_intact "$rule" || true
	end_case
}

end_case() {
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	local args
	e2e_begin
	e2e_step "smbmitm.py self-test: framing, compound chains, encrypted frames, every action" \
		proxy_self_test || true
	e2e_mkdata "$SRC" "$MIB"
	while read -r -a args; do
		[ ${#args[@]} -gt 0 ] || continue
		one_case "${args[@]:0:6}" "${args[*]:6}"
	done <<<"$CASES"
	e2e_finish
}

main "$@"
