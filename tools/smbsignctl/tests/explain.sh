# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: explain. Source it; it only defines things.

explain_forms() {
	local bad=0 in want
	while IFS='|' read -r want in; do
		expect_exit 0 explain "$in" || { bad=1; continue; }
		[[ ${OUT%%$'\n'*} == "$want"[\ :]* ]] ||
			{ echo "explain '$in': ${OUT%%$'\n'*}, expected $want"; bad=1; }
	done <<'EOF'
0xc000a000|0xc000a000
0xc000a000|0XC000A000
0xc000a000|c000a000
0xc000a000|C000A000
0xc000a000|-1073700864
0xc000a000|3221266432
0xc000a000|+3221266432
0xc000a000|STATUS_INVALID_SIGNATURE
0xc000a000|status_invalid_signature
0xc000a000|SMBSIGN_STATUS_INVALID_SIGNATURE
0xc000a000|The cryptographic signature is invalid.
0xc000a000|cryptographic signature is INVALID
0xc000a000|mount error: The cryptographic signature is invalid (0xc000a000)
0xc0000022|0xc0000022
0xc0000022|-1073741790
0xc0000022|3221225506
0xc0000022|STATUS_ACCESS_DENIED
0xc0000022|Access is denied.
0xc0000022|0x80070005
0xc05d0002|0xc05d0002
0xc05d0002|3227320322
0xc05d0002|-1067646974
0xc05d0002|STATUS_SMB_GUEST_LOGON_BLOCKED
0xc05d0002|1272
0xc05d0002|0x800704f8
0xc05d0002|You can't access this shared folder because your organization's security policies block unauthenticated guest access. These policies help protect your PC from unsafe or malicious devices on the network.
0xc05d0002|organization’s security policies block unauthenticated guest access
0xc05d0002|unauthenticated guest access
0xc05d0003|0xc05d0003
0xc05d0003|3227320323
0xc05d0003|-1067646973
0xc05d0003|System error 3227320323 has occurred.
0xc05d0003|SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP
0xc05d0003|STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP
0xc0000022|smbsign: server: refused READ from 192.0.2.7 (session 0x1, message 12, aes-gmac): unsigned message while signing is required; STATUS_ACCESS_DENIED (0xc0000022); see 'smbsignctl explain 0xc0000022'
0xc05d0003|smbsign: client: refused guest session to nas (session 0x5, message 2, aes-cmac): guest session while signing is required; STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP (0xc05d0003); see 'smbsignctl explain 0xc05d0003'
0x80070035|0x80070035
0x80070035|80070035
0x80070035|2147942453
0x80070035|-2147024843
0x80070035|The network path was not found.
0x80070035|Error code: 0x80070035
0x80070035|System error 53 has occurred.
EOF
	# several arguments are one text
	expect_exit 0 explain The network path was not found || bad=1
	[[ $OUT == 0x80070035* ]] || { echo "explain without quotes: $OUT"; bad=1; }
	expect_exit 0 explain -- -1073700864 || bad=1
	[[ $OUT == 0xc000a000* ]] || { echo "explain -- -1073700864: $OUT"; bad=1; }
	return "$bad"
}

explain_content() {
	expect_exit 0 explain 0xc000a000 || return 1
	out_has "  also written: -1073700864, 3221266432" &&
		out_has '  message: "The cryptographic signature is invalid."' &&
		out_has "    smbsignctl set client --require-signing false" &&
		out_has "    echo 0 > /sys/kernel/smbsign/client/require_signing" || return 1
	expect_exit 0 explain 0xc05d0003 || return 1
	out_has "0xc05d0003 STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP: guest logon refused: signing is required" &&
		out_has "    echo 1 > /sys/kernel/smbsign/client/allow_insecure_guest" || return 1
	expect_exit 0 explain 0xc0000022 || return 1
	out_has "    echo 0 > /sys/kernel/smbsign/server/require_signing"
}

explain_unknown() {
	local in bad=0
	for in in 0x12345678 0xc000a0001 42 -5 hello 'the weather is nice today' \
		STATUS_SUCCESS 99999999999 -99999999999 0x 'signature'; do
		expect_exit 1 explain "$in" || bad=1
	done
	return "$bad"
}
