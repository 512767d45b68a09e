#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The negative matrix (issue 11): every dialect x every signing algorithm
# it can use x every way an attacker without the key can change a signed
# message, in both directions, each row refused with the documented
# counter and status, and the positive control of each cell accepted. In
# the spirit of the WindowsProtocolTestSuites Signing_* cases.
#
# Cells (dialect, algorithm): 2.0.2 HMAC-SHA256, 2.1 HMAC-SHA256, 3.0
# AES-CMAC, 3.0.2 AES-CMAC, 3.1.1 AES-CMAC, AES-GMAC and HMAC-SHA256 (all
# three are SIGNING_CAPABILITIES values of MS-SMB2 2.2.3.1.7, and smbsign's
# algorithms knob offers each). Signing is required on both sides. Two cifs
# mounts of one share go through one smbmitm.py proxy for the whole test:
# mount A and, with nosharesock, mount B (its own connection and session).
# Rules are given to the proxy through its control FIFO ("rule"), one row
# at a time, so a cell is mounted once for all its rows.
#
# Directions: "req" acts on a 4 KiB WRITE request to ksmbd, "resp" on the
# READ response to cifs. Rows (mutation: what the attacker does; what the
# receiving side must do):
#
#   none            no change (the positive control): accepted, data
#                   intact, nothing refused, "verified" counted
#   strip           SIGNED cleared, signature zeroed: unsigned_rejected +1
#   sig0..sig15     signature byte K changed: verify_failed +1
#   hdr             the low byte of the header's Reserved (ProcessId)
#                   field changed, a signed field nothing else checks:
#                   verify_failed +1
#   body            one byte of the WRITE or READ data changed:
#                   verify_failed +1
#   trunc           the last byte dropped, the frame length and the
#                   WRITE Length / READ DataLength one less (well framed,
#                   shorter): verify_failed +1
#   key-session     signed again with the session key where the signing
#                   key belongs (SMB 3.x), with the session's algorithm
#   key-signing     the reverse: with the key SMB 3.0 derives from the
#                   session key (SP800-108) where the session key itself
#                   belongs (SMB 2.x): verify_failed +1. The proxy, given
#                   the user's password here (smbmitm.py --password),
#                   derives each session's keys from the NTLM logon it
#                   sees (smbkeys.py); a key row passes only when the
#                   proxy's signing key reproduced the message's own
#                   signature first ("right=yes"): the refusal is the
#                   wrong key's, not a wrong derivation's
#   replay-session  a signed message of session A (mount A) sent on
#                   session B's connection with B's SessionId, TreeId (req)
#                   and MessageId (a request: B's next one; a response: the
#                   one B waits for): verify_failed +1
#   replay          the same signed message again on its own session (its
#                   MessageId already used): req, ksmbd ends the connection
#                   before verifying (no counter moves, a log line names the
#                   MessageId); resp, cifs has no request with that
#                   MessageId and drops the frame ("No task to wake"), no
#                   counter moves
#
# Every refused row: the counter of the receiving side at the cell's
# algorithm moves by exactly the amount above, the other refusal counters
# (verify_failed, unsigned_rejected, nonce_refused, any algorithm) do not
# move; the status: ksmbd answers STATUS_ACCESS_DENIED (0xc0000022, seen by
# the proxy or impacket) and the smbsign tracepoint (smbsign_verify_failed,
# smbsign_refused) records the refusal with status=0xc0000022 (server) or
# status=0xc000a000, STATUS_INVALID_SIGNATURE (client); nothing of a
# refused WRITE reaches the file and a READ returns the right bytes or
# fails. The kernel log line of a refusal is rate limited (10 in 5 s), so
# the per-row check uses the tracepoint, which records every one.
#
# SMB 2.0.2: ksmbd in Linux 6.12 does not negotiate it
# (ksmbd_min_protocol() is SMB 2.1); a mount of ksmbd with vers=2.0 is
# attempted and must fail with mount error(95), or that SKIP turns into a
# failure. The cell's responses come from Samba's smbd instead ("server
# min protocol = SMB2_02", signing mandatory), through the same proxy:
# cifs and smbsign refuse them as in every other cell.
#
# Rows that cannot be produced are SKIPs that say why:
#   - the requests of the 2.0.2 cell: they go to smbd, not to ksmbd and
#     smbsign;
#   - key-session on SMB 2.x and key-signing on SMB 3.x: there the key in
#     question is the right one.
#
# The table is printed, one "# row" line per row, and each row is one TAP
# check. SMBSIGN_MATRIX_CELLS="VERS/ALG ..." (e.g. "3.1.1/aes-gmac") runs
# only those cells, SMBSIGN_MATRIX_ROWS="MUTATION ..." (e.g. "none
# key-session") only those rows, for a quicker look while working on one.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4457
readonly DENIED=0xc0000022 BADSIG=0xc000a000
readonly REFUSALS="verify_failed unsigned_rejected nonce_refused"

