# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: the boot policy: what set saves in smbsign.conf, showconf,
# check-config, and status' comparison. Source it; it only defines things.

# set writes the running value and the whole running policy.
save_whole_policy() {
	fresh
	echo 1 >"$SMBSIGNCTL_SYSFS/server/require_signing"	# set by echo earlier
	expect_exit 0 set client --unsigned-peers nas || return 1
	out_has "  also saved, as it runs now: server_require_signing=1 (was 0 at boot)" || return 1
	conf_is "$CONF_HEADER
options smbsign client_require_signing=1 server_require_signing=1 client_allow_insecure_guest=0 client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 client_unsigned_peers=nas server_unsigned_peers=\"\" algorithms=aes-gmac,aes-cmac,hmac-sha256" || return 1
	expect_mode 644 "$SMBSIGNCTL_MODPROBE_CONF" || return 1
	no_leftovers
}

# The old options lines go, other lines stay as they were, in order; a
# second set gives the same file (nothing piles up).
save_keeps_other_lines() {
	local first
	fresh
	cat >"$SMBSIGNCTL_MODPROBE_CONF" <<'EOF'
# written by hand
options smbsign server_require_signing=1
softdep cifs pre: smbsign
options smbsign client_require_signing=0 \
	algorithms=aes-cmac
options cifs enable_oplocks=0
EOF
	chmod 0640 "$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 set algorithms aes-gmac aes-cmac || return 1
	conf_is "$CONF_HEADER
options smbsign client_require_signing=1 server_require_signing=0 client_allow_insecure_guest=0 client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 client_unsigned_peers=\"\" server_unsigned_peers=\"\" algorithms=aes-gmac,aes-cmac
# written by hand
softdep cifs pre: smbsign
options cifs enable_oplocks=0" || return 1
	expect_mode 640 "$SMBSIGNCTL_MODPROBE_CONF" || return 1
	slurp first "$SMBSIGNCTL_MODPROBE_CONF"
	echo '[aes-gmac] [aes-cmac] hmac-sha256' >"$SMBSIGNCTL_SYSFS/algorithms"
	expect_exit 0 set algorithms aes-gmac,aes-cmac || return 1
	conf_is "${first%$'\n'}"
}

# The file set replaces had errors: set says which, none is dropped
# silently.
save_reports_errors() {
	fresh
	printf 'options smbsign server_require_signnig=1\noptions smbsign client_require_signing=0 client_require_signing=1\n' \
		>"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 set server --require-signing 1 || return 1
	out_has "Replaced in $SMBSIGNCTL_MODPROBE_CONF, which had 2 errors:" \
		"  $SMBSIGNCTL_MODPROBE_CONF:1: error: unknown option 'server_require_signnig': the kernel ignores it with only a warning (\"smbsign: unknown parameter 'server_require_signnig' ignored\"); did you mean server_require_signing?" \
		"  $SMBSIGNCTL_MODPROBE_CONF:2: error: client_require_signing=1 contradicts client_require_signing=0 on line 2: the kernel uses the last one" || return 1
	expect_exit 0 check-config
}

runtime_only() {
	fresh
	echo '# mine' >"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 set server --require-signing 1 --runtime-only || return 1
	out_has "Not saved (--runtime-only): smbsign loads with $SMBSIGNCTL_MODPROBE_CONF at boot; 'smbsignctl status' shows the differences." || return 1
	conf_is '# mine' || return 1
	expect_content "$SMBSIGNCTL_SYSFS/server/require_signing" '1\n'
}

# No directory to save in: an error before anything is written.
no_conf_dir() {
	local before
	fresh
	rmdir "$CONF_DIR"
	before=$(tree_state)
	expect_exit 1 set server --require-signing 1 || return 1
	err_has "cannot save the policy in $SMBSIGNCTL_MODPROBE_CONF: $CONF_DIR does not exist (--runtime-only changes only the running policy)" || return 1
	trees_unchanged "$before" || return 1
	expect_exit 0 set server --require-signing 1 --runtime-only
}

# The file cannot be replaced at the last step: the running values are
# put back, the old file stays, no temporary file is left.
save_fails() {
	local before
	fresh
	echo '# mine' >"$SMBSIGNCTL_MODPROBE_CONF"
	before=$(tree_state --content)
	with_failing_rename expect_exit 1 set client --require-signing 0 \
		--unsigned-peers nas || return 1
	err_has "cannot write $SMBSIGNCTL_MODPROBE_CONF: Input/output error; nothing was changed" || return 1
	trees_unchanged --content "$before" || return 1
	no_leftovers
}

# The file is not readable: an error before anything is written.
conf_unreadable() {
	local before
	fresh
	mkdir "$SMBSIGNCTL_MODPROBE_CONF"	# a directory: read(2) fails
	before=$(tree_state)
	expect_exit 1 set client --require-signing 0 || return 1
	err_has "cannot read $SMBSIGNCTL_MODPROBE_CONF" || return 1
	trees_unchanged "$before"
}

showconf() {
	fresh
	echo 'nas,192.0.2.0/24' >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"
	echo '[aes-cmac] aes-gmac hmac-sha256' >"$SMBSIGNCTL_SYSFS/algorithms"
	echo '# mine' >"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 showconf || return 1
	out_is "$CONF_HEADER
options smbsign client_require_signing=1 server_require_signing=0 client_allow_insecure_guest=0 client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 client_unsigned_peers=nas,192.0.2.0/24 server_unsigned_peers=\"\" algorithms=aes-cmac"
}

