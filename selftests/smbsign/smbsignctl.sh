#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbsignctl against the real module: every subcommand, exact text output,
# JSON parsed with python3 and compared with the sysfs files, set/get round
# trips, the policy file set saves (in a temporary directory here; the
# reload from /etc/modprobe.d is smbsignctl_boot.sh, explain is
# smbsignctl_explain.sh), the same values accepted and refused by the tool
# and by the kernel, and the error exits (usage 2, module not loaded 3, not
# root 4) with nothing written. Checks of the unsigned_peers files and of
# the /proc/fs/smbsign tables are a SKIP with the reason while the module
# has none.
#
# The tool is $SMBSIGNCTL, else $SMBSIGN_TOP/tools/smbsignctl/smbsignctl
# (make -C tools/smbsignctl). The module is $SMBSIGN_KO, else
# $SMBSIGN_TOP/smbsign/smbsign.ko. Changes the running kernel: run it in a
# VM (tools/testing/vm/selftests). Exit status (kselftest): 0 pass, 1 fail,
# 4 skip.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source-path=SCRIPTDIR source=smbsignctl_lib.sh
. "$(dirname "$0")/smbsignctl_lib.sh"

# ---- informational commands ----

version_cmd() {
	expect_exit 0 --version || return 1
	[[ $OUT =~ ^smbsignctl\ [0-9]+\.[0-9]+\.[0-9]+$'\n' ]] ||
		{ echo "first line is not 'smbsignctl X.Y.Z': $OUT"; return 1; }
	local v
	value v "$SYSFS/version"
	out_has "smbsign module: $v"
}

help_cmds() {
	local h c bad=0
	for h in help --help -h; do
		expect_exit 0 "$h" || { bad=1; continue; }
		for c in get set showconf check-config status stats sessions audit explain; do
			[[ $OUT == *"smbsignctl $c"* ]] || { echo "$h does not list '$c'"; bad=1; }
		done
		for c in "2  usage" "3  the smbsign module is not loaded" "4  permission denied" "5  the kernel rejected"; do
			[[ $OUT == *"$c"* ]] || { echo "$h does not document exit status '$c'"; bad=1; }
		done
	done
	for h in "help set" "set --help" "set client -h"; do
		# shellcheck disable=SC2086 # words
		expect_exit 0 $h || { bad=1; continue; }
		[[ $OUT == *--require-signing* && $OUT == *--unsigned-peers* ]] ||
			{ echo "'$h' does not document --require-signing and --unsigned-peers"; bad=1; }
	done
	expect_exit 2 help nosuch || bad=1
	return "$bad"
}

# What get shows for an empty peer list.
peers_shown() {
	echo '(none)'
}
peers_json() { echo '[]'; }

get_text() {
	local bad=0 p
	p=$(peers_shown)
	expect_exit 0 get client || return 1
	expect_eq "get client" "RequireSecuritySignature         : True
EnableInsecureGuestLogons        : False
AuditServerDoesNotSupportSigning : False
UnsignedPeers                    : $p
SigningAlgorithms                : aes-gmac, aes-cmac, hmac-sha256" "$OUT" || bad=1
	expect_exit 0 get server || return 1
	expect_eq "get server" "RequireSecuritySignature         : False
AuditClientDoesNotSupportSigning : False
UnsignedPeers                    : $p
SigningAlgorithms                : aes-gmac, aes-cmac, hmac-sha256" "$OUT" || bad=1
	return "$bad"
}

get_json() {
	local bad=0 p
	p=$(peers_json)
	expect_exit 0 get client --json || return 1
	json_is "{\"RequireSecuritySignature\": true, \"EnableInsecureGuestLogons\": false,
		\"AuditServerDoesNotSupportSigning\": false, \"UnsignedPeers\": $p,
		\"SigningAlgorithms\": [\"aes-gmac\", \"aes-cmac\", \"hmac-sha256\"]}" || bad=1
	expect_exit 0 get --json server || return 1
	json_is "{\"RequireSecuritySignature\": false,
		\"AuditClientDoesNotSupportSigning\": false, \"UnsignedPeers\": $p,
		\"SigningAlgorithms\": [\"aes-gmac\", \"aes-cmac\", \"hmac-sha256\"]}" || bad=1
	return "$bad"
}