# vers dialect algorithm algorithms-knob
readonly CELLS="
2.1   0x210 hmac-sha256 hmac-sha256,aes-cmac,aes-gmac
3.0   0x300 aes-cmac    aes-cmac,aes-gmac,hmac-sha256
3.0.2 0x302 aes-cmac    aes-cmac,aes-gmac,hmac-sha256
3.1.1 0x311 aes-cmac    aes-cmac,aes-gmac,hmac-sha256
3.1.1 0x311 aes-gmac    aes-gmac,aes-cmac,hmac-sha256
3.1.1 0x311 hmac-sha256 hmac-sha256,aes-cmac,aes-gmac
2.0.2 0x202 hmac-sha256 hmac-sha256,aes-cmac,aes-gmac
"
readonly NO_202="ksmbd in Linux 6.12 does not negotiate SMB 2.0.2 (ksmbd_min_protocol() is SMB 2.1)"
readonly SMBD_202="$NO_202: cifs's requests of this cell go to Samba's smbd, which smbsign does not guard"
readonly SMBD_PORT=4458

# mutation proxy-action (- none) option (- none) expected
# (accepted unsigned badsig replay)
mutations() {
	local k
	echo "none - - accepted"
	echo "strip strip - unsigned"
	for k in $(seq 0 15); do
		echo "sig$k flip-sig byte=$k badsig"
	done
	cat <<-EOF
	hdr flip-hdr - badsig
	body flip-data - badsig
	trunc truncate - badsig
	key-session resign key=session badsig
	key-signing resign key=signing badsig
	replay-session replay-session - badsig
	replay replay - replay
	EOF
}

# ------------------------------------------------------------ the rows

# row_skip DIR MUTATION: set WHY when the row cannot be produced here.
row_skip() {
	WHY=
	case $1:$2:$VERS in
	*:key-session:2.*) WHY="SMB 2.x signs with the session key itself (MS-SMB2 3.1.4.1): it is the right key" ;;
	*:key-signing:3.*) WHY="SMB 3.x signs with the derived signing key (MS-SMB2 3.1.4.1): it is the right key" ;;
	esac
}

# snap VAR SIDE: the refusal counters of SIDE (each per algorithm) and
# verified at the cell's algorithm, as "name=value ..." in VAR.
snap() {
	local -n out=$1
	local alg c
	out=
	for alg in $E2E_ALGS; do
		for c in $REFUSALS verified; do
			e2e_stat "$2" "$alg" "$c" >/dev/null || return 1
			out="$out $alg/$c=$E2E_V"
		done
	done
}

