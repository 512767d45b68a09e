# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: sessions and audit, against tables in fixtures/ and broken
# ones made here. Source it; it only defines things.

# table NAME [FILE]: /proc/fs/smbsign/NAME is FILE (default: the fixture),
# root-only as in the kernel.
table() {
	cp "${2:-$HERE/fixtures/$1}" "$SMBSIGNCTL_PROCFS/$1"
	chmod 0400 "$SMBSIGNCTL_PROCFS/$1"
}

sessions_text() {
	fresh
	table sessions
	expect_exit 0 sessions || return 1
	out_is "SIDE    PEER          NAME              SESSION             DIALECT  ALGORITHM    LOGON      REQUIRED  WHY                              SIGNED  VERIFIED  FAILED
client  192.0.2.10    nas               0x0000000000001234  3.1.1    aes-gmac     user       yes       policy,peer                          12        11       0
client  2001:db8::10  nas6.example.com  0x00000000abcdef01  3.0.2    aes-cmac     user       no        -                                     3         0       0
client  fe80::1       Überserver        0xffffffffffffffff  2.0.2    hmac-sha256  anonymous  no        exempt                                0         0       0
server  198.51.100.7  -                 0x0000000000000042  2.1      hmac-sha256  user       yes       local,policy,peer  18446744073709551615         5       1
server  -             -                 0x0000000000000043  -        -            -          no        -                                     0         0       0

Not requiring signing: 3 of 5 sessions; their messages may arrive unsigned ('smbsignctl audit' tells which peers would break if signing were required)."
}

sessions_json() {
	fresh
	table sessions
	expect_exit 0 sessions --json || return 1
	json_is '{"sessions": [
 {"side": "client", "address": "192.0.2.10", "name": "nas", "session_id": "0x0000000000001234",
  "dialect": "3.1.1", "algorithm": "aes-gmac", "logon": "user", "required": true,
  "why": ["policy", "peer"], "signed": "12", "verified": "11", "failed": "0"},
 {"side": "client", "address": "2001:db8::10", "name": "nas6.example.com",
  "session_id": "0x00000000abcdef01", "dialect": "3.0.2", "algorithm": "aes-cmac",
  "logon": "user", "required": false, "why": [], "signed": "3", "verified": "0", "failed": "0"},
 {"side": "client", "address": "fe80::1", "name": "\u00dcberserver",
  "session_id": "0xffffffffffffffff", "dialect": "2.0.2", "algorithm": "hmac-sha256",
  "logon": "anonymous", "required": false, "why": ["exempt"], "signed": "0",
  "verified": "0", "failed": "0"},
 {"side": "server", "address": "198.51.100.7", "name": null, "session_id": "0x0000000000000042",
  "dialect": "2.1", "algorithm": "hmac-sha256", "logon": "user", "required": true,
  "why": ["local", "policy", "peer"], "signed": "18446744073709551615", "verified": "5",
  "failed": "1"},
 {"side": "server", "address": null, "name": null, "session_id": "0x0000000000000043",
  "dialect": null, "algorithm": null, "logon": null, "required": false, "why": [],
  "signed": "0", "verified": "0", "failed": "0"}]}'
}

sessions_empty() {
	fresh
	expect_exit 0 sessions || return 1
	out_is "No SMB2/SMB3 session uses smbsign." || return 1
	expect_exit 0 sessions --json || return 1
	json_is '{"sessions": []}'
}

