# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: status and stats. Source it; it only defines things.

set_counters() {
	local d=$SMBSIGNCTL_SYSFS/stats
	echo 18446744073709551615 >"$d/client/aes-gmac/bytes_signed"
	echo 12 >"$d/client/aes-cmac/signed"
	echo 3 >"$d/server/hmac-sha256/verify_failed"
	echo 7 >"$d/server/aes-gmac/peer_exempted"
	echo 4096 >"$d/server/aes-gmac/bytes_verified"
}

COUNTERS_TEXT="client:
                     hmac-sha256  aes-cmac              aes-gmac
  signed                       0        12                     0
  verified                     0         0                     0
  verify_failed                0         0                     0
  unsigned_rejected            0         0                     0
  guest_refused                0         0                     0
  nonce_refused                0         0                     0
  peer_exempted                0         0                     0
  bytes_signed                 0         0  18446744073709551615
  bytes_verified               0         0                     0

server:
                     hmac-sha256  aes-cmac  aes-gmac
  signed                       0         0         0
  verified                     0         0         0
  verify_failed                3         0         0
  unsigned_rejected            0         0         0
  guest_refused                0         0         0
  nonce_refused                0         0         0
  peer_exempted                0         0         7
  bytes_signed                 0         0         0
  bytes_verified               0         0      4096"

status_text() {
	fresh
	set_counters
	module_bound cifs
	module_stock ksmbd
	echo '[aes-gmac] aes-cmac hmac-sha256' >"$SMBSIGNCTL_SYSFS/algorithms"
	echo 'nas' >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"
	expect_exit 0 status || return 1
	out_is "module: loaded
  version: 0.2.0
  sysfs: $SMBSIGNCTL_SYSFS

consumers:
  cifs: bound
  ksmbd: loaded, NOT using smbsign (stock module): policy not enforced

drivers:
  hmac-sha256: hmac(sha256-avx2)
  aes-cmac: cmac(aes-aesni)
  aes-gmac: generic-gcm-aesni

client:
  RequireSecuritySignature         : True
  EnableInsecureGuestLogons        : False
  AuditServerDoesNotSupportSigning : False
  UnsignedPeers                    : nas

server:
  RequireSecuritySignature         : False
  AuditClientDoesNotSupportSigning : False
  UnsignedPeers                    : (none)

both sides:
  SigningAlgorithms : aes-gmac
  SMB 3.1.1 negotiates these, in this order. SMB 2.0.2 and 2.1 always
  sign with hmac-sha256, SMB 3.0 and 3.0.2 with aes-cmac.
  aes-cmac is not listed, yet SMB 3.1.1 signs with it when client and
  server share none of the listed algorithms.

boot policy: $SMBSIGNCTL_MODPROBE_CONF
  the file does not exist: smbsign loads with its defaults
  differs from the running policy ('smbsignctl set' saves it, 'smbsignctl showconf' shows it):
    client_unsigned_peers: running nas, at the next load \"\" (not set: the module's default)

counters:
$(sed 's/^./  &/' <<<"$COUNTERS_TEXT")" || return 1
	[[ $OUT != *disabled* ]] || { echo "status calls an algorithm disabled"; return 1; }
}

# Nothing bound: said plainly, the policy is not enforced.
status_no_consumer() {
	fresh
	expect_exit 0 status || return 1
	out_has "  cifs: not loaded" "  ksmbd: not loaded" \
		"  no SMB module uses smbsign: the policy below is not enforced"
}

