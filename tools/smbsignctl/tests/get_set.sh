# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: get and set (the running policy; what set saves is in
# modconf.sh). Source it; it only defines things.

# ---- get ----

get_defaults() {
	fresh
	expect_exit 0 get client || return 1
	out_is "RequireSecuritySignature         : True
EnableInsecureGuestLogons        : False
AuditServerDoesNotSupportSigning : False
UnsignedPeers                    : (none)
SigningAlgorithms                : aes-gmac, aes-cmac, hmac-sha256" || return 1
	expect_exit 0 get server || return 1
	out_is "RequireSecuritySignature         : False
AuditClientDoesNotSupportSigning : False
UnsignedPeers                    : (none)
SigningAlgorithms                : aes-gmac, aes-cmac, hmac-sha256"
}

get_changed() {
	fresh
	local d=$SMBSIGNCTL_SYSFS
	echo 0 >"$d/client/require_signing"
	echo Y >"$d/client/allow_insecure_guest"	# parameter style, also read
	echo 1 >"$d/client/audit_unsigned_peers"
	echo 'nas,192.0.2.0/24,2001:db8::/32' >"$d/client/unsigned_peers"
	echo 1 >"$d/server/require_signing"
	echo N >"$d/server/audit_unsigned_peers"
	echo '10.0.0.7' >"$d/server/unsigned_peers"
	echo '[hmac-sha256] [aes-cmac] aes-gmac' >"$d/algorithms"
	expect_exit 0 get client || return 1
	out_is "RequireSecuritySignature         : False
EnableInsecureGuestLogons        : True
AuditServerDoesNotSupportSigning : True
UnsignedPeers                    : nas,192.0.2.0/24,2001:db8::/32
SigningAlgorithms                : hmac-sha256, aes-cmac" || return 1
	expect_exit 0 get server --json || return 1
	json_is '{"RequireSecuritySignature": true, "AuditClientDoesNotSupportSigning": false,
		"UnsignedPeers": ["10.0.0.7"],
		"SigningAlgorithms": ["hmac-sha256", "aes-cmac"]}' || return 1
	expect_exit 0 get --json client || return 1
	json_is '{"RequireSecuritySignature": false, "EnableInsecureGuestLogons": true,
		"AuditServerDoesNotSupportSigning": true,
		"UnsignedPeers": ["nas", "192.0.2.0/24", "2001:db8::/32"],
		"SigningAlgorithms": ["hmac-sha256", "aes-cmac"]}'
}

# A module older than the tool has no unsigned_peers: get says so, set
# refuses to set it and changes nothing.
old_module() {
	local before
	fresh
	rm "$SMBSIGNCTL_SYSFS/client/unsigned_peers" "$SMBSIGNCTL_SYSFS/server/unsigned_peers"
	expect_exit 0 get client || return 1
	out_has "UnsignedPeers                    : (not supported by the loaded smbsign module)" || return 1
	expect_exit 0 get server --json || return 1
	json_is --subset '{"UnsignedPeers": null}' || return 1
	before=$(tree_state)
	expect_exit 1 set client --require-signing 0 --unsigned-peers nas || return 1
	err_has "has no $SMBSIGNCTL_SYSFS/client/unsigned_peers" || return 1
	trees_unchanged "$before" || return 1
	expect_exit 0 set client --require-signing 0 || return 1
	conf_is "$CONF_HEADER
options smbsign client_require_signing=0 server_require_signing=0 client_allow_insecure_guest=0 client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 algorithms=aes-gmac,aes-cmac,hmac-sha256"
}