# Each broken table: exit 1, one error line naming the file and the line.
# CASE: the line after the header, or @FILE for a whole file.
sessions_malformed() {
	local line bad=0 want
	local ok='client 192.0.2.10 nas 0x0000000000001234 3.1.1 aes-gmac user yes policy 1 1 0'
	while IFS='|' read -r want line; do
		fresh
		printf '%s\n%s\n' "$SESSIONS_HEADER" "$(printf '%b' "$line")" >"$TMP/t"
		table sessions "$TMP/t"
		expect_exit 1 sessions || { echo "(line '$line')"; bad=1; continue; }
		err_has "$SMBSIGNCTL_PROCFS/sessions" && err_has "$want" ||
			{ echo "(line '$line')"; bad=1; }
	done <<EOF
line 2 has 11 fields, expected 12|${ok% 0}
line 2 has 13 fields, expected 12|$ok 0
side 'both'|${ok/client/both}
address '192.0.2.300'|${ok/192.0.2.10/192.0.2.300}
address 'nas'|${ok/192.0.2.10/nas}
session_id '0x1234'|${ok/0x0000000000001234/0x1234}
session_id '0x000000000000ABCD'|${ok/0x0000000000001234/0x000000000000ABCD}
dialect '3.1'|${ok/3.1.1/3.1}
algorithm 'aes-ccm'|${ok/aes-gmac/aes-ccm}
logon 'root'|${ok/user/root}
required 'true'|${ok/yes/true}
why 'policy,policy'|${ok/policy/policy,policy}
why 'mount'|${ok/policy/mount}
why 'policy,'|${ok/policy/policy,}
signed '01'|${ok/yes policy 1/yes policy 01}
failed '18446744073709551616'|${ok% 0} 18446744073709551616
failed '-1'|${ok% 0} -1
field 6 is empty|${ok/3.1.1 /3.1.1  }
field 13 is empty|$ok\x20
field 3 holds a control character|${ok/nas/n\\x01s}
EOF
	# whole files
	fresh
	printf 'side address\n' >"$TMP/t"
	table sessions "$TMP/t"
	expect_exit 1 sessions && err_has "unexpected header" || bad=1
	: >"$TMP/t"
	table sessions "$TMP/t"
	expect_exit 1 sessions && err_has "is empty: no header line" || bad=1
	printf '%s\n%s' "$SESSIONS_HEADER" "$ok" >"$TMP/t"
	table sessions "$TMP/t"
	expect_exit 1 sessions && err_has "line 2 does not end with a newline" || bad=1
	printf '%s\n%s\0\n' "$SESSIONS_HEADER" "$ok" >"$TMP/t"
	table sessions "$TMP/t"
	expect_exit 1 sessions && err_has "holds a NUL byte" || bad=1
	return "$bad"
}

proc_missing() {
	fresh
	rm "$SMBSIGNCTL_PROCFS/sessions" "$SMBSIGNCTL_PROCFS/audit"
	expect_exit 1 sessions || return 1
	err_has "$SMBSIGNCTL_PROCFS/sessions does not exist: the loaded smbsign module is older than this tool" || return 1
	expect_exit 1 audit --json || return 1
	rm -rf "$SMBSIGNCTL_SYSFS"
	expect_exit 3 sessions && expect_exit 3 audit
}

# The tables are root-only: exit 4 for anyone else.
proc_not_root() {
	fresh
	chmod 0755 "$TMP"
	expect_exit 4 --as-nobody sessions || return 1
	err_has "Permission denied (run as root)" || return 1
	expect_exit 4 --as-nobody audit
}

# A policy for the audit fixture: the client allows guests and does not
# require signing, with two exceptions; the server requires signing.
audit_policy() {
	echo 0 >"$SMBSIGNCTL_SYSFS/client/require_signing"
	echo 1 >"$SMBSIGNCTL_SYSFS/client/allow_insecure_guest"
	echo '10.0.0.0/8,nas4' >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"
	echo 1 >"$SMBSIGNCTL_SYSFS/server/require_signing"
}

audit_text() {
	fresh
	audit_policy
	table audit
	SMBSIGNCTL_BOOTTIME=100000 expect_exit 0 audit || return 1
	out_is "client: require_signing 0, unsigned_peers 10.0.0.0/8,nas4
server: require_signing 1, unsigned_peers (none)

SIDE    PEER             NAME  UNSIGNED  GUEST  ANONYMOUS  EXEMPTED  LAST SEEN  VERDICT
client  192.0.2.20       nas2         0      3          0         0  100s ago   BREAKS: guest/anonymous sessions cannot sign
client  192.0.2.30       -           12      0          0         0  2h ago     ok: user sessions, they sign when signing is required
client  10.1.2.3         -            0      2          0         2  16m ago    exempted: listed in unsigned_peers
client  2001:db8::44     NAS4         0      1          0         1  0s ago     exempted: listed in unsigned_peers
server  2001:db8:0:1::7  -            0      0          1         0  25h ago    REFUSED now: guest/anonymous sessions cannot sign
server  198.51.100.9     -            5      0          0         0  0s ago     ok: user sessions, they sign when signing is required
server  203.0.113.5      -            0      4          1         0  27h ago    REFUSED now: guest/anonymous sessions cannot sign

client: 1 peer with guest or anonymous sessions, which cannot sign (0 refused now, 1 once client/require_signing is 1).
Rather than turning signing off for every peer, exempt only these:
  smbsignctl set client --unsigned-peers '10.0.0.0/8,nas4,nas2'

server: 2 peers with guest or anonymous sessions, which cannot sign (2 refused now, 0 once server/require_signing is 1).
Rather than turning signing off for every peer, exempt only these:
  smbsignctl set server --unsigned-peers '2001:db8:0:1::7,203.0.113.5'" || return 1
	# the suggestion is what set takes
	expect_exit 0 set client --unsigned-peers '10.0.0.0/8,nas4,nas2' --runtime-only
}