# The JSON counts as strings, exact whatever the parser.
STATS_JSON=$("${PY[@]}" -c '
import json, sys
s = {side: {alg: {c: "0" for c in sys.argv[1].split()}
        for alg in ("hmac-sha256", "aes-cmac", "aes-gmac")} for side in ("client", "server")}
s["client"]["aes-gmac"]["bytes_signed"] = "18446744073709551615"
s["client"]["aes-cmac"]["signed"] = "12"
s["server"]["hmac-sha256"]["verify_failed"] = "3"
s["server"]["aes-gmac"]["peer_exempted"] = "7"
s["server"]["aes-gmac"]["bytes_verified"] = "4096"
print(json.dumps(s))' "$TREE_COUNTERS")

status_json() {
	fresh
	set_counters
	module_bound ksmbd
	echo '[aes-cmac] aes-gmac hmac-sha256' >"$SMBSIGNCTL_SYSFS/algorithms"
	echo '192.0.2.0/24,2001:db8::1' >"$SMBSIGNCTL_SYSFS/server/unsigned_peers"
	expect_exit 0 status --json || return 1
	json_is "{\"loaded\": true, \"sysfs\": \"$SMBSIGNCTL_SYSFS\", \"version\": \"0.2.0\",
		\"tool_version\": \"$("$CTL" --version | sed -n '1s/^smbsignctl //p')\",
		\"consumers\": {\"cifs\": \"not-loaded\", \"ksmbd\": \"bound\"},
		\"drivers\": {\"hmac-sha256\": \"hmac(sha256-avx2)\",
			\"aes-cmac\": \"cmac(aes-aesni)\", \"aes-gmac\": \"generic-gcm-aesni\"},
		\"client\": {\"RequireSecuritySignature\": true, \"EnableInsecureGuestLogons\": false,
			\"AuditServerDoesNotSupportSigning\": false, \"UnsignedPeers\": [],
			\"SigningAlgorithms\": [\"aes-cmac\"]},
		\"server\": {\"RequireSecuritySignature\": false,
			\"AuditClientDoesNotSupportSigning\": false,
			\"UnsignedPeers\": [\"192.0.2.0/24\", \"2001:db8::1\"],
			\"SigningAlgorithms\": [\"aes-cmac\"]},
		\"boot\": {\"file\": \"$SMBSIGNCTL_MODPROBE_CONF\", \"exists\": false,
			\"errors\": 0, \"same\": false, \"differences\": [
			{\"option\": \"server_unsigned_peers\",
			 \"running\": \"192.0.2.0/24,2001:db8::1\", \"boot\": \"\"}]},
		\"stats\": $STATS_JSON}"
}

# Strings from sysfs are escaped: quotes, backslashes, control characters,
# bytes that are not UTF-8 (U+FFFD); valid UTF-8 passes.
json_escaping() {
	fresh
	printf 'a"b\\c\td\001e\n' >"$SMBSIGNCTL_SYSFS/drivers/aes-cmac"
	printf 'x\377y\303\251z\355\240\200\n' >"$SMBSIGNCTL_SYSFS/drivers/aes-gmac"
	printf 'line1\nline2\n' >"$SMBSIGNCTL_SYSFS/version"
	expect_exit 0 status --json || return 1
	"${PY[@]}" -c '
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
want = {"aes-cmac": "a\"b\\c\td\x01e", "aes-gmac": "x\ufffdy\u00e9z\ufffd\ufffd\ufffd"}
for k, v in want.items():
    if s["drivers"][k] != v:
        sys.exit("drivers/%s: %r, expected %r" % (k, s["drivers"][k], v))
if s["version"] != "line1\nline2":
    sys.exit("version: %r" % s["version"])' "$TMP/out"
}

stats_text() {
	fresh
	set_counters
	expect_exit 0 stats || return 1
	out_is "$COUNTERS_TEXT"
}

stats_json() {
	fresh
	set_counters
	expect_exit 0 stats --json || return 1
	json_is "$STATS_JSON"
}

# A module older than the tool lacks newer counters: left out, not an
# error.
stats_old_module() {
	local s a
	fresh
	for s in $SIDES; do
		for a in $ALGS; do
			rm "$SMBSIGNCTL_SYSFS/stats/$s/$a/peer_exempted"
		done
	done
	expect_exit 0 stats || return 1
	[[ $OUT != *peer_exempted* ]] || { echo "shows a counter that does not exist"; return 1; }
	expect_exit 0 stats --json || return 1
	[[ $OUT != *peer_exempted* ]] || { echo "shows a counter that does not exist"; return 1; }
}

stats_reset() {
	fresh
	expect_exit 0 stats --reset || return 1
	chmod 0600 "$SMBSIGNCTL_SYSFS/stats/reset"	# to read what was written
	expect_content "$SMBSIGNCTL_SYSFS/stats/reset" '1\n' || return 1
	out_has "client:"
}

bad_counters() {
	local v bad=0
	for v in 12x '' -1 18446744073709551616 007 ' 7'; do
		fresh
		echo "$v" >"$SMBSIGNCTL_SYSFS/stats/server/aes-cmac/verified"
		expect_exit 1 stats || { echo "(counter '$v')"; bad=1; }
	done
	fresh
	rm "$SMBSIGNCTL_SYSFS/drivers/aes-gmac"
	expect_exit 1 status && err_has "drivers/aes-gmac" || bad=1
	return "$bad"
}