# Unexpected content in the files is an error (1), not a guess.
bad_content() {
	local bad=0 v
	fresh
	echo maybe >"$SMBSIGNCTL_SYSFS/client/require_signing"
	expect_exit 1 get client && err_has "unexpected content" || bad=1
	for v in '[aes-cmac] [foo]' 'aes-cmac [hmac-sha256] aes-gmac' \
		 '[aes-cmac] [aes-cmac] aes-gmac hmac-sha256' 'aes-cmac aes-gmac hmac-sha256'; do
		fresh
		echo "$v" >"$SMBSIGNCTL_SYSFS/algorithms"
		expect_exit 1 get server || { echo "(algorithms '$v')"; bad=1; }
	done
	for v in 10.1.2.3/8 'nas nas' '::ffff:1.2.3.4.5'; do
		fresh
		echo "$v" >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"
		expect_exit 1 get client && err_has "unexpected content" ||
			{ echo "(peers '$v')"; bad=1; }
	done
	fresh
	echo nas >"$SMBSIGNCTL_SYSFS/server/unsigned_peers"	# no names there
	expect_exit 1 get server || bad=1
	return "$bad"
}

# ---- set ----

set_client() {
	fresh
	expect_exit 0 set client --require-signing false || return 1
	out_is "client/require_signing: 1 -> 0
Saved in $SMBSIGNCTL_MODPROBE_CONF: smbsign loads with this policy from now on.
Applies to sessions set up from now on: cifs shares one session among all mounts of a server, so unmount every mount of that server, then mount again.
Warning: cifs is not loaded: the policy is stored, but nothing enforces it until the patched cifs is loaded." || return 1
	expect_content "$SMBSIGNCTL_SYSFS/client/require_signing" '0\n'
}

set_client_all() {
	fresh
	module_bound cifs
	expect_exit 0 set client --allow-insecure-guest=ON --audit-unsigned-peers yes \
		--unsigned-peers 'NAS.example.com, 192.0.2.0/24  2001:DB8::/32' \
		--require-signing n || return 1
	out_is "client/allow_insecure_guest: 0 -> 1
client/audit_unsigned_peers: 0 -> 1
client/unsigned_peers: \"\" -> NAS.example.com,192.0.2.0/24,2001:DB8::/32
client/require_signing: 1 -> 0
Saved in $SMBSIGNCTL_MODPROBE_CONF: smbsign loads with this policy from now on.
Applies to sessions set up from now on: cifs shares one session among all mounts of a server, so unmount every mount of that server, then mount again." || return 1
	expect_content "$SMBSIGNCTL_SYSFS/client/unsigned_peers" \
		'NAS.example.com,192.0.2.0/24,2001:DB8::/32\n' || return 1
	expect_exit 0 get client --json || return 1
	json_is '{"RequireSecuritySignature": false, "EnableInsecureGuestLogons": true,
		"AuditServerDoesNotSupportSigning": true,
		"UnsignedPeers": ["NAS.example.com", "192.0.2.0/24", "2001:DB8::/32"],
		"SigningAlgorithms": ["aes-gmac", "aes-cmac", "hmac-sha256"]}'
}

set_server() {
	fresh
	module_stock ksmbd
	expect_exit 0 set server --require-signing TRUE --audit-unsigned-peers=1 \
		--unsigned-peers=::ffff:192.0.2.7 || return 1
	out_is "server/require_signing: 0 -> 1
server/audit_unsigned_peers: 0 -> 1
server/unsigned_peers: \"\" -> ::ffff:192.0.2.7
Saved in $SMBSIGNCTL_MODPROBE_CONF: smbsign loads with this policy from now on.
Applies to sessions set up from now on: clients already connected keep their session until they reconnect.
Warning: ksmbd is loaded but does not use smbsign (the stock module): it does not follow this policy. Load the patched ksmbd." || return 1
	expect_content "$SMBSIGNCTL_SYSFS/server/require_signing" '1\n' &&
		expect_content "$SMBSIGNCTL_SYSFS/server/audit_unsigned_peers" '1\n'
}

