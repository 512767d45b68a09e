#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbsignctl explain against the real module: every form of every code
# (numbers, names, smbclient's NT_STATUS_ names, what mount.cifs and the
# kernel log print), unknown codes, and the fixes it prints: each
# "smbsignctl set" line runs as printed and leaves the policy the text
# promises, the exception for one peer first. Lines that set unsigned_peers
# are not run while the module has none.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source-path=SCRIPTDIR source=smbsignctl_lib.sh
. "$(dirname "$0")/smbsignctl_lib.sh"

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
# commands it gives (smbsignctl set ...) run as printed, and afterwards
# each FILE reads VALUE. Starts from the defaults with
# server/require_signing 1. Without unsigned_peers in the module the
# commands that set it are not run, and FILE=VALUE of it not checked.
explain_fixes() {
	local code=$1 kv f opt cmd text bad=0 n=0
	shift
	expect_exit 0 explain "$code" || return 1
	text=$OUT
	defaults
	echo 1 >"$SYSFS/server/require_signing"
	while IFS= read -r cmd; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # the command's words
		ctl ${cmd#smbsignctl }
		[ "$RC" = 0 ] || { echo "explain $code: '$cmd' failed ($RC): $ERR"; bad=1; }
	done < <(sed -n 's/^ *\(smbsignctl set .*\)$/\1/p' <<<"$text")
	[ "$n" -gt 0 ] || { echo "explain $code gives no command to run"; bad=1; }
	for kv in "$@"; do
		f=${kv%%=*}
		opt=--${f#*/}
		opt=${opt//_/-}
		[[ $text == *"$f"* || $text == *"$opt"* ]] ||
			{ echo "explain $code names neither $f nor $opt"; bad=1; }
		file_is "$f" "${kv#*=}" || bad=1
	done
	defaults
	return "$bad"
}

main() {
	ctl_test_start
	step "insmod smbsign.ko" module_load || finish
	step "explain 0xc000a000 in every form" explains 0xc000a000 0xc000a000 \
		-1073700864 3221266432 STATUS_INVALID_SIGNATURE NT_STATUS_INVALID_SIGNATURE \
		C000A000 0XC000A000 c000a000 'The cryptographic signature is invalid.' \
		'the CRYPTOGRAPHIC signature is invalid' || true
	step "explain 0xc0000022 in every form" explains 0xc0000022 0xc0000022 \
		STATUS_ACCESS_DENIED NT_STATUS_ACCESS_DENIED -1073741790 3221225506 C0000022 || true
	step "explain 0xc05d0002 in every form" explains 0xc05d0002 0xc05d0002 \
		3227320322 -1067646974 STATUS_SMB_GUEST_LOGON_BLOCKED 1272 \
		"You can't access this shared folder because your organization's security policies block unauthenticated guest access." \
		"organization’s security policies block unauthenticated guest access" || true
	step "explain 0xc05d0003 in every form" explains 0xc05d0003 0xc05d0003 \
		3227320323 -1067646973 0xc05d0006 'System error 3227320323 has occurred.' || true
	step "explain 0x80070035 in every form" explains 0x80070035 0x80070035 \
		80070035 2147942453 'The network path was not found.' \
		'Error code: 0x80070035' || true
	step "explain what a Linux client shows" explains EACCES \
		'mount error(13): Permission denied' -13 \
		'CIFS: VFS: \\127.0.0.1 Send error in SessSetup = -13' || true
	step "explain of an unknown code exits 1" explain_unknown || true
	step "explain 0xc000a000: its commands exempt the server, then stop requiring signing" \
		explain_fixes 0xc000a000 client/unsigned_peers=nas.example.com \
		client/require_signing=0 || true
	step "explain 0xc0000022: its commands exempt the client, then stop requiring signing" \
		explain_fixes 0xc0000022 server/unsigned_peers=192.0.2.7 \
		server/require_signing=0 client/require_signing=1 || true
	step "explain 0xc05d0002: its commands exempt the server, then allow guests" \
		explain_fixes 0xc05d0002 client/unsigned_peers=nas.example.com \
		client/allow_insecure_guest=1 client/require_signing=0 || true
	step "explain 0xc05d0003: its commands exempt the server, then allow guests" \
		explain_fixes 0xc05d0003 client/unsigned_peers=nas.example.com \
		client/require_signing=0 client/allow_insecure_guest=1 || true
	step "explain 0x80070035: its command exempts the client, signing stays required" \
		explain_fixes 0x80070035 server/unsigned_peers=192.0.2.7 \
		server/require_signing=1 || true
	rm -f "$SMBSIGNCTL_MODPROBE_CONF"

	step "kernel log has no warnings, no new B/D/W/L taint" kernel_clean || true
	finish
}

main "$@"
