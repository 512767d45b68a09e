# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Fake trees for tests/run, under $TMP, that smbsignctl is pointed at:
#   $TMP/sys         /sys/kernel/smbsign          SMBSIGNCTL_SYSFS
#   $TMP/module      /sys/module                  SMBSIGNCTL_SYSMODULE
#   $TMP/proc        /proc/fs/smbsign             SMBSIGNCTL_PROCFS
#   $TMP/modprobe.d/smbsign.conf                  SMBSIGNCTL_MODPROBE_CONF
# The names of counters come from smbsign/names.h, their one home. Source
# it; it only defines things.

NAMES_H=$SMBSIGN_TOP/smbsign/names.h
# The names of one initialiser table of names.h ([ID] = "name", lines).
names_h_list() {
	awk -v list="$1" '
	$0 ~ "^#define " list " " { on = 1; next }
	on && /^}/ { exit }
	on { if (match($0, /"[a-z_]+"/)) print substr($0, RSTART + 1, RLENGTH - 2) }
	' "$NAMES_H"
}
TREE_COUNTERS=$(names_h_list SMBSIGN_COUNTER_NAMES | tr '\n' ' ')
[ -n "$TREE_COUNTERS" ] || { echo "no counters found in $NAMES_H"; exit 1; }

export SMBSIGNCTL_SYSFS SMBSIGNCTL_SYSMODULE SMBSIGNCTL_PROCFS SMBSIGNCTL_MODPROBE_CONF
CONF_DIR=

tree_paths() {
	SMBSIGNCTL_SYSFS=$TMP/sys
	SMBSIGNCTL_SYSMODULE=$TMP/module
	SMBSIGNCTL_PROCFS=$TMP/proc
	CONF_DIR=$TMP/modprobe.d
	SMBSIGNCTL_MODPROBE_CONF=$CONF_DIR/smbsign.conf
}

# make_tree DIR: the files of the ABI with the module's defaults (fresh
# gives stats/reset its mode 0200 in each copy).
make_tree() {
	local d=$1 s a c
	rm -rf "$d"
	mkdir -p "$d/client" "$d/server" "$d/drivers" "$d/stats"
	echo 0.2.0 >"$d/version"
	echo 1 >"$d/client/require_signing"
	echo 0 >"$d/client/allow_insecure_guest"
	echo 0 >"$d/client/audit_unsigned_peers"
	echo >"$d/client/unsigned_peers"
	echo 0 >"$d/server/require_signing"
	echo 0 >"$d/server/audit_unsigned_peers"
	echo >"$d/server/unsigned_peers"
	echo '[aes-gmac] [aes-cmac] [hmac-sha256]' >"$d/algorithms"
	echo 'hmac(sha256-avx2)' >"$d/drivers/hmac-sha256"
	echo 'cmac(aes-aesni)' >"$d/drivers/aes-cmac"
	echo 'generic-gcm-aesni' >"$d/drivers/aes-gmac"
	for s in $SIDES; do
		for a in $ALGS; do
			mkdir -p "$d/stats/$s/$a"
			for c in $TREE_COUNTERS; do
				echo 0 >"$d/stats/$s/$a/$c"
			done
		done
	done
	: >"$d/stats/reset"
	chmod -R go-w "$d"
}

SESSIONS_HEADER='side address name session_id dialect algorithm logon required why signed verified failed'
AUDIT_HEADER='side address name unsigned guest anonymous exempted last_seen'

# fresh: every fake tree as a machine with smbsign loaded and nothing
# else: default policy, no SMB module loaded, empty tables, no
# /etc/modprobe.d/smbsign.conf (its directory exists).
fresh() {
	[ -d "$TMP/template" ] || make_tree "$TMP/template"
	rm -rf "$SMBSIGNCTL_SYSFS" "$SMBSIGNCTL_SYSMODULE" "$SMBSIGNCTL_PROCFS" \
		"$CONF_DIR"
	cp -a "$TMP/template" "$SMBSIGNCTL_SYSFS"
	chmod 0200 "$SMBSIGNCTL_SYSFS/stats/reset"	# as in the ABI
	mkdir -p "$SMBSIGNCTL_SYSMODULE/smbsign/holders" "$SMBSIGNCTL_PROCFS" \
		"$CONF_DIR"
	echo "$SESSIONS_HEADER" >"$SMBSIGNCTL_PROCFS/sessions"
	echo "$AUDIT_HEADER" >"$SMBSIGNCTL_PROCFS/audit"
	chmod 0400 "$SMBSIGNCTL_PROCFS/sessions" "$SMBSIGNCTL_PROCFS/audit"
	chmod 0755 "$CONF_DIR"
}