# delta BEFORE AFTER NAME: set DELTA to AFTER's NAME minus BEFORE's
# (builtins only: every fork costs under TCG).
delta() {
	local a=${2#* "$3"=} b=${1#* "$3"=}
	DELTA=$((${a%% *} - ${b%% *}))
}

# nap: a fiftieth of a second without a fork (a read that times out on a
# FIFO nobody writes to).
nap() {
	read -r -t 0.02 -u "$NAP_FD" _ || true
}

# next_event REGEX: the next line of the proxy's log (read on from where
# the last call stopped, with builtins only) that matches the extended
# REGEX, in LINE; waits for the proxy to log it, for up to 120 s.
next_event() {
	local part="" end=$((SECONDS + 120))
	while [ "$SECONDS" -le "$end" ]; do
		while IFS= read -r LINE <&"$LOG_FD"; do
			LINE=$part$LINE part=
			[[ $LINE =~ $1 ]] && return 0
		done
		part=$part$LINE	# a line the proxy is still writing
		nap
	done
	echo "the proxy logged no line matching '$1'; its log ends:"
	tail -n 15 "$E2E_MITM_LOG"
	return 1
}

add_rule() {
	e2e_mitm_ctl "rule $1" || return 1
	next_event '^rule-(added|failed) ' || return 1
	[[ $LINE == rule-added* ]] || { echo "the proxy refused rule $1: $LINE"; return 1; }
}

inject() {
	e2e_mitm_ctl inject
}

# io DIR MOUNT: one 4 KiB WRITE (req) of $SRC to a new file, or READ
# (resp) of the share's file "data", with O_DIRECT and no second try
# (e2e_copy would retry a failed write through the page cache, and
# the retry is not the row's message); IO=ok or failed, IO_ERR why.
io() {
	local out
	ROWFILE=w$E2E_N
	if [ "$1" = req ]; then
		out=$(dd if="$SRC" of="$2/$ROWFILE" bs=4k oflag=direct status=none 2>&1) &&
			IO=ok || IO=failed
	else
		rm -f "$BACK"
		out=$(dd if="$2/data" of="$BACK" bs=4k iflag=direct status=none 2>&1) &&
			IO=ok || IO=failed
	fi
	IO_ERR=${out##*$'\n'}
}

# drive DIR ACTION: produce the row's message. Sets IO, STATUS (what the
# receiving server answered, for requests), EVENT (the proxy's line) and
# TAMPERED (its "tampered" line).
drive() {
	local dir=$1 action=$2 re
	STATUS=- EVENT=- IO=- IO_ERR='' TAMPERED=''
	case $action in
	-) io "$dir" "$MNT"; return 0 ;;
	replay|replay-session)
		case $dir:$action in
		resp:replay-session) re='^tampered .*action=replay-session' ;;
		resp:replay) re='^injected .*dir=resp' ;;
		*) re='^answer .*what=injected' ;;
		esac
		add_rule "$dir:$CMD:$action${OPTS:+:1:$OPTS}" || return 1
		io "$dir" "$MNT"
		next_event '^captured ' || return 1
		if [ "$dir:$action" = resp:replay-session ]; then
			io "$dir" "$MNT_B"
		else
			inject || return 1
		fi
		next_event "$re" || return 1
		EVENT=$LINE ;;
	*)
		add_rule "$dir:$CMD:$action${OPTS:+:1:$OPTS}" || return 1
		io "$dir" "$MNT"
		next_event '^tampered ' || return 1
		EVENT=$LINE TAMPERED=$LINE
		if [ "$dir" = req ]; then
			next_event '^answer .*what=tampered' || return 1
			EVENT=$LINE
		fi ;;
	esac
	case $EVENT in
	answer*result=disconnected*) STATUS=disconnected ;;
	answer*)
		STATUS=${EVENT#* statuses=}
		STATUS=${STATUS%% *} ;;
	esac
}

# trace_has REGEX: a line of the trace buffer matches (builtins only).
trace_has() {
	local l
	while IFS= read -r l; do
		[[ $l =~ $1 ]] && return 0
	done <"$E2E_TRACING/trace"
	return 1
}

# wait_log REGEX...: a kernel log line since the row's mark matches.
wait_log() {
	e2e_wait_for 30 e2e_log_expect "$@"
}