# Python that checks a stats object against the counter files the module
# has: every one, counts as strings.
# shellcheck disable=SC2016 # Python source
readonly STATS_PY='
import os
def check_stats(stats, root):
    want = {}
    for side in ("client", "server"):
        want[side] = {}
        for alg in ("hmac-sha256", "aes-cmac", "aes-gmac"):
            d = "%s/stats/%s/%s" % (root, side, alg)
            want[side][alg] = {}
            for c in os.listdir(d):
                with open(d + "/" + c) as f:
                    want[side][alg][c] = f.read().rstrip("\n")
    if stats != want:
        sys.exit("stats %r\nexpected %r" % (stats, want))
'

status_text() {
	local a v d
	value v "$SYSFS/version"
	expect_exit 0 status || return 1
	out_has "module: loaded" "  version: $v" "consumers:" \
		"  RequireSecuritySignature         : True" \
		"  EnableInsecureGuestLogons        : False" \
		"  RequireSecuritySignature         : False" \
		"  AuditClientDoesNotSupportSigning : False" \
		"  SigningAlgorithms : aes-gmac, aes-cmac, hmac-sha256" \
		"boot policy: $SMBSIGNCTL_MODPROBE_CONF" \
		"  the file does not exist: smbsign loads with its defaults" \
		"  same as the running policy" "counters:" || return 1
	[[ $OUT != *disabled* ]] || { echo "status calls an algorithm disabled"; return 1; }
	for a in $ALGS; do
		value d "$SYSFS/drivers/$a"
		out_has "  $a: $d" || return 1
	done
}

status_json() {
	local p
	p=$(peers_json)
	expect_exit 0 status --json || return 1
	"${PY[@]}" -c "$STATS_PY"'
import json, sys
root, peers = sys.argv[2], json.loads(sys.argv[3])
s = json.load(open(sys.argv[1]))
def rd(p):
    with open(root + "/" + p) as f:
        return f.read().rstrip("\n")
algs = ["aes-gmac", "aes-cmac", "hmac-sha256"]
want = {
    "loaded": True, "sysfs": root, "version": rd("version"),
    "drivers": {a: rd("drivers/" + a) for a in ("hmac-sha256", "aes-cmac", "aes-gmac")},
    "client": {"RequireSecuritySignature": True, "EnableInsecureGuestLogons": False,
               "AuditServerDoesNotSupportSigning": False, "UnsignedPeers": peers,
               "SigningAlgorithms": algs},
    "server": {"RequireSecuritySignature": False, "AuditClientDoesNotSupportSigning": False,
               "UnsignedPeers": peers, "SigningAlgorithms": algs},
    "boot": {"file": sys.argv[4], "exists": False, "errors": 0, "same": True,
             "differences": []},
}
for k, v in want.items():
    if s.get(k) != v:
        sys.exit("status --json: %s is %r, expected %r" % (k, s.get(k), v))
if set(s["consumers"]) != {"cifs", "ksmbd"}:
    sys.exit("status --json: consumers %r" % s["consumers"])
if not isinstance(s.get("tool_version"), str):
    sys.exit("status --json: no tool_version")
check_stats(s["stats"], root)' "$TMP/out" "$SYSFS" "$p" "$SMBSIGNCTL_MODPROBE_CONF"
}

stats_text() {
	local s a c n want line side='' bad=0
	local -a words
	local -A rows=()
	expect_exit 0 stats || return 1
	# "client:" / "server:" start a table; "  counter  n n n" are its rows
	while read -r line; do
		case $line in
		client:|server:) side=${line%:} ;;
		*) [ -z "$side" ] || rows["$side ${line%% *}"]=${line#* } ;;
		esac
	done <<<"$OUT"
	for s in $SIDES; do
		for c in "$SYSFS/stats/$s/aes-gmac"/*; do
			c=${c##*/}
			want=''
			for a in $ALGS; do
				value n "$SYSFS/stats/$s/$a/$c"
				want+=" $n"
			done
			read -ra words <<<"${rows["$s $c"]:-(missing)}"
			expect_eq "stats: the $s $c row" "${want# }" "${words[*]}" || bad=1
		done
	done
	return "$bad"
}

stats_json() {
	expect_exit 0 stats --json || return 1
	"${PY[@]}" -c "$STATS_PY"'
import json, sys
check_stats(json.load(open(sys.argv[1])), sys.argv[2])' "$TMP/out" "$SYSFS"
}