# check-config on a file with every kind of problem: one report line
# each, the loaded policy, exit 1, one summary line on stderr.
check_config_errors() {
	fresh
	cp "$HERE/fixtures/bad.conf" "$TMP/bad.conf"
	expect_exit 1 check-config "$TMP/bad.conf" || return 1
	err_has "$TMP/bad.conf: 9 errors, 3 warnings (listed above)" || return 1
	out_is "$(sed "s|@FILE@|$TMP/bad.conf|g" "$HERE/fixtures/bad.conf.report")"
}

# A typo alone: the kernel would only warn and use the default.
check_config_typo() {
	fresh
	printf 'options smbsign server_require_signnig=1\n' >"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 1 check-config || return 1
	out_has "$SMBSIGNCTL_MODPROBE_CONF:1: error: unknown option 'server_require_signnig': the kernel ignores it with only a warning (\"smbsign: unknown parameter 'server_require_signnig' ignored\"); did you mean server_require_signing?" \
		"  server_require_signing=0 (not set: the module's default)"
}

check_config_clean() {
	fresh
	expect_exit 0 set server --require-signing on --unsigned-peers 2001:db8::/48 || return 1
	printf 'blacklist bogus\n' >>"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 check-config || return 1
	out_is "$SMBSIGNCTL_MODPROBE_CONF:5: note: 'blacklist' line: not checked
smbsign loads with:
  client_require_signing=1
  server_require_signing=1
  client_allow_insecure_guest=0
  client_audit_unsigned_peers=0
  server_audit_unsigned_peers=0
  client_unsigned_peers=\"\"
  server_unsigned_peers=2001:db8::/48
  algorithms=aes-gmac,aes-cmac,hmac-sha256
$SMBSIGNCTL_MODPROBE_CONF: no errors, 0 warnings" || return 1
	# the module needs nothing: check-config works without it
	rm -rf "$SMBSIGNCTL_SYSFS"
	expect_exit 0 check-config "$SMBSIGNCTL_MODPROBE_CONF"
}

# Quotes, dashes for underscores, a bare boolean, tabs: read as the
# kernel reads them.
check_config_kernel_syntax() {
	fresh
	printf 'options\tsmbsign "client-require-signing=0"\tserver_require_signing client_unsigned_peers="nas 10.0.0.0/8"\n' \
		>"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 check-config || return 1
	out_has "  client_require_signing=0" "  server_require_signing=1" \
		"  client_unsigned_peers=nas,10.0.0.0/8"
}

check_config_refused() {
	fresh
	printf 'options smbsign algorithms=aes-cmac,md5\n' >"$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 1 check-config || return 1
	out_has "smbsign would not load with this file: the kernel refuses a value (see above), and so modprobe smbsign, modprobe cifs and modprobe ksmbd fail." || return 1
	[[ $OUT != *"smbsign loads with:"* ]] || { echo "printed a policy it cannot load"; return 1; }
}

check_config_missing() {
	fresh
	expect_exit 1 check-config || return 1
	err_has "$SMBSIGNCTL_MODPROBE_CONF does not exist: smbsign loads with its defaults" || return 1
	expect_exit 1 check-config "$TMP/nonexistent.conf"
}

# status compares the running policy with the file.
status_boot() {
	fresh
	expect_exit 0 status || return 1
	out_has "boot policy: $SMBSIGNCTL_MODPROBE_CONF" \
		"  the file does not exist: smbsign loads with its defaults" \
		"  same as the running policy" || return 1
	expect_exit 0 set client --require-signing 0 --unsigned-peers NAS || return 1
	echo 'nas' >"$SMBSIGNCTL_SYSFS/client/unsigned_peers"	# as the kernel shows it
	echo 1 >"$SMBSIGNCTL_SYSFS/server/require_signing"
	echo '[aes-cmac] aes-gmac hmac-sha256' >"$SMBSIGNCTL_SYSFS/algorithms"
	expect_exit 0 status || return 1
	out_has "  differs from the running policy ('smbsignctl set' saves it, 'smbsignctl showconf' shows it):" \
		"    server_require_signing: running 1, at the next load 0" \
		"    algorithms: running aes-cmac, at the next load aes-gmac,aes-cmac,hmac-sha256" || return 1
	[[ $OUT != *client_unsigned_peers* ]] || { echo "NAS and nas differ?"; return 1; }
	expect_exit 0 status --json || return 1
	json_is --subset "{\"boot\": {\"file\": \"$SMBSIGNCTL_MODPROBE_CONF\", \"exists\": true,
		\"errors\": 0, \"same\": false, \"differences\": [
		{\"option\": \"server_require_signing\", \"running\": \"1\", \"boot\": \"0\"},
		{\"option\": \"algorithms\", \"running\": \"aes-cmac\",
		 \"boot\": \"aes-gmac,aes-cmac,hmac-sha256\"}]}}" || return 1
	printf 'options smbsign client_require_signing=0 bogus=1\n' >"$SMBSIGNCTL_MODPROBE_CONF"
	echo '[aes-gmac] [aes-cmac] [hmac-sha256]' >"$SMBSIGNCTL_SYSFS/algorithms"
	expect_exit 0 status || return 1
	out_has "  the file has 1 error: run 'smbsignctl check-config'" \
		"    client_unsigned_peers: running nas, at the next load \"\" (not set: the module's default)"
}
