#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbsignctl against the real module: every subcommand, exact text output,
# JSON parsed with python3 and compared with the sysfs files, set/get round
# trips and the printed modprobe.d line (reloading the module with it), the
# error exits (usage 2, module not loaded 3, not root 4) with nothing
# written, explain for every code form, and the fixes explain prints.
#
# The tool is $SMBSIGNCTL, else $SMBSIGN_TOP/tools/smbsignctl/smbsignctl
# (make -C tools/smbsignctl). The module is $SMBSIGN_KO, else
# $SMBSIGN_TOP/smbsign/smbsign.ko. Changes the running kernel: run it in a
# VM (tools/testing/vm/selftests). Exit status (kselftest): 0 pass, 1 fail,
# 4 skip.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

CTL=${SMBSIGNCTL:-$SMBSIGN_TOP/tools/smbsignctl/smbsignctl}
unset SMBSIGNCTL_SYSFS
TMP=

cleanup() {
	module_unload >/dev/null 2>&1 || true
	[ -z "$TMP" ] || rm -rf "$TMP"
}

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
		for c in get set status stats explain; do
			[[ $OUT == *"smbsignctl $c"* ]] || { echo "$h does not list '$c'"; bad=1; }
		done
		for c in "2  usage" "3  the smbsign module is not loaded" "4  permission denied" "5  the kernel rejected"; do
			[[ $OUT == *"$c"* ]] || { echo "$h does not document exit status '$c'"; bad=1; }
		done
	done
	for h in "help set" "set --help" "set client -h"; do
		# shellcheck disable=SC2086 # words
		expect_exit 0 $h || { bad=1; continue; }
		[[ $OUT == *--require-signing* ]] || { echo "'$h' does not document --require-signing"; bad=1; }
	done
	expect_exit 2 help nosuch || bad=1
	return "$bad"
}

get_text() {
	local bad=0
	expect_exit 0 get client || return 1
	expect_eq "get client" "RequireSecuritySignature         : True
EnableInsecureGuestLogons        : False
AuditServerDoesNotSupportSigning : False
SigningAlgorithms                : AES-GMAC, AES-CMAC, HMAC-SHA256" "$OUT" || bad=1
	expect_exit 0 get server || return 1
	expect_eq "get server" "RequireSecuritySignature         : False
AuditClientDoesNotSupportSigning : False
SigningAlgorithms                : AES-GMAC, AES-CMAC, HMAC-SHA256" "$OUT" || bad=1
	return "$bad"
}

get_json() {
	local bad=0
	expect_exit 0 get client --json || return 1
	json_is '{"RequireSecuritySignature": true, "EnableInsecureGuestLogons": false,
		"AuditServerDoesNotSupportSigning": false,
		"SigningAlgorithms": ["AES-GMAC", "AES-CMAC", "HMAC-SHA256"]}' || bad=1
	expect_exit 0 get --json server || return 1
	json_is '{"RequireSecuritySignature": false,
		"AuditClientDoesNotSupportSigning": false,
		"SigningAlgorithms": ["AES-GMAC", "AES-CMAC", "HMAC-SHA256"]}' || bad=1
	return "$bad"
}

# Python that checks a stats object against the counter files.
# shellcheck disable=SC2016 # Python source
readonly STATS_PY='
def check_stats(stats, root):
    want = {}
    for side in ("client", "server"):
        want[side] = {}
        for alg in ("hmac-sha256", "aes-cmac", "aes-gmac"):
            want[side][alg] = {}
            for c in ("signed", "verified", "verify_failed", "unsigned_rejected",
                      "guest_refused", "nonce_refused", "bytes_signed",
                      "bytes_verified"):
                with open("%s/stats/%s/%s/%s" % (root, side, alg, c)) as f:
                    want[side][alg][c] = int(f.read())
    if stats != want:
        sys.exit("stats %r\nexpected %r" % (stats, want))
'

status_text() {
	local a v d
	value v "$SYSFS/version"
	expect_exit 0 status || return 1
	out_has "module: loaded" "  version: $v" \
		"  require signing: yes" "  allow insecure guest: no" \
		"  require signing: no" "  audit unsigned peers: no" \
		"algorithms: aes-gmac, aes-cmac, hmac-sha256" \
		"disabled algorithms: none" "counters:" || return 1
	for a in $ALGS; do
		value d "$SYSFS/drivers/$a"
		out_has "  $a: $d" || return 1
	done
}