# judge DIR KIND: compare what was observed with what the row expects;
# set OBS (one line) and BAD (the reasons, empty when the row passed).
judge() {
	local dir=$1 kind=$2 side=server status=$DENIED event a c d want got trace=no
	local refused=
	[ "$dir" = req ] || side=client status=$BADSIG
	BAD=
	snap AFTER "$side" || { BAD="cannot read the counters"; return 0; }
	OBS="io=$IO"
	[ "$STATUS" = - ] || OBS="$OBS answer=$STATUS"
	for c in $REFUSALS; do
		d=0
		for a in $E2E_ALGS; do
			delta "$BEFORE" "$AFTER" "$a/$c"
			got=$DELTA
			d=$((d + got))
			want=0
			[ "$a" != "$ALG" ] || case $kind:$c in
				unsigned:unsigned_rejected|badsig:verify_failed) want=1 ;;
				esac
			[ "$got" = "$want" ] || BAD="$BAD $side/$a/$c moved by $got, expected $want;"
		done
		OBS="$OBS $c+$d"
		[ "$d" = 0 ] || refused=1
	done
	delta "$BEFORE" "$AFTER" "$ALG/verified"
	got=$DELTA
	OBS="$OBS verified+$got"
	case $STATUS in -|0x00000000) ;; *) refused=1 ;; esac
	case $kind in
	accepted)
		[ "$IO" = ok ] || BAD="$BAD the I/O failed: $IO_ERR;"
		[ "$got" -ge 1 ] || BAD="$BAD $side/$ALG/verified did not move;"
		if [ "$IO" = ok ]; then
			if [ "$dir" = req ]; then
				e2e_same "$SRC" "$DATA_DIR/$ROWFILE" >/dev/null ||
					BAD="$BAD the server's file is not what was written;"
			else
				e2e_same "$SRC" "$BACK" >/dev/null ||
					BAD="$BAD the data read is not the file's;"
			fi
		fi
		;;
	unsigned|badsig)
		# The proxy's own signing key reproduced the message's
		# signature before it signed with the wrong one.
		[[ $MUT != key-* ]] || [[ $TAMPERED == *" right=yes"* ]] ||
			BAD="$BAD the proxy's keys do not reproduce the session's signature: ${TAMPERED:-no tampered line};"
		event=smbsign_verify_failed
		[ "$kind" = badsig ] || event=smbsign_refused
		if trace_has "$event: $side peer=.* alg=$ALG status=$status"; then
			trace=yes
		else
			BAD="$BAD no $event event with status=$status;"
		fi
		OBS="$OBS trace=$trace"
		if [ "$dir" = req ]; then
			[ "$STATUS" = "$DENIED" ] || BAD="$BAD ksmbd answered $STATUS, expected $DENIED;"
			[ "$MUT" = replay-session ] ||
				[ ! -s "$DATA_DIR/$ROWFILE" ] ||
				BAD="$BAD the refused WRITE reached the file;"
		elif [ "$IO" = ok ]; then
			e2e_same "$SRC" "$BACK" >/dev/null || BAD="$BAD the read returned changed data;"
		fi
		;;
	replay)
		if [ "$dir" = req ]; then
			[ "$STATUS" = disconnected ] ||
				BAD="$BAD ksmbd answered the replay ($STATUS) instead of ending the connection;"
			if wait_log 'MessageId' 'disconnect' >/dev/null; then
				OBS="$OBS log=disconnect"
			else
				BAD="$BAD no ksmbd log line names the MessageId and the disconnect;"
			fi
		elif wait_log 'No task to wake, unknown frame' >/dev/null; then
			OBS="$OBS log=unknown-frame" refused=1
		else
			BAD="$BAD cifs did not drop the replayed response as unknown;"
		fi ;;
	esac
	# What happened, from the evidence: a refusal counter moved, ksmbd
	# answered with an error or ended the connection, cifs dropped it.
	if [ -n "$refused" ]; then
		OBS="$OBS => refused"
	else
		OBS="$OBS => accepted"
	fi
}

