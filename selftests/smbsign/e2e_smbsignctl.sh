#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbsignctl with real sessions: cifs mounts ksmbd on 127.0.0.1 (SMB
# 3.1.1), both through smbsign.
#
#   - status shows cifs and ksmbd bound; set warns about nothing;
#   - sessions shows both ends of a signed user mount: the peer, the
#     dialect, AES-GMAC, signing required because of the policy, messages
#     signed and verified, none failed;
#   - audit, after a guest mount while nothing requires signing, names
#     127.0.0.1 on both sides as a peer that breaks, and the
#     unsigned_peers exception to set; with that exception and signing
#     required, the guest mount connects, sessions say "exempt", both sides
#     count peer_exempted and log the peer, audit says "exempted"; with
#     another peer listed instead, the guest mount is refused.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

CTL=${SMBSIGNCTL:-$SMBSIGN_TOP/tools/smbsignctl/smbsignctl}
PROC=/proc/fs/smbsign
OUT=

# ctl ARGS...: smbsignctl; its stdout in $OUT; fails with its stderr.
ctl() {
	local err=$E2E_WORK/ctl.err
	OUT=$("$CTL" "$@" 2>"$err") || { echo "smbsignctl $*: $(cat "$err")"; return 1; }
}

has() { [[ $'\n'$OUT$'\n' == *$'\n'"$1"$'\n'* ]] || { echo "no line '$1' in:"; printf '%s\n' "$OUT"; return 1; }; }

consumers_bound() {
	ctl status || return 1
	has "  cifs: bound" && has "  ksmbd: bound"
}

no_warning() {
	ctl set client --require-signing 1 --runtime-only || return 1
	[[ $OUT != *Warning* ]] || { echo "set warns with cifs bound: $OUT"; return 1; }
	ctl set server --require-signing 0 --runtime-only || return 1
	[[ $OUT != *Warning* ]] || { echo "set warns with ksmbd bound: $OUT"; return 1; }
}

mount_user() { e2e_mount_user "$MNT" 3.1.1; }
mount_guest() {
	e2e_mount guest "$MNT" "guest,vers=3.1.1,cache=none" ||
		{ echo "guest mount refused: $E2E_MOUNT_ERR"; return 1; }
}
guest_refused() {
	! e2e_mount guest "$MNT" "guest,vers=3.1.1,cache=none" ||
		{ echo "the guest mount connected"; e2e_umount "$MNT"; return 1; }
}
unmount() {
	grep -q " $MNT cifs " /proc/mounts || return 0
	e2e_umount "$MNT"
}

# sessions_json PYTHON: smbsignctl sessions --json, checked by PYTHON
# (the object is s, the sessions of each side client and server).
sessions_json() {
	ctl sessions --json || return 1
	"${E2E_PY[@]}" -c '
import json, sys
s = json.loads(sys.argv[1])["sessions"]
client = [x for x in s if x["side"] == "client"]
server = [x for x in s if x["side"] == "server"]
def one(rows, side):
    if len(rows) != 1:
        sys.exit("%d %s sessions: %r" % (len(rows), side, s))
    return rows[0]
client, server = one(client, "client"), one(server, "server")
'"$1" "$OUT"
}

sessions_user() {
	e2e_copy "$SRC" "$MNT/data" || return 1
	sessions_json '
for x, name in ((client, "127.0.0.1"), (server, None)):
    want = {"address": "127.0.0.1", "name": name, "dialect": "3.1.1",
            "algorithm": "aes-gmac", "logon": "user", "required": True,
            "failed": "0"}
    for k, v in want.items():
        if x[k] != v:
            sys.exit("%s session: %s is %r, expected %r: %r" % (x["side"], k, x[k], v, x))
    if "policy" not in x["why"]:
        sys.exit("%s session: why %r lacks policy" % (x["side"], x["why"]))
    if int(x["signed"]) == 0 or int(x["verified"]) == 0:
        sys.exit("%s session signed or verified nothing: %r" % (x["side"], x))'
}

