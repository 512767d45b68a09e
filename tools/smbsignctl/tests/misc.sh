# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2317 # the checks are called through step
#
# tests/run: help and version, a module that is not loaded, permissions,
# installation, the man page and the bash completion. Source it; it only
# defines things.

version_help() {
	fresh
	expect_exit 0 --version || return 1
	out_is "smbsignctl 0.2.0
smbsign module: 0.2.0" || return 1
	expect_exit 0 help || return 1
	out_has "  5  the kernel rejected a value, or it did not stick" \
		"  SMBSIGNCTL_SYSFS  instead of /sys/kernel/smbsign" \
		"  SMBSIGNCTL_MODPROBE_CONF  instead of /etc/modprobe.d/smbsign.conf" \
		"  smbsignctl check-config [FILE]" || return 1
	expect_exit 0 -h && expect_exit 0 --help && expect_exit 0 explain --help &&
		expect_exit 0 help stats || return 1
	out_has "  --reset  set every counter to zero first, and empty the audit" || return 1
	expect_exit 0 set --help || return 1
	out_has "  --unsigned-peers LIST         the only peers exempted from signing and" \
		"  --runtime-only                change the running value only"
}

# With the module missing, everything that needs it exits 3; what needs
# only the tool still works.
not_loaded() {
	local bad=0 args
	fresh
	rm -rf "$SMBSIGNCTL_SYSFS"
	while IFS= read -r args; do
		eval "expect_exit 3 $args" || bad=1
	done <<'EOF'
get client
get server --json
set client --require-signing 1
set client --unsigned-peers nas
set algorithms aes-cmac
stats
stats --reset
showconf
sessions
audit --json
EOF
	expect_exit 3 status || bad=1
	out_is "module: not loaded" || bad=1
	err_has "$SMBSIGNCTL_SYSFS" || bad=1
	expect_exit 3 status --json || bad=1
	json_is --subset "{\"loaded\": false, \"sysfs\": \"$SMBSIGNCTL_SYSFS\"}" || bad=1
	expect_exit 0 --version || bad=1
	out_has "smbsign module: not loaded" || bad=1
	expect_exit 2 set client --require-signing maybe || bad=1
	expect_exit 0 explain 0xc000a000 || bad=1
	[ ! -e "$SMBSIGNCTL_MODPROBE_CONF" ] || { echo "smbsign.conf was written"; bad=1; }
	return "$bad"
}

# ---- permissions (root only: the checks run as nobody) ----

nobody_writes() {
	local before bad=0
	fresh
	before=$(tree_state)
	expect_exit 4 --as-nobody set client --require-signing false || bad=1
	err_has "Permission denied" || bad=1
	expect_exit 4 --as-nobody set server --audit-unsigned-peers 1 --require-signing 1 || bad=1
	expect_exit 4 --as-nobody set client --unsigned-peers nas || bad=1
	expect_exit 4 --as-nobody set algorithms aes-cmac || bad=1
	expect_exit 4 --as-nobody stats --reset || bad=1
	trees_unchanged "$before" || bad=1
	expect_exit 0 --as-nobody get client || bad=1
	expect_exit 0 --as-nobody showconf || bad=1
	chmod 0200 "$SMBSIGNCTL_SYSFS/client/allow_insecure_guest"
	expect_exit 4 --as-nobody get client || bad=1
	return "$bad"
}

# Only the second of two files cannot be written: the check before
# writing sees it; nothing is written.
partial_permission() {
	local before
	fresh
	chmod 0666 "$SMBSIGNCTL_SYSFS/client/require_signing"
	before=$(tree_state)
	expect_exit 4 --as-nobody set client --require-signing false --audit-unsigned-peers true --runtime-only || return 1
	trees_unchanged "$before"
}

# The sysfs files are writable, the modprobe.d directory is not: nothing
# is written, neither sysfs nor the file.
conf_dir_not_writable() {
	local before
	fresh
	chmod 0666 "$SMBSIGNCTL_SYSFS/server/require_signing"
	before=$(tree_state)
	expect_exit 4 --as-nobody set server --require-signing 1 || return 1
	err_has "$CONF_DIR: Permission denied (run as root)" || return 1
	trees_unchanged "$before"
}

# A modprobe.d file nobody may read: status still works and says so.
status_conf_unreadable() {
	fresh
	echo 'options smbsign server_require_signing=1' >"$SMBSIGNCTL_MODPROBE_CONF"
	chmod 0600 "$SMBSIGNCTL_MODPROBE_CONF"
	expect_exit 0 --as-nobody status || return 1
	out_has "boot policy: $SMBSIGNCTL_MODPROBE_CONF" \
		"  unknown: cannot read $SMBSIGNCTL_MODPROBE_CONF: Permission denied (run as root)" || return 1
	expect_exit 0 --as-nobody status --json || return 1
	json_is --subset "{\"boot\": {\"file\": \"$SMBSIGNCTL_MODPROBE_CONF\",
		\"error\": \"cannot read $SMBSIGNCTL_MODPROBE_CONF: Permission denied (run as root)\"}}"
}

# ---- install, man page, completion ----

install_layout() {
	local d=$TMP/inst f
	make -s -C "$HERE/.." install DESTDIR="$d" PREFIX=/usr >/dev/null || return 1
	for f in usr/sbin/smbsignctl usr/share/man/man8/smbsignctl.8 \
		 usr/share/bash-completion/completions/smbsignctl; do
		[ -f "$d/$f" ] || { echo "make install did not install /$f"; return 1; }
	done
	[ -x "$d/usr/sbin/smbsignctl" ] || { echo "/usr/sbin/smbsignctl is not executable"; return 1; }
}

# man renders without warnings and documents every command, option,
# environment variable and exit status.
man_page() {
	local out f
	command -v groff >/dev/null || { echo "groff is not installed"; return 1; }
	out=$(groff -man -ww -z "$HERE/../smbsignctl.8" 2>&1)
	[ -z "$out" ] || { echo "groff: $out"; return 1; }
	out=$(groff -man -Tutf8 "$HERE/../smbsignctl.8" 2>/dev/null | col -b)
	for f in "get client|server" "set algorithms" status stats showconf check-config \
		 sessions audit explain --unsigned-peers --runtime-only UnsignedPeers \
		 SMBSIGNCTL_SYSFS SMBSIGNCTL_SYSMODULE SMBSIGNCTL_PROCFS \
		 SMBSIGNCTL_MODPROBE_CONF SMBSIGNCTL_BOOTTIME peer_exempted \
		 STATUS_SMB_GUEST_LOGON_BLOCKED_SIGNING_REQUIRED "mount error(13)" \
		 win32metadata "EXIT STATUS"; do
		[[ $out == *"$f"* ]] || { echo "the man page does not mention '$f'"; return 1; }
	done
}

completion() {
	local out
	out=$(bash -c '
. "$1"
c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _smbsignctl; echo "${COMPREPLY[*]}"; }
c smbsignctl set client --require-signing ""
c smbsignctl set algorithms aes-cmac,
c smbsignctl st
c smbsignctl s
c smbsignctl set server --require-signing 1 ""
c smbsignctl set client --unsigned-peers ""
c smbsignctl check-config ""
c smbsignctl audit ""' sh "$HERE/../smbsignctl.bash-completion")
	expect_eq "completions" "true false
aes-cmac,hmac-sha256 aes-cmac,aes-gmac
status stats
set showconf status stats sessions
--audit-unsigned-peers --unsigned-peers --runtime-only


--json" "$out"
}