stats_reset() {
	expect_exit 0 stats --reset --json || return 1
	"${PY[@]}" -c "$STATS_PY"'
import json, sys
s = json.load(open(sys.argv[1]))
check_stats(s, sys.argv[2])
if any(v != "0" for side in s.values() for alg in side.values() for v in alg.values()):
    sys.exit("a counter is not 0 after --reset: %r" % s)' "$TMP/out" "$SYSFS"
}

# ---- set ----

# saved PARAM=VALUE...: the file set saved has each, on its options line.
saved() {
	local line kv
	line=$(grep '^options smbsign ' "$SMBSIGNCTL_MODPROBE_CONF") ||
		{ echo "no options line in $SMBSIGNCTL_MODPROBE_CONF"; return 1; }
	for kv in "$@"; do
		[[ " $line " == *" $kv "* ]] || { echo "'$kv' is not in: $line"; return 1; }
	done
}

set_client_require() {
	expect_exit 0 set client --require-signing false || return 1
	out_has "client/require_signing: 1 -> 0" \
		"Saved in $SMBSIGNCTL_MODPROBE_CONF: smbsign loads with this policy from now on." \
		"Warning: cifs is not loaded: the policy is stored, but nothing enforces it until the patched cifs is loaded." || return 1
	file_is client/require_signing 0 && saved client_require_signing=0 || return 1
	expect_exit 0 get client || return 1
	out_has "RequireSecuritySignature         : False" || return 1
	expect_exit 0 set client --require-signing y || return 1
	file_is client/require_signing 1 && saved client_require_signing=1
}

set_client_all() {
	expect_exit 0 set client --allow-insecure-guest on --audit-unsigned-peers=YES --require-signing Off || return 1
	out_has "client/allow_insecure_guest: 0 -> 1" "client/audit_unsigned_peers: 0 -> 1" \
		"client/require_signing: 1 -> 0" || return 1
	file_is client/allow_insecure_guest 1 && file_is client/audit_unsigned_peers 1 &&
		file_is client/require_signing 0 || return 1
	saved client_allow_insecure_guest=1 client_audit_unsigned_peers=1 client_require_signing=0
}

set_server() {
	expect_exit 0 set server --require-signing 1 --audit-unsigned-peers true || return 1
	file_is server/require_signing 1 && file_is server/audit_unsigned_peers 1 || return 1
	saved server_require_signing=1 server_audit_unsigned_peers=1 || return 1
	expect_exit 0 get server || return 1
	out_has "RequireSecuritySignature         : True" \
		"AuditClientDoesNotSupportSigning : True"
}

set_algorithms() {
	expect_exit 0 set algorithms aes-cmac,hmac-sha256 || return 1
	expect_algs "$SYSFS/algorithms" aes-cmac hmac-sha256 || return 1
	saved algorithms=aes-cmac,hmac-sha256 || return 1
	expect_exit 0 set algorithms HMAC-SHA256 Aes-Gmac --runtime-only || return 1
	expect_algs "$SYSFS/algorithms" hmac-sha256 aes-gmac || return 1
	saved algorithms=aes-cmac,hmac-sha256 || return 1
	expect_exit 0 status || return 1
	out_has "    algorithms: running hmac-sha256,aes-gmac, at the next load aes-cmac,hmac-sha256"
}

# The kernel's canonical form: lower case, IPv6 compressed, IPv4-mapped as
# IPv4, /N only when shorter than the address; get and the file show it.
set_peers() {
	expect_exit 0 set client --unsigned-peers 'NAS.Example.COM, 192.0.2.0/24 2001:DB8:0:0::/32 ::ffff:10.0.0.1 10.0.0.2/32' || return 1
	file_is client/unsigned_peers 'nas.example.com,192.0.2.0/24,2001:db8::/32,10.0.0.1,10.0.0.2' || return 1
	saved client_unsigned_peers=nas.example.com,192.0.2.0/24,2001:db8::/32,10.0.0.1,10.0.0.2 || return 1
	expect_exit 0 get client --json || return 1
	json_is --subset '{"UnsignedPeers": ["nas.example.com", "192.0.2.0/24", "2001:db8::/32", "10.0.0.1", "10.0.0.2"]}' || return 1
	expect_exit 0 set server --unsigned-peers '192.0.2.7 2001:db8::7' || return 1
	file_is server/unsigned_peers '192.0.2.7,2001:db8::7' || return 1
	expect_exit 0 set client --unsigned-peers '' || return 1
	file_is client/unsigned_peers '' && saved 'client_unsigned_peers=""'
}