# An SMB module loaded (stock: not a holder of smbsign) or bound to it.
module_stock() { mkdir -p "$SMBSIGNCTL_SYSMODULE/$1"; }
module_bound() {
	mkdir -p "$SMBSIGNCTL_SYSMODULE/$1" "$SMBSIGNCTL_SYSMODULE/smbsign/holders/$1"
}

# The sysfs tree and the modprobe.d directory: names, modes,
# modification times (so that a value written and put back still shows)
# and contents; with --content, without the times (a value written and
# put back is the same).
tree_state() {
	local f mode mtime c fmt='%p %m %T@\n'
	[ "${1:-}" != --content ] || fmt='%p %m -\n'
	while read -r f mode mtime; do
		raw c "$f" 2>/dev/null || c='(unreadable)'
		printf '%s %s %s %s\n' "$f" "$mode" "$mtime" "$c"
	done < <(find "$SMBSIGNCTL_SYSFS" "$CONF_DIR" -type f -printf "$fmt" |
		LC_ALL=C sort)
}

# trees_unchanged [--content] BEFORE: tree_state [--content] is still
# BEFORE; shows the difference.
trees_unchanged() {
	local now opt=
	[ "$1" != --content ] || { opt=--content; shift; }
	now=$(tree_state $opt)
	[ "$1" = "$now" ] && return 0
	echo "the trees changed:"
	diff -u <(printf '%s\n' "$1") <(printf '%s\n' "$now") | tail -n +3 | grep '^[-+]'
	return 1
}

# conf_is TEXT: smbsign.conf holds exactly TEXT (and a final newline).
conf_is() {
	local have
	[ -f "$SMBSIGNCTL_MODPROBE_CONF" ] ||
		{ echo "$SMBSIGNCTL_MODPROBE_CONF does not exist"; return 1; }
	slurp have "$SMBSIGNCTL_MODPROBE_CONF"
	[ "$have" = "$1"$'\n' ] && return 0
	diff -u <(printf '%s\n' "$1") "$SMBSIGNCTL_MODPROBE_CONF" | tail -n +3
	return 1
}

# The header smbsignctl writes at the top of smbsign.conf, and the line for
# the module's defaults (used by the test files).
# shellcheck disable=SC2034
CONF_HEADER="# smbsign: the SMB signing policy the module loads with (modprobe smbsign).
# Managed by smbsignctl(8): 'smbsignctl set' rewrites this file from the
# running policy; 'smbsignctl check-config' checks it. Other lines are kept."
# shellcheck disable=SC2034
CONF_DEFAULTS='options smbsign client_require_signing=1 server_require_signing=0 client_allow_insecure_guest=0 client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 client_unsigned_peers="" server_unsigned_peers="" algorithms=aes-gmac,aes-cmac,hmac-sha256'

# no_leftovers: nothing but smbsign.conf (and what a test put there) in
# the modprobe.d directory: no temporary file stays behind.
no_leftovers() {
	local f bad=0
	for f in "$CONF_DIR"/.* "$CONF_DIR"/*; do
		case ${f##*/} in
		.|..|'*'|'.*'|smbsign.conf|other.conf) ;;
		*) echo "left behind in $CONF_DIR: ${f##*/}"; bad=1 ;;
		esac
	done
	return "$bad"
}

# build_fake_kernel: fake_kernel.so in $TMP (see fake_kernel.c).
build_fake_kernel() {
	"${CC:-cc}" -shared -fPIC -O2 -Wall -Wextra -Werror \
		-o "$TMP/fake_kernel.so" "$HERE/fake_kernel.c" -ldl 2>&1
}

# use_fake_kernel: preload it from now on (not in a subshell), so that the
# algorithms file of the fake tree reads back as the kernel's does.
use_fake_kernel() {
	export LD_PRELOAD=$TMP/fake_kernel.so
	export SMBSIGNCTL_TEST_ALGS=$SMBSIGNCTL_SYSFS/algorithms
}

# with_rejecting FILE CMD...: CMD while the kernel rejects writes to FILE
# (relative to the sysfs tree).
with_rejecting() {
	local f=$1
	shift
	SMBSIGNCTL_TEST_REJECT=$(realpath "$SMBSIGNCTL_SYSFS/$f") "$@"
}

# with_ignoring FILE CMD...: CMD while writes to FILE do not stick.
with_ignoring() {
	local f=$1
	shift
	SMBSIGNCTL_TEST_IGNORE=$(realpath "$SMBSIGNCTL_SYSFS/$f") "$@"
}

# with_failing_rename CMD...: CMD while renaming onto smbsign.conf fails.
with_failing_rename() {
	SMBSIGNCTL_TEST_FAIL_RENAME=$SMBSIGNCTL_MODPROBE_CONF "$@"
}
