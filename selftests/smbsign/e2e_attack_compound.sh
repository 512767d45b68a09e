#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attack: one corrupted element of a related compound. cifs mounts ksmbd
# through smbmitm.py (SMB 3.1.1, AES-GMAC, signing required on both sides)
# and sends related compounds (SMB2_FLAGS_RELATED_OPERATIONS): CREATE +
# QUERY_INFO + CLOSE for stat(2), CREATE + SET_INFO + CLOSE for rename(2).
# The proxy changes one byte of the signature of one element:
#
#   create-stat    the first element, the CREATE of a stat;
#   queryinfo-stat the middle element, its QUERY_INFO;
#   setinfo-rename the middle element of a rename, its SET_INFO.
#
# ksmbd fails the element whose signature does not verify with
# STATUS_ACCESS_DENIED (MS-SMB2 3.3.5.2.4), and a related request after a
# failed one must fail with the same status (3.3.5.2.7.2): it must not run
# on the FileId an earlier element left behind. Expected: the proxy sees
# the answer to every element of the chain: the elements before the
# changed one as usual, the changed one and every related element after
# it STATUS_ACCESS_DENIED; the server counts verify_failed exactly once;
# a kernel log line names STATUS_ACCESS_DENIED; the mount keeps working.
# (cifs may retry a refused operation with a new compound, which the
# proxy leaves alone.)
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

readonly PROXY_PORT=4460
readonly GMAC_FIRST="aes-gmac aes-cmac hmac-sha256"
readonly DENIED_HEX=0xc0000022
readonly DENIED='STATUS_ACCESS_DENIED \(0xc0000022\)'

# name element(command) operation
readonly CASES="
create-stat    CREATE     stat
queryinfo-stat QUERY_INFO stat
setinfo-rename SET_INFO   rename
"

setup_case() {
	local cmd=$1
	e2e_policy 1 1 0 "$GMAC_FIRST" || return 1
	e2e_stats_reset || return 1
	rm -f "$E2E_SRV/share/renamed"
	cp "$SRC" "$SRV_FILE" && chown "$E2E_USER" "$SRV_FILE" || return 1
	e2e_mitm_mount "$PROXY_PORT" 3.1.1 "" \
		"req:$cmd:flip-sig:1:compound,name=victim" || return 1
	e2e_mark "attack $CASE"
}

# The operation, which may fail; then the proxy's account of the answer.
operate() {
	local op=$1 out rc=0
	e2e_mitm_arm
	case $op in
	stat) out=$(stat -c %s "$MNT/victim" 2>&1) || rc=$? ;;
	rename) out=$(mv "$MNT/victim" "$MNT/renamed" 2>&1) || rc=$? ;;
	esac
	if [ "$rc" -eq 0 ]; then
		e2e_info "$CASE: $op succeeded"
	else
		e2e_info "$CASE: $op failed: $out"
	fi
	e2e_mitm_tampered "dir=req cmd=$2 " && ANSWER=$(e2e_mitm_wait '^answer .*what=tampered')
}

# answer_field KEY: the comma-separated values of KEY in the answer, as
# the array FIELD.
answer_field() {
	local v
	v=$(e2e_mitm_field "$ANSWER" "$1") || { echo "no answer from the proxy"; return 1; }
	IFS=, read -r -a FIELD <<<"$v"
}

# The tampered element and every related one after it: STATUS_ACCESS_DENIED;
# those before it: not. Prints the answer.
statuses() {
	local which=$1 i k=-1 bad=0 cmds related
	answer_field cmds || return 1
	cmds=("${FIELD[@]}")
	answer_field related || return 1
	related=("${FIELD[@]}")
	answer_field statuses || return 1
	printf '%s\n' "$ANSWER"
	for i in "${!cmds[@]}"; do
		[ "${cmds[$i]}" != "$CMD" ] || { k=$i; break; }
	done
	[ "$k" -ge 0 ] || { echo "the chain has no $CMD"; return 1; }
	if [ "${#cmds[@]}" -lt 2 ] || [ "${related[1]}" != 1 ]; then
		echo "not a related compound"
		return 1
	fi
	for i in "${!cmds[@]}"; do
		case $which:$((i < k)):$((i == k)):${related[$i]} in
		before:1:*)
			[ "${FIELD[$i]}" != "$DENIED_HEX" ] && continue
			echo "element $i (${cmds[$i]}), before the changed one, failed ${FIELD[$i]}"
			bad=1
			continue ;;
		changed:0:1:*|after:0:0:1) ;;
		*) continue ;;
		esac
		[ "${FIELD[$i]}" = "$DENIED_HEX" ] && continue
		echo "element $i (${cmds[$i]}) answered ${FIELD[$i]}, expected $DENIED_HEX (STATUS_ACCESS_DENIED)"
		bad=1
	done
	return "$bad"
}

mount_works() {
	local f=victim
	[ -e "$SRV_FILE" ] || f=renamed
	rm -f "$BACK"
	stat "$MNT/$f" >/dev/null && e2e_copy "$MNT/$f" "$BACK" && e2e_same "$SRC" "$BACK"
}

one_case() {
	local op=$3 name
	CASE=$1 CMD=$2 ANSWER=
	name="$CASE (req:$CMD:flip-sig in a related compound, $op)"
	if e2e_step "$name: AES-GMAC mount through the proxy, signing required" \
		setup_case "$CMD"; then
		e2e_step "$name: the proxy changed the signature of the $CMD" \
			operate "$op" "$CMD" || true
		e2e_step "$name: ksmbd failed the $CMD with STATUS_ACCESS_DENIED" \
			statuses changed || true
		e2e_step "$name: every related element after it failed with STATUS_ACCESS_DENIED" \
			statuses after || true
		e2e_step "$name: the elements before it were answered as usual" \
			statuses before || true
		e2e_step "$name: the server counted verify_failed exactly once" \
			e2e_expect_counter server verify_failed 1 1 || true
		e2e_step "$name: a kernel log line names STATUS_ACCESS_DENIED" \
			e2e_log_expect "$DENIED" || true
		e2e_step "$name: the mount still works" mount_works || true
	fi
	e2e_step "$CASE: unmount and stop the proxy" e2e_mitm_end || true
}

main() {
	e2e_begin
	SRV_FILE=$E2E_SRV/share/victim
	e2e_mkdata "$SRC" 64K
	e2e_each_row one_case "$CASES"
	e2e_finish
}

main "$@"