status_json() {
	expect_exit 0 status --json || return 1
	"${PY[@]}" -c "$STATS_PY"'
import json, sys
root = sys.argv[2]
s = json.load(open(sys.argv[1]))
def rd(p):
    with open(root + "/" + p) as f:
        return f.read().rstrip("\n")
want = {
    "loaded": True, "sysfs": root, "version": rd("version"),
    "drivers": {a: rd("drivers/" + a) for a in ("hmac-sha256", "aes-cmac", "aes-gmac")},
    "client": {"require_signing": True, "allow_insecure_guest": False,
               "audit_unsigned_peers": False},
    "server": {"require_signing": False, "audit_unsigned_peers": False},
    "algorithms": ["aes-gmac", "aes-cmac", "hmac-sha256"],
    "disabled_algorithms": [],
}
for k, v in want.items():
    if s.get(k) != v:
        sys.exit("status --json: %s is %r, expected %r" % (k, s.get(k), v))
if not isinstance(s.get("tool_version"), str):
    sys.exit("status --json: no tool_version")
check_stats(s["stats"], root)' "$TMP/out" "$SYSFS"
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
		for c in $COUNTERS; do
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
if any(v for side in s.values() for alg in side.values() for v in alg.values()):
    sys.exit("a counter is not 0 after --reset: %r" % s)' "$TMP/out" "$SYSFS"
}

# ---- set ----

# set_ok EXPECTED_OPTIONS_LINE ARGS...: set succeeds and its last line is
# the modprobe.d line; every other line is a comment.
set_ok() {
	local want=$1 l
	shift
	expect_exit 0 set "$@" || return 1
	expect_eq "last line of 'smbsignctl set $*'" "$want" "$(last_line)" || return 1
	while IFS= read -r l; do
		[[ $l == "#"* || $l == "$want" ]] && continue
		echo "set printed a line that is neither a comment nor the options line: $l"
		return 1
	done <<<"$OUT"
}

last_line() { printf '%s' "${OUT##*$'\n'}"; }

# file_is FILE VALUE: $SYSFS/FILE reads VALUE and a newline.
file_is() { expect_content "$SYSFS/$1" "$2\\n"; }

set_client_require() {
	set_ok "options smbsign client_require_signing=0" client --require-signing false || return 1
	out_has "# client/require_signing: 1 -> 0" || return 1
	file_is client/require_signing 0 || return 1
	expect_exit 0 get client || return 1
	out_has "RequireSecuritySignature         : False" || return 1
	set_ok "options smbsign client_require_signing=1" client --require-signing TRUE || return 1
	file_is client/require_signing 1 || return 1
	expect_exit 0 get client --json || return 1
	json_is '{"RequireSecuritySignature": true, "EnableInsecureGuestLogons": false,
		"AuditServerDoesNotSupportSigning": false,
		"SigningAlgorithms": ["AES-GMAC", "AES-CMAC", "HMAC-SHA256"]}'
}

set_client_all() {
	set_ok "options smbsign client_allow_insecure_guest=1 client_audit_unsigned_peers=1 client_require_signing=0" \
		client --allow-insecure-guest on --audit-unsigned-peers=YES --require-signing Off || return 1
	file_is client/allow_insecure_guest 1 && file_is client/audit_unsigned_peers 1 &&
		file_is client/require_signing 0 || return 1
	expect_exit 0 get client --json || return 1
	json_is '{"RequireSecuritySignature": false, "EnableInsecureGuestLogons": true,
		"AuditServerDoesNotSupportSigning": true,
		"SigningAlgorithms": ["AES-GMAC", "AES-CMAC", "HMAC-SHA256"]}'
}

set_server() {
	set_ok "options smbsign server_require_signing=1 server_audit_unsigned_peers=1" \
		server --require-signing 1 --audit-unsigned-peers true || return 1
	file_is server/require_signing 1 && file_is server/audit_unsigned_peers 1 || return 1
	expect_exit 0 get server || return 1
	out_has "RequireSecuritySignature         : True" \
		"AuditClientDoesNotSupportSigning : True"
}