# expect_text DIR KIND: set EXPECT, the table's "expected" column.
expect_text() {
	local side=server status=$DENIED
	[ "$1" = req ] || side=client status=$BADSIG
	case $2:$1 in
	accepted:*) EXPECT="accepted, $side $ALG/verified+" ;;
	unsigned:*) EXPECT="refused, $side $ALG/unsigned_rejected+1, $status" ;;
	badsig:*) EXPECT="refused, $side $ALG/verify_failed+1, $status" ;;
	replay:req) EXPECT="refused, connection ended, no counter" ;;
	replay:resp) EXPECT="refused, dropped as unknown, no counter" ;;
	esac
}

# row_tap DESC: the row's TAP line, from BAD.
row_tap() {
	[ -z "$BAD" ] || { echo "$BAD" | tr ';' '\n' | sed 's/^ *//; /^$/d'; return 1; }
}

# skip_tap DESC REASON: a TAP line for a row that cannot be produced.
skip_tap() {
	E2E_N=$((E2E_N + 1))
	echo "ok $E2E_N $1 # SKIP $2"
}

one_row() {
	local dir=$1 mut=$2 action=$3 kind=$4 side=server name expect
	[ "$dir" = req ] || side=client
	MUT=$mut
	name="SMB $VERS $ALG $dir $mut"
	expect_text "$dir" "$kind"
	expect=$EXPECT
	row_skip "$dir" "$mut"
	[ -z "$CELL_SKIP" ] || WHY=$CELL_SKIP
	[ "$dir" != req ] || [ -z "$REQ_SKIP" ] || WHY=$REQ_SKIP
	if [ -n "$WHY" ]; then
		e2e_info "row | $VERS | $ALG | $dir | $mut | $expect | skipped: $WHY"
		skip_tap "$name: $expect" "$WHY"
		return 0
	fi
	e2e_mark "matrix $name" >/dev/null
	snap BEFORE "$side" || BEFORE=
	: >"$E2E_TRACING/trace"
	if ! drive "$dir" "$action" >"$E2E_WORK/drive.out" 2>&1; then
		BAD="the row's message was not produced: $(tail -n 3 "$E2E_WORK/drive.out" | tr '\n' ' ')"
		OBS="not produced"
	else
		judge "$dir" "$kind"
	fi
	e2e_info "row | $VERS | $ALG | $dir | $mut | $expect | $OBS"
	e2e_step "$name: $expect" row_tap || true
}

# ------------------------------------------------------------- the cells