# "" clears a list; a list equal to the current one says "unchanged".
set_peers_clear() {
	fresh
	module_bound ksmbd
	echo '192.0.2.7' >"$SMBSIGNCTL_SYSFS/server/unsigned_peers"
	expect_exit 0 set server --unsigned-peers '' || return 1
	out_has 'server/unsigned_peers: 192.0.2.7 -> ""' || return 1
	expect_content "$SMBSIGNCTL_SYSFS/server/unsigned_peers" '\n' || return 1
	expect_exit 0 set server --unsigned-peers= --runtime-only || return 1
	out_has 'server/unsigned_peers: "" (unchanged)'
}

# Every boolean spelling of the kernel's grammar, any case: y and n too.
bool_spellings() {
	local v want bad=0
	for v in true TRUE True 1 yes YES y Y on On false FALSE 0 no No n N off OFF; do
		fresh
		case $v in
		[tT1yY]*|[oO][nN]) want=0 ;;
		*) want=1 ;;
		esac
		echo "$want" >"$SMBSIGNCTL_SYSFS/server/require_signing"
		expect_exit 0 set server --require-signing "$v" --runtime-only || { bad=1; continue; }
		expect_eq "server/require_signing after '$v'" "$((1 - want))" \
			"$(cat "$SMBSIGNCTL_SYSFS/server/require_signing")" || bad=1
	done
	return "$bad"
}

guest_note() {
	fresh
	expect_exit 0 set client --allow-insecure-guest true || return 1
	out_has "Note: guest sessions stay refused while client/require_signing is 1, except with the servers in client/unsigned_peers." || return 1
	expect_exit 0 set client --require-signing false || return 1
	[[ $OUT != *"Note:"* ]] || { echo "a note while signing is not required: $OUT"; return 1; }
}

# The kernel reads the list in any case, with commas or blanks, and
# shows it bracketed; set reads it back, saves it comma-separated.
set_algorithms() {
	fresh
	module_bound cifs
	module_bound ksmbd
	expect_exit 0 set algorithms 'AES-CMAC,' hmac-sha256 || return 1
	out_is "algorithms: aes-gmac,aes-cmac,hmac-sha256 -> aes-cmac,hmac-sha256
Saved in $SMBSIGNCTL_MODPROBE_CONF: smbsign loads with this policy from now on.
Applies to connections negotiated from now on: cifs reuses a server's connection until every mount of that server is unmounted; ksmbd clients must reconnect." || return 1
	expect_content "$SMBSIGNCTL_SYSFS/algorithms" '[aes-cmac] [hmac-sha256] aes-gmac\n' || return 1
	conf_is "$CONF_HEADER
${CONF_DEFAULTS/aes-gmac,aes-cmac,hmac-sha256/aes-cmac,hmac-sha256}"
}

# The kernel takes a write and the value stays what it was: exit 5, the
# values written before are put back, nothing saved.
no_stick() {
	local before
	fresh
	before=$(tree_state --content)
	with_ignoring algorithms expect_exit 5 set algorithms aes-cmac || return 1
	err_has "reads 'aes-gmac,aes-cmac,hmac-sha256' after writing 'aes-cmac': the value did not stick" &&
		err_has "nothing was changed" || return 1
	with_ignoring client/unsigned_peers expect_exit 5 \
		set client --require-signing 0 --unsigned-peers nas || return 1
	[ -z "$OUT" ] || { echo "stdout is not empty: $OUT"; return 1; }
	trees_unchanged --content "$before" || return 1
	no_leftovers
}

# A peer list the kernel shows canonically (lower case, ::ffff:a.b.c.d as
# a.b.c.d) reads back as the same list: it stuck.
peers_canonical_stick() {
	fresh
	module_bound cifs
	# a write to the regular file, then the kernel's canonical form
	expect_exit 0 set client --unsigned-peers 'NAS,::ffff:192.0.2.1' --runtime-only || return 1
	echo 'nas,192.0.2.1' >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"
	expect_exit 0 set client --unsigned-peers 'Nas ::FFFF:192.0.2.1' --runtime-only || return 1
	out_has "client/unsigned_peers: nas,192.0.2.1 -> Nas,::FFFF:192.0.2.1"
}