set_algorithms() {
	set_ok "options smbsign algorithms=aes-cmac,hmac-sha256" algorithms aes-cmac,hmac-sha256 || return 1
	expect_algs "$SYSFS/algorithms" aes-cmac hmac-sha256 || return 1
	expect_exit 0 get client || return 1
	out_has "SigningAlgorithms                : AES-CMAC, HMAC-SHA256" || return 1
	set_ok "options smbsign algorithms=hmac-sha256,aes-gmac" algorithms HMAC-SHA256 Aes-Gmac || return 1
	expect_algs "$SYSFS/algorithms" hmac-sha256 aes-gmac || return 1
	expect_exit 0 get server --json || return 1
	json_is '{"RequireSecuritySignature": false,
		"AuditClientDoesNotSupportSigning": false,
		"SigningAlgorithms": ["HMAC-SHA256", "AES-GMAC"]}'
}

guest_note() {
	expect_exit 0 set client --allow-insecure-guest true || return 1
	[[ $'\n'$OUT == *$'\n''# Note: guest sessions stay refused'* ]] ||
		{ echo "no note that guests stay refused while signing is required:"; printf '%s\n' "$OUT"; return 1; }
}

# The options lines set prints, loaded with insmod, give the same policy.
options_line_loads() {
	local params=() before after line
	set_ok "options smbsign client_require_signing=0 client_allow_insecure_guest=1" \
		client --require-signing no --allow-insecure-guest yes || return 1
	line=$(last_line)
	# shellcheck disable=SC2206 # the words of the line
	params+=(${line#options smbsign })
	set_ok "options smbsign server_audit_unsigned_peers=1" server --audit-unsigned-peers on || return 1
	line=$(last_line)
	# shellcheck disable=SC2206
	params+=(${line#options smbsign })
	set_ok "options smbsign algorithms=aes-gmac,hmac-sha256" algorithms 'aes-gmac hmac-sha256' || return 1
	line=$(last_line)
	# shellcheck disable=SC2206
	params+=(${line#options smbsign })
	policy_snapshot before
	module_unload && module_load "${params[@]}" || return 1
	policy_snapshot after
	expect_eq "policy after insmod ${params[*]}" "$before" "$after"
}

# ---- errors ----

usage_errors() {
	local before after bad=0 args
	policy_snapshot before
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
	policy_snapshot after
	expect_eq "policy after the usage errors" "$before" "$after" || bad=1
	return "$bad"
}

not_root() {
	local before after bad=0
	echo 0 >"$SYSFS/server/require_signing"
	policy_snapshot before
	expect_exit 4 --as-nobody set client --require-signing false || bad=1
	expect_exit 4 --as-nobody set server --require-signing true --audit-unsigned-peers 1 || bad=1
	expect_exit 4 --as-nobody set algorithms aes-cmac || bad=1
	expect_exit 4 --as-nobody stats --reset || bad=1
	policy_snapshot after
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

# ---- explain ----

# explains CODE INPUT...: each INPUT is explained as CODE.
explains() {
	local code=$1 in bad=0
	shift
	for in in "$@"; do
		expect_exit 0 explain "$in" || { bad=1; continue; }
		[[ ${OUT%%$'\n'*} == "$code"[\ :]* ]] ||
			{ echo "explain '$in': first line '${OUT%%$'\n'*}', expected $code"; bad=1; }
		if [[ $OUT != *$'\nCause:\n'* || $OUT != *$'\nFix on Linux:\n'* ]]; then
			echo "explain '$in': no Cause: or Fix on Linux: section"
			bad=1
		fi
	done
	return "$bad"
}

explain_unknown() {
	local bad=0 in
	for in in 0x12345678 0xc000a0001 42 -5 hello 'the weather is nice today' STATUS_SUCCESS; do
		expect_exit 1 explain "$in" || bad=1
	done
	return "$bad"
}

# explain_fixes CODE FILE=VALUE...: the output names each FILE, the
# commands it gives (smbsignctl set ... and echo ... > /sys/...) run as
# printed, and afterwards each FILE reads VALUE. Starts from the defaults
# with server/require_signing 1.
explain_fixes() {
	local code=$1 kv cmd text bad=0 n=0
	shift
	expect_exit 0 explain "$code" || return 1
	text=$OUT
	policy_defaults
	echo 1 >"$SYSFS/server/require_signing"
	while IFS= read -r cmd; do
		n=$((n + 1))
		if [[ $cmd == smbsignctl\ * ]]; then
			# shellcheck disable=SC2086 # the command's words
			ctl ${cmd#smbsignctl }
		else
			RC=0
			ERR=$(bash -c "$cmd" 2>&1) || RC=$?
		fi
		[ "$RC" = 0 ] || { echo "explain $code: '$cmd' failed ($RC): $ERR"; bad=1; }
	done < <(sed -n 's/^ *\(smbsignctl set .*\|echo .* > \/sys\/kernel\/smbsign\/.*\)$/\1/p' <<<"$text")
	[ "$n" -gt 0 ] || { echo "explain $code gives no command to run"; bad=1; }
	for kv in "$@"; do
		[[ $text == *"${kv%=*}"* ]] || { echo "explain $code does not name ${kv%=*}"; bad=1; }
		file_is "${kv%=*}" "${kv#*=}" || bad=1
	done
	policy_defaults
	return "$bad"
}

tool_built() {
	[ -x "$CTL" ] && return 0
	echo "$CTL does not exist: make -C $SMBSIGN_TOP/tools/smbsignctl"
	return 1
}

main() {
	kernel_test_start
	echo "# smbsignctl: $CTL"
	TMP=$(mktemp -d)
	trap cleanup EXIT

	step "smbsignctl is built" tool_built || finish
	step "insmod smbsign.ko" module_load || finish
	step "$SYSFS exists" test -d "$SYSFS" || finish
	step "--version shows the tool and module versions" version_cmd || true
	step "help, --help, -h, help set, set --help" help_cmds || true
	step "get client|server print the PowerShell fields" get_text || true
	step "get --json is valid JSON with the same fields" get_json || true
	step "status shows module, version, drivers, policy, counters" status_text || true
	step "status --json matches the sysfs files" status_json || true
	step "stats shows every counter" stats_text || true
	step "stats --json matches the counter files" stats_json || true
	step "stats --reset as root" stats_reset || true

	step "set client --require-signing, then get" set_client_require || true
	policy_defaults
	step "set client with all three options, then get --json" set_client_all || true
	policy_defaults
	step "set server, then get" set_server || true
	policy_defaults
	step "set algorithms, then get" set_algorithms || true
	policy_defaults
	step "set --allow-insecure-guest warns while signing is required" guest_note || true
	policy_defaults
	step "the printed options lines, given to insmod, restore the policy" options_line_loads || true
	policy_defaults

	step "usage errors exit 2 with one stderr line and write nothing" usage_errors || true
	step "a non-root user gets exit 4 and nothing is written" not_root || true
	step "a non-root user can get, status and stats" nobody_reads || true
	policy_defaults

	step "explain 0xc000a000 in every form" explains 0xc000a000 0xc000a000 \
		-1073700864 3221266432 STATUS_INVALID_SIGNATURE C000A000 0XC000A000 \
		c000a000 'The cryptographic signature is invalid.' \
		'the CRYPTOGRAPHIC signature is invalid' || true
	step "explain 0xc0000022 in every form" explains 0xc0000022 0xc0000022 \
		STATUS_ACCESS_DENIED -1073741790 3221225506 C0000022 || true
	step "explain 0xc05d0002 in every form" explains 0xc05d0002 0xc05d0002 \
		3227320322 -1067646974 STATUS_SMB_GUEST_LOGON_BLOCKED 1272 \
		"You can't access this shared folder because your organization's security policies block unauthenticated guest access." \
		"organization’s security policies block unauthenticated guest access" || true
	step "explain 0xc05d0003 in every form" explains 0xc05d0003 0xc05d0003 \
		3227320323 -1067646973 'System error 3227320323 has occurred.' || true
	step "explain 0x80070035 in every form" explains 0x80070035 0x80070035 \
		80070035 2147942453 'The network path was not found.' \
		'Error code: 0x80070035' || true
	step "explain of an unknown code exits 1" explain_unknown || true
	step "explain 0xc000a000: its commands turn client/require_signing off" \
		explain_fixes 0xc000a000 client/require_signing=0 || true
	step "explain 0xc0000022: its commands turn server/require_signing off" \
		explain_fixes 0xc0000022 server/require_signing=0 client/require_signing=1 || true
	step "explain 0xc05d0002: its commands allow guests on the client" \
		explain_fixes 0xc05d0002 client/allow_insecure_guest=1 client/require_signing=0 || true
	step "explain 0xc05d0003: its commands allow guests on the client" \
		explain_fixes 0xc05d0003 client/require_signing=0 client/allow_insecure_guest=1 || true
	step "explain 0x80070035: its commands turn server/require_signing off" \
		explain_fixes 0x80070035 server/require_signing=0 || true

	step "module not loaded: exit 3, status says so" not_loaded || true
	step "kernel log has no warnings, no new B/D/W/L taint" kernel_clean || true
	finish
}

main "$@"