# After a guest mount with nothing required: both sides name 127.0.0.1 as
# a peer that breaks, and the exception that keeps it working.
audit_breaks() {
	ctl audit --json || return 1
	"${E2E_PY[@]}" -c '
import json, sys
a = json.loads(sys.argv[1])
for side in ("client", "server"):
    rows = [p for p in a["peers"] if p["side"] == side and p["address"] == "127.0.0.1"]
    if len(rows) != 1 or int(rows[0]["guest"]) < 1 or rows[0]["verdict"] != "breaks":
        sys.exit("%s: %r" % (side, a["peers"]))
    if a["suggested_unsigned_peers"][side] != "127.0.0.1":
        sys.exit("suggested %r" % a["suggested_unsigned_peers"])' "$OUT" || return 1
	ctl audit || return 1
	has "  smbsignctl set server --unsigned-peers '127.0.0.1'"
}

guest_policy() { e2e_policy 0 0 1 && e2e_stats_reset; }

exempt_policy() {
	e2e_policy 1 1 0 &&
	ctl set client --unsigned-peers 127.0.0.1 --runtime-only &&
	ctl set server --unsigned-peers 127.0.0.1 --runtime-only &&
	e2e_stats_reset && e2e_mark "exempted guest"
}

exempted_seen() {
	sessions_json '
for x in (client, server):
    if x["logon"] != "guest" or x["required"] or "exempt" not in x["why"]:
        sys.exit("%s session: %r" % (x["side"], x))' || return 1
	local side
	for side in client server; do
		e2e_stat_sum "$side" peer_exempted || return 1
		[ "$E2E_V" -ge 1 ] || { echo "$side peer_exempted is $E2E_V"; return 1; }
	done
	ctl audit --json || return 1
	"${E2E_PY[@]}" -c '
import json, sys
a = json.loads(sys.argv[1])
for side in ("client", "server"):
    rows = [p for p in a["peers"] if p["side"] == side and p["address"] == "127.0.0.1"]
    if len(rows) != 1 or int(rows[0]["exempted"]) < 1 or rows[0]["verdict"] != "exempted":
        sys.exit("%s: %r" % (side, a["peers"]))' "$OUT"
}

other_peer_listed() {
	ctl set client --unsigned-peers 192.0.2.1 --runtime-only &&
	ctl set server --unsigned-peers 192.0.2.1 --runtime-only
}

have_files() {
	local f
	for f in "$PROC/sessions" "$PROC/audit" \
		"$E2E_SYS/client/unsigned_peers" "$E2E_SYS/server/unsigned_peers"; do
		[ -e "$f" ] || { echo "no $f"; return 1; }
	done
}

# shellcheck disable=SC2119 # e2e_begin without --no-ksmbd
main() {
	e2e_begin
	export SMBSIGNCTL_MODPROBE_CONF=$E2E_WORK/smbsign.conf	# never /etc
	e2e_mkdata "$SRC" 1
	e2e_step "status: cifs and ksmbd are bound to smbsign" consumers_bound || true
	e2e_step "set warns about nothing while both are bound" no_warning || true

	e2e_step "smbsign has $PROC/sessions, $PROC/audit and both unsigned_peers" \
		have_files || true
	e2e_step "policy: signing required on both sides" e2e_policy 1 1 0 || true
	e2e_step "a signed user mount" mount_user || true
	e2e_step "sessions: both ends, aes-gmac, required by the policy, signed and verified" \
		sessions_user || true
	e2e_step "unmount" unmount || true

	e2e_step "policy: nothing required, guests allowed; audit emptied" \
		guest_policy || true
	e2e_step "a guest mount connects unsigned" mount_guest || true
	e2e_step "audit: 127.0.0.1 breaks on both sides; the exception to set" audit_breaks || true
	e2e_step "unmount" unmount || true
	e2e_step "signing required on both sides, 127.0.0.1 exempted on both" exempt_policy || true
	e2e_step "the exempted guest mount connects" mount_guest || true
	e2e_step "sessions say exempt, peer_exempted counts, audit says exempted" \
		exempted_seen || true
	e2e_step "a log line names the exempted peer" \
		e2e_log_expect 'smbsign' '127\.0\.0\.1' 'unsigned_peers' || true
	e2e_step "unmount" unmount || true
	e2e_step "another peer listed instead" other_peer_listed || true
	e2e_step "the guest mount is refused" guest_refused || true
	e2e_finish
}

main "$@"