audit_json() {
	fresh
	audit_policy
	table audit
	expect_exit 0 audit --json || return 1
	"${PY[@]}" -c '
import json, sys
a = json.load(open(sys.argv[1]))
got = [(p["side"], p["address"], p["name"], p["guest"], p["last_seen"], p["listed"],
        p["verdict"]) for p in a["peers"]]
want = [("client", "192.0.2.20", "nas2", "3", "99900", False, "breaks"),
        ("client", "192.0.2.30", None, "0", "90000", False, "ok"),
        ("client", "10.1.2.3", None, "2", "99000", True, "exempted"),
        ("client", "2001:db8::44", "NAS4", "1", "100000", True, "exempted"),
        ("server", "2001:db8:0:1::7", None, "0", "10000", False, "refused"),
        ("server", "198.51.100.9", None, "0", "100100", False, "ok"),
        ("server", "203.0.113.5", None, "4", "0", False, "refused")]
if got != want:
    sys.exit("peers %r\nexpected %r" % (got, want))
if a["suggested_unsigned_peers"] != {"client": "10.0.0.0/8,nas4,nas2",
                                     "server": "2001:db8:0:1::7,203.0.113.5"}:
    sys.exit("suggested %r" % a["suggested_unsigned_peers"])
if a["client"]["UnsignedPeers"] != ["10.0.0.0/8", "nas4"]:
    sys.exit("client %r" % a["client"])' "$TMP/out"
}

# An IPv4-mapped address matches an IPv4 entry; guests of a client that
# does not allow them are refused now; nothing to suggest: said so.
audit_matching() {
	fresh
	echo '192.0.2.0/24' >"$SMBSIGNCTL_SYSFS/server/unsigned_peers"
	printf '%s\n%s\n%s\n' "$AUDIT_HEADER" \
		'server ::ffff:192.0.2.9 - 0 1 0 1 5' \
		'client - - 0 1 0 0 5' >"$TMP/t"
	table audit "$TMP/t"
	SMBSIGNCTL_BOOTTIME=5 expect_exit 0 audit || return 1
	out_has "server  ::ffff:192.0.2.9  -            0      1          0         1  0s ago     exempted: listed in unsigned_peers" \
		"client  -                 -            0      1          0         0  0s ago     REFUSED now: guest/anonymous sessions cannot sign" \
		"No address or name is known to exempt: see 'smbsignctl sessions'."
}

audit_empty() {
	fresh
	SMBSIGNCTL_BOOTTIME=1 expect_exit 0 audit || return 1
	out_has "No peer recorded yet: the table fills as SMB sessions are set up ('smbsignctl stats --reset' empties it)." || return 1
	expect_exit 0 audit --json || return 1
	json_is --subset '{"peers": [], "suggested_unsigned_peers": {"client": null, "server": null}}'
}

audit_malformed() {
	local line bad=0 want
	local ok='client 192.0.2.20 nas2 0 3 0 0 99900'
	while IFS='|' read -r want line; do
		fresh
		printf '%s\n%s\n' "$AUDIT_HEADER" "$line" >"$TMP/t"
		table audit "$TMP/t"
		expect_exit 1 audit || { echo "(line '$line')"; bad=1; continue; }
		err_has "$want" || { echo "(line '$line')"; bad=1; }
	done <<EOF
line 2 has 7 fields, expected 8|${ok% 99900}
address '2001:db8::g'|${ok/192.0.2.20/2001:db8::g}
guest 'x'|${ok/ 3 / x }
last_seen '1e5'|${ok/99900/1e5}
EOF
	fresh
	printf '%s\n' "$SESSIONS_HEADER" >"$TMP/t"
	table audit "$TMP/t"
	expect_exit 1 audit && err_has "unexpected header" || bad=1
	return "$bad"
}

bad_boottime() {
	fresh
	SMBSIGNCTL_BOOTTIME=soon expect_exit 2 audit || return 1
	err_has "SMBSIGNCTL_BOOTTIME='soon' is not a number of seconds"
}