mount_cell() {
	local dialect=$1 knob=${2//,/ }
	e2e_policy 1 1 0 "$knob" || return 1
	e2e_mount_user "$MNT" "$MOUNT_OPT" "" "$PROXY_PORT" || return 1
	e2e_mount_user "$MNT_B" "$MOUNT_OPT" nosharesock "$PROXY_PORT" || return 1
	e2e_expect_session "$dialect" signed "$ALG" || return 1
	cp "$SRC" "$DATA_DIR/data" && chown "$E2E_USER" "$DATA_DIR/data"
}

# The 2.0.2 cell against ksmbd: the mount must fail as NO_202 says.
mount_202() {
	e2e_policy 1 1 0 "${1//,/ }" || return 1
	# mount.cifs calls SMB 2.0.2 "2.0".
	e2e_mount_user "$MNT" 2.0 "" "$PROXY_PORT"
}

umount_cell() {
	local m rc=0
	for m in "$MNT_B" "$MNT"; do
		! grep -q " $m cifs " /proc/mounts || e2e_umount "$m" || rc=1
	done
	return "$rc"
}

# The proxy in front of Samba's smbd instead of ksmbd, smbd signing
# SMB 2.0.2 (mandatory signing).
proxy_to_smbd() {
	e2e_mitm_stop
	exec {LOG_FD}<&-
	e2e_smbd_start "$SMBD_PORT" "server signing = mandatory" \
		"server min protocol = SMB2_02" || return 1
	proxy_up "$SMBD_PORT" || return 1
	DATA_DIR=$E2E_SRV/samba
}

one_cell() {
	local dialect=$2 knob=$4 dir
	VERS=$1 ALG=$3 CELL_SKIP='' REQ_SKIP=''
	e2e_info "cell SMB $VERS $ALG"
	if [ "$VERS" = 2.0.2 ]; then
		e2e_known_failure "SMB $VERS $ALG: ksmbd: mount through the proxy, signing required" \
			"$NO_202" "mount error(95)" mount_202 "$knob"
		REQ_SKIP=$SMBD_202
		e2e_step "SMB $VERS $ALG: the proxy in front of Samba's smbd instead" \
			proxy_to_smbd || CELL_SKIP="smbd did not start (see above)"
		MOUNT_OPT=2.0
	else
		MOUNT_OPT=$VERS
	fi
	if [ -n "$CELL_SKIP" ]; then
		:
	elif ! e2e_step "SMB $VERS $ALG: mounts A and B through the proxy, signed with $ALG" \
		mount_cell "$dialect" "$knob"; then
		CELL_SKIP="the cell's mounts failed (see above)"
	fi
	for dir in req resp; do
		CMD=WRITE WAKE=
		# A refused response makes cifs reconnect: wake it at once.
		[ "$dir" = req ] || CMD=READ WAKE=wake
		while read -r mut action opts kind; do
			[[ " ${SMBSIGN_MATRIX_ROWS:-$mut} " == *" $mut "* ]] || continue
			[ "$opts" != - ] || opts=
			OPTS=$opts${opts:+${WAKE:+,}}$WAKE
			one_row "$dir" "$mut" "$action" "$kind"
		done < <(mutations)
	done
	e2e_step "SMB $VERS $ALG: unmount" umount_cell || true
}

# proxy_up SERVER_PORT: the proxy, armed, its log read from the start.
proxy_up() {
	e2e_mitm_start "$PROXY_PORT" "$1" || return 1
	e2e_mitm_arm
	exec {LOG_FD}<"$E2E_MITM_LOG"
}

main() {
	local args
	# shellcheck disable=SC2119 # no arguments: ksmbd too
	e2e_begin
	MNT_B=$E2E_WORK/mnt-b
	e2e_mkdata "$SRC" 4K
	e2e_step "smbmitm.py self-test, the matrix's actions included" \
		"${E2E_PY[0]}" "$E2E_HERE/smbmitm.py" --self-test || true
	e2e_step "smbkeys.py self-test: the proxy's key derivation and MACs" \
		env SMBSIGN_TOP="$SMBSIGN_TOP" "${E2E_PY[0]}" "$E2E_HERE/smbkeys.py" --self-test || true
	DATA_DIR=$E2E_SRV/share
	mkfifo "$E2E_WORK/nap"
	exec {NAP_FD}<>"$E2E_WORK/nap"
	e2e_step "trace smbsign" e2e_trace_start || e2e_finish
	# The key rows' proxy knows the password (key-session, key-signing).
	E2E_MITM_PASSWORD=$E2E_PASS
	e2e_step "the proxy in front of ksmbd" proxy_up 445 || e2e_finish
	e2e_info "row | dialect | algorithm | direction | mutation | expected | observed"
	while read -r -a args; do
		[ ${#args[@]} -gt 0 ] || continue
		# SMBSIGN_MATRIX_CELLS="3.0/aes-cmac ...": only these cells.
		[[ " ${SMBSIGN_MATRIX_CELLS:-${args[0]}/${args[2]}} " == *" ${args[0]}/${args[2]} "* ]] ||
			continue
		one_cell "${args[@]}"
	done <<<"$CELLS"
	e2e_step "stop the proxy" e2e_mitm_end || true
	e2e_finish
}

main "$@"