guest_note() {
	expect_exit 0 set client --allow-insecure-guest true --runtime-only || return 1
	out_has "Note: guest sessions stay refused while client/require_signing is 1, except with the servers in client/unsigned_peers."
}

# One grammar: each value is accepted by the tool exactly when the kernel
# accepts it, written straight into the file. KIND FILE VALUE per line.
same_grammar() {
	local kind file val tool kernel bad=0 args
	while IFS='|' read -r kind file val; do
		[ -e "$SYSFS/$file" ] || continue
		defaults
		case $kind in
		algs) args=(set algorithms "$val" --runtime-only) ;;
		*) args=(set "${file%%/*}" "--${file#*/}" "$val" --runtime-only)
		   args[2]=${args[2]//_/-} ;;
		esac
		ctl "${args[@]}"
		tool=$RC
		defaults
		kernel=$("${PY[@]}" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
try:
    os.write(fd, sys.argv[2].encode())
    print(0)
except OSError:
    print(1)' "$SYSFS/$file" "$val")
		if [ "$tool" = 0 ] && [ "$kernel" != 0 ]; then
			echo "$file '$val': the tool accepts it, the kernel refuses it"; bad=1
		elif [ "$tool" != 0 ] && [ "$kernel" = 0 ]; then
			echo "$file '$val': the kernel accepts it, the tool refuses it (exit $tool)"; bad=1
		fi
	done <<'EOF'
bool|client/require_signing|y
bool|client/require_signing|N
bool|client/require_signing|On
bool|client/require_signing|tr
bool|client/require_signing|1x
bool|client/require_signing| 1
bool|client/require_signing|2
bool|server/require_signing|FALSE
algs|algorithms|aes-gmac,,aes-cmac
algs|algorithms| aes-cmac 
algs|algorithms|aes-cmac,aes-cmac
algs|algorithms|[aes-cmac]
algs|algorithms|AES-GMAC hmac-sha256
peers|client/unsigned_peers|nas,10.0.0.0/8
peers|client/unsigned_peers|10.1.2.3/8
peers|client/unsigned_peers|010.0.0.1
peers|client/unsigned_peers|nas.
peers|client/unsigned_peers|-nas
peers|client/unsigned_peers|a_b.example
peers|client/unsigned_peers|2001:db8::/129
peers|client/unsigned_peers|::ffff:1.2.3.4
peers|client/unsigned_peers|1.2.3.4,::ffff:1.2.3.4
peers|client/unsigned_peers|123
peers|server/unsigned_peers|nas
peers|server/unsigned_peers|fe80::1/64
peers|server/unsigned_peers|fe80::/64
EOF
	defaults
	return "$bad"
}

# ---- errors ----

usage_errors() {
	local before after bad=0 args
	policy before
	while IFS= read -r args; do
		eval "expect_exit 2 $args" || bad=1
	done <<'EOF'
frobnicate
--frobnicate
get
get both
get client --bogus
get client server
status --bogus
status extra
stats --bogus
stats extra
showconf extra
sessions extra
audit --bogus
check-config a b
set
set nowhere --require-signing 1
set client
set client --require-signing
set client --require-signing maybe
set client --require-signing 2
set client --require-signing ''
set client --require-signing=
set client --require-signing false --audit-unsigned-peers maybe
set client --audit-unsigned-peers 1 --bogus 1
set client --require-signing 1 --require-signing 0
set client require-signing 1
set server --allow-insecure-guest true
set server --require-signing 0 --allow-insecure-guest 1
set client --unsigned-peers 10.1.2.3/8
set server --unsigned-peers nas
set algorithms
set algorithms ''
set algorithms ,
set algorithms aes-cmac,bogus
set algorithms aes-cmac aes-cmac
set algorithms aes-cmac,AES-CMAC
set algorithms aes-cmac --json
explain
EOF
	expect_exit 2 || bad=1
	policy after
	expect_eq "policy after the usage errors" "$before" "$after" || bad=1
	[ ! -e "$SMBSIGNCTL_MODPROBE_CONF" ] || { echo "a usage error wrote $SMBSIGNCTL_MODPROBE_CONF"; bad=1; }
	return "$bad"
}

not_root() {
	local before after bad=0
	echo 0 >"$SYSFS/server/require_signing"
	policy before
	expect_exit 4 --as-nobody set client --require-signing false || bad=1
	expect_exit 4 --as-nobody set server --require-signing true --audit-unsigned-peers 1 || bad=1
	expect_exit 4 --as-nobody set algorithms aes-cmac || bad=1
	expect_exit 4 --as-nobody stats --reset || bad=1
	policy after
	expect_eq "policy after the unprivileged writes" "$before" "$after" || bad=1
	return "$bad"
}

nobody_reads() {
	local root_out
	expect_exit 0 get client || return 1
	root_out=$OUT
	expect_exit 0 --as-nobody get client || return 1
	expect_eq "get client as nobody" "$root_out" "$OUT" || return 1
	expect_exit 0 --as-nobody status --json || return 1
	expect_exit 0 --as-nobody stats || return 1
	expect_exit 0 --as-nobody showconf
}

# ---- the /proc/fs/smbsign tables, with no SMB module loaded ----

tables_empty() {
	expect_exit 0 sessions || return 1
	out_is "No SMB2/SMB3 session uses smbsign." || return 1
	expect_exit 0 sessions --json || return 1
	json_is '{"sessions": []}' || return 1
	expect_exit 0 stats --reset && expect_exit 0 audit --json || return 1
	json_is --subset '{"peers": []}'
}

tables_root_only() {
	expect_exit 4 --as-nobody sessions && expect_exit 4 --as-nobody audit
}

not_loaded() {
	local bad=0 args
	module_unload || return 1
	while IFS= read -r args; do
		eval "expect_exit 3 $args" || bad=1
	done <<'EOF'
get client
get server --json
set client --require-signing 1
set server --audit-unsigned-peers 0
set algorithms aes-cmac
stats
stats --json
stats --reset
showconf
sessions
audit
EOF
	expect_exit 3 status || bad=1
	out_has "module: not loaded" || bad=1
	expect_exit 3 status --json || bad=1
	json_is --subset "{\"loaded\": false, \"sysfs\": \"$SYSFS\"}" || bad=1
	expect_exit 0 --version || bad=1
	out_has "smbsign module: not loaded" || bad=1
	expect_exit 2 set client --require-signing maybe || bad=1
	expect_exit 0 explain 0xc000a000 || bad=1
	return "$bad"
}

main() {
	ctl_test_start
	step "insmod smbsign.ko" module_load || finish
	step "$SYSFS exists" test -d "$SYSFS" || finish
	step "--version shows the tool and module versions" version_cmd || true
	step "help, --help, -h, help set, set --help" help_cmds || true
	step "get client|server print the PowerShell fields" get_text || true
	step "get --json is valid JSON with the same fields" get_json || true
	step "status shows module, consumers, drivers, policy, boot policy, counters" status_text || true
	step "status --json matches the sysfs files" status_json || true
	step "stats shows every counter" stats_text || true
	step "stats --json matches the counter files" stats_json || true
	step "stats --reset as root" stats_reset || true

	step "set client --require-signing, then get; the file saved" set_client_require || true
	defaults
	step "set client with three options, then get --json" set_client_all || true
	defaults
	step "set server, then get" set_server || true
	defaults
	step "set algorithms; --runtime-only leaves the file" set_algorithms || true
	defaults
	step "set --unsigned-peers: the kernel's canonical form in get and the file" set_peers || true
	defaults
	step "set --allow-insecure-guest notes that signing still refuses guests" guest_note || true
	defaults
	step "the tool accepts exactly the values the kernel accepts" same_grammar || true
	rm -f "$SMBSIGNCTL_MODPROBE_CONF"

	step "usage errors exit 2 with one stderr line and write nothing" usage_errors || true
	step "a non-root user gets exit 4 and nothing is written" not_root || true
	step "a non-root user can get, status, stats and showconf" nobody_reads || true
	defaults
	step "sessions and audit with no SMB module: empty tables" tables_empty || true
	step "sessions and audit are root-only: exit 4" tables_root_only || true

	step "module not loaded: exit 3, status says so" not_loaded || true
	step "kernel log has no warnings, no new B/D/W/L taint" kernel_clean || true
	finish
}

main "$@"