# Usage errors: exit 2, one stderr line, nothing written anywhere.
usage_errors() {
	local before args bad=0
	fresh
	before=$(tree_state)
	while IFS= read -r args; do
		eval "expect_exit 2 $args" || bad=1
	done <<'EOF'
frobnicate
--frobnicate
-x
get
get both
get client --bogus
get client server
status --bogus
status extra
stats --bogus
stats --reset extra
sessions extra
sessions --bogus
audit extra
audit --bogus
showconf extra
check-config a b
check-config --bogus
set
set nowhere --require-signing 1
set client
set client --runtime-only
set client --require-signing
set client --require-signing maybe
set client --require-signing 2
set client --require-signing ''
set client --require-signing=
set client --require-signing 'yes please'
set client --require-signing false --audit-unsigned-peers maybe
set client --audit-unsigned-peers 1 --bogus 1
set client --require-signing 1 --require-signing 0
set client require-signing 1
set server --allow-insecure-guest true
set server --require-signing 0 --allow-insecure-guest 1
set client --unsigned-peers
set client --unsigned-peers 10.1.2.3/8
set client --unsigned-peers 010.0.0.1
set client --unsigned-peers 10.0.0.1/33
set client --unsigned-peers 10.1
set client --unsigned-peers 'nas nas'
set client --unsigned-peers 'nas NAS'
set client --unsigned-peers 'nas,::ffff:10.0.0.1,10.0.0.1'
set client --unsigned-peers 'nas;x'
set client --unsigned-peers "$(printf 'nas\tx')"
set client --unsigned-peers -nas
set client --unsigned-peers nas. 
set client --unsigned-peers 1.2.3.4.5
set client --unsigned-peers 2001:db8::1::2
set client --unsigned-peers "$(seq -s, 1 17 | sed 's/[0-9]*/10.0.0.&/g')"
set server --unsigned-peers nas
set server --unsigned-peers 192.0.2.1,files
set algorithms
set algorithms ''
set algorithms ,
set algorithms ' , '
set algorithms aes-cmac,bogus
set algorithms aes-cmac aes-cmac
set algorithms aes-cmac,AES-CMAC
set algorithms '[aes-cmac]'
set algorithms "$(printf 'aes-cmac\thmac-sha256')"
set algorithms aes-cmac --json
explain
help nosuch
--version extra
EOF
	expect_exit 2 || bad=1
	trees_unchanged "$before" || bad=1
	return "$bad"
}

# The message names the entry the kernel would refuse and why.
peers_messages() {
	fresh
	expect_exit 2 set client --unsigned-peers 'nas, 10.1.2.3/8' || return 1
	err_has "'10.1.2.3/8' is not a host name, an address or a prefix with its host bits 0" || return 1
	expect_exit 2 set server --unsigned-peers '192.0.2.1 files' || return 1
	err_has "'files' is not an address or a prefix with its host bits 0 (names are not allowed here)" || return 1
	expect_exit 2 set client --unsigned-peers 'a,b,a' || return 1
	err_has "an entry is listed twice" || return 1
	expect_exit 2 set client --unsigned-peers "$(seq -s, 1 17 | sed 's/[0-9]*/h&/g')" || return 1
	err_has "17 entries, at most 16 are allowed"
}

# The first write succeeds, the second is rejected: the first is undone,
# the file is not written.
kernel_rejects() {
	local before
	fresh
	before=$(tree_state --content)
	with_rejecting client/audit_unsigned_peers expect_exit 5 \
		set client --audit-unsigned-peers true || return 1
	err_has "the kernel rejected '1'" && err_has "nothing was changed" || return 1
	with_rejecting client/audit_unsigned_peers expect_exit 5 \
		set client --require-signing false --audit-unsigned-peers true || return 1
	err_has "nothing was changed" || return 1
	trees_unchanged --content "$before" || return 1
	no_leftovers
}
