# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: explain. Source it; it only defines things.

# The first line of each explanation starts with the code it names.
explain_forms() {
	local bad=0 in want
	while IFS='|' read -r want in; do
		expect_exit 0 explain "$in" || { bad=1; continue; }
		[[ ${OUT%%$'\n'*} == "$want"[\ :]* ]] ||
			{ echo "explain '$in': ${OUT%%$'\n'*}, expected $want"; bad=1; }
	done <"$HERE/fixtures/explain.forms"
	# several arguments are one text
	expect_exit 0 explain The network path was not found || bad=1
	[[ $OUT == 0x80070035* ]] || { echo "explain without quotes: $OUT"; bad=1; }
	expect_exit 0 explain -- -1073700864 || bad=1
	[[ $OUT == 0xc000a000* ]] || { echo "explain -- -1073700864: $OUT"; bad=1; }
	return "$bad"
}

# What the user sees is named, and the fixes lead to the exception for one
# peer before the switch for all of them.
explain_content() {
	expect_exit 0 explain 0xc000a000 || return 1
	out_has "  also written: -1073700864, 3221266432" \
		'  message: "The cryptographic signature is invalid."' \
		'  operation fails with EACCES, "mount error(13): Permission denied",' \
		"       smbsignctl set client --unsigned-peers nas.example.com" \
		"       smbsignctl set client --require-signing false" || return 1
	before_after "--unsigned-peers" "--require-signing false" || return 1
	expect_exit 0 explain 0xc05d0003 || return 1
	out_has "0xc05d0003 STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP: guest logon refused: signing is required" \
		"  source: Windows SDK ntstatus.h and winerror.h (microsoft/win32metadata: generation/WinSDK/RecompiledIdlHeaders/shared)" \
		"  prints, 0xc05d0003 is ERROR_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED:" \
		"       smbsignctl set client --require-signing false --allow-insecure-guest true" || return 1
	before_after "--unsigned-peers" "--require-signing false" || return 1
	expect_exit 0 explain 0xc05d0002 || return 1
	before_after "--unsigned-peers" "--allow-insecure-guest true" || return 1
	expect_exit 0 explain 0xc0000022 || return 1
	out_has "       smbsignctl set server --unsigned-peers 192.0.2.7" \
		"       smbsignctl set server --require-signing false" || return 1
	expect_exit 0 explain EOPNOTSUPP || return 1
	out_has "EOPNOTSUPP (errno 95): the server does not sign at all, and signing is required" \
		'  message: "mount error(95): Operation not supported"'
}

# before_after A B: in $OUT, A comes before B.
before_after() {
	local head=${OUT%%"$2"*}
	[[ $head == *"$1"* ]] && return 0
	echo "'$1' does not come before '$2' in:"
	printf '%s\n' "$OUT"
	return 1
}

explain_unknown() {
	local in bad=0
	for in in 0x12345678 0xc000a0001 42 13 -5 -4096 hello 'the weather is nice today' \
		STATUS_SUCCESS NT_STATUS_OK 99999999999 -99999999999 0x 'signature'; do
		expect_exit 1 explain "$in" || bad=1
	done
	err_has "(known: 0xc000a000, 0xc0000022, 0xc05d0002, 0xc05d0003, 0x80070035, EACCES, EOPNOTSUPP, 0xc000006d)" || bad=1
	return "$bad"
}
