#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# smbsign installed with DKMS, as Documentation/smbsign/install.rst says:
# make dkms-install registers the sources with DKMS, which installs
# smbsign.ko and the patched cifs.ko and ksmbd.ko into
# /lib/modules/KREL/updates/dkms, signed with its key. Then modprobe ksmbd
# and modprobe cifs must load those builds (modprobe's path for them,
# smbsign's holders, out-of-tree taint), smbsign first with the policy of
# /etc/modprobe.d/smbsign.conf; a signed SMB 3.1.1 mount of a ksmbd share
# must work, signed on both sides; systemd-modules-load must load smbsign
# as at boot; and make dkms-remove must bring back the kernel's own cifs
# and ksmbd and leave the files as they were before.
#
# DKMS builds on the host (tools/testing/dkms/prebuild, which
# tools/testing/vm/selftests runs and names in SMBSIGN_DKMS): under QEMU
# without KVM the build would take half an hour. The test points dkms at
# those trees with a file in /etc/dkms/framework.conf.d, so make
# dkms-install finds smbsign built from the same sources and installs it,
# as on a machine where it was built before. It changes system files and
# runs only in the VM (tools/testing/vm/run), whose writes vanish.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"

KREL=$(uname -r)
MODDIR=/lib/modules/$KREL
DKMS_DIR=${SMBSIGN_DKMS:-}
FRAMEWORK_CONF=/etc/dkms/framework.conf.d/smbsign-e2e.conf
POLICY=/etc/modprobe.d/smbsign.conf
readonly POLICY_LINE="options smbsign client_require_signing=1 server_require_signing=1"
readonly MODULES="smbsign cifs ksmbd"
# Where make dkms-install and make dkms-remove may write, compared before
# and after: the kernel's module tree (but its own modules in kernel/,
# which DKMS leaves alone on Debian), /usr/local, the module
# configuration. The DKMS trees, in the cache, are not.
WATCHED=("$MODDIR" /usr/local /lib/modules-load.d /lib/modprobe.d
	/etc/modprobe.d /usr/share/dkms)
MADE_BUILD_LINK=
POLICY_SAVED=
SRC_TREE=
DKMS_TREE=

# modpath NAME: the file modprobe loads for module NAME, or an error.
modpath() {
	modinfo -k "$KREL" -F filename "$1" 2>&1
}

# dkms_ko NAME: the module file DKMS installs for NAME.
dkms_ko() {
	local f
	for f in "$MODDIR/updates/dkms/$1.ko"*; do
		[ -e "$f" ] && { printf '%s\n' "$f"; return 0; }
	done
	echo "no $MODDIR/updates/dkms/$1.ko*"
	return 1
}

# expect_modpath NAME WANT: modprobe loads WANT (a file) for NAME.
expect_modpath() {
	local have
	have=$(modpath "$1")
	[ "$have" = "$2" ] && return 0
	echo "modprobe $1 would load $have, expected $2"
	return 1
}

# framework_setting NAME: NAME in the framework.conf of the DKMS build.
framework_setting() {
	# shellcheck source=/dev/null
	(. "$DKMS_DIR/framework.conf" && printf '%s' "${!1}")
}

# registered: smbsign is in the DKMS trees the test points dkms at;
# installed: for a kernel (dkms's link kernel-KREL-ARCH).
registered() {
	[ -e "$DKMS_TREE/smbsign" ] || compgen -G "$SRC_TREE/smbsign-*" >/dev/null
}
installed() {
	compgen -G "$DKMS_TREE/smbsign/kernel-*" >/dev/null
}

# expect_policy CLIENT SERVER: smbsign's require_signing files.
expect_policy() {
	local side want have bad=0
	for side in client server; do
		want=$1
		shift
		read -r have <"$E2E_SYS/$side/require_signing" ||
			{ echo "cannot read $E2E_SYS/$side/require_signing"; bad=1; continue; }
		[ "$have" = "$want" ] ||
			{ echo "$side/require_signing is $have, expected $want (from $POLICY)"; bad=1; }
	done
	return "$bad"
}

# expect_dkms_loaded NAME: the loaded NAME is the DKMS build, and (but for
# smbsign) holds smbsign.
expect_dkms_loaded() {
	local name=$1 ko
	ko=$(dkms_ko "$name") || { echo "$ko"; return 1; }
	e2e_is_rebuilt "$name" "$ko" || return 1
	[ "$name" = smbsign ] || [ -e "/sys/module/smbsign/holders/$name" ] ||
		{ echo "$name is loaded but /sys/module/smbsign/holders/$name does not exist: not a module that signs through smbsign"; return 1; }
}

# snapshot: the files and links where the install writes (but the
# test's own policy file), and the module index depmod rebuilds.
snapshot() {
	find "${WATCHED[@]}" -path "$MODDIR/kernel" -prune -o \
		\( -type f -o -type l \) -print 2>/dev/null |
		grep -vxF "$POLICY" | LC_ALL=C sort
	(cd "$MODDIR" && sha256sum modules.dep modules.alias modules.symbols)
}

# run_make TARGET: make TARGET in the repository; its output is shown
# (the end of it) only when it fails.
run_make() {
	local log=$E2E_WORK/make-$1.log
	make -s -C "$SMBSIGN_TOP" "$1" >"$log" 2>&1 && return 0
	echo "make $1 failed:"
	tail -n 30 "$log"
	return 1
}

# ---------------------------------------------------------------- checks

no_smb_modules_loaded() {
	! mod_loaded cifs && ! mod_loaded ksmbd && ! mod_loaded smbsign && return 0
	e2e_teardown
}

stock_modules() {
	local out
	expect_modpath cifs "$(ls "$MODDIR"/kernel/fs/smb/client/cifs.ko*)" || return 1
	expect_modpath ksmbd "$(ls "$MODDIR"/kernel/fs/smb/server/ksmbd.ko*)" || return 1
	if out=$(modpath smbsign); then
		echo "modprobe finds an smbsign: $out"
		return 1
	fi
}

# As on a machine with linux-headers-KREL installed (the VM's module tree
# comes from the image package alone), and dkms pointed at the host's
# build.
setup() {
	if [ ! -e "$MODDIR/build" ]; then
		ln -s "/usr/src/linux-headers-$KREL" "$MODDIR/build" || return 1
		MADE_BUILD_LINK=1
	fi
	mkdir -p "${FRAMEWORK_CONF%/*}" &&
		cp "$DKMS_DIR/framework.conf" "$FRAMEWORK_CONF" || return 1
	if [ -e "$POLICY" ]; then
		cp -p "$POLICY" "$E2E_WORK/policy.saved" && POLICY_SAVED=1 && rm -f "$POLICY" || return 1
	fi
	prebuilt || return 1
	snapshot >"$E2E_WORK/before"
}

# prebuilt: the modules dkms built on the host are where dkms install
# takes them from (without them, make dkms-install would build for half
# an hour here).
prebuilt() {
	local m d
	d=$(echo "$DKMS_TREE"/smbsign/*/"$KREL/$(uname -m)/module")
	for m in $MODULES; do
		compgen -G "$d/$m.ko*" >/dev/null ||
			{ echo "no $m.ko in $d: tools/testing/dkms/prebuild did not build it"; return 1; }
	done
}

dkms_installed() {
	local m ko status bad=0
	for m in $MODULES; do
		ko=$(dkms_ko "$m") || { echo "$ko"; bad=1; continue; }
		expect_modpath "$m" "$ko" || bad=1
	done
	status=$(dkms status -m smbsign -k "$KREL" 2>&1)
	[[ $status == *": installed"* ]] ||
		{ echo "dkms status does not say installed:"; printf '%s\n' "$status"; bad=1; }
	return "$bad"
}

signed_with_dkms_key() {
	local serial m ko signer key bad=0
	serial=$(openssl x509 -inform DER -in "$DKMS_DIR/mok.pub" -noout -serial) ||
		{ echo "cannot read $DKMS_DIR/mok.pub"; return 1; }
	serial=${serial#serial=}
	for m in $MODULES; do
		ko=$(dkms_ko "$m") || { echo "$ko"; bad=1; continue; }
		signer=$(modinfo -F signer "$ko")
		key=$(modinfo -F sig_key "$ko")
		key=${key//:/}
		if [ "$signer" != "DKMS module signing key" ] || [ "${key^^}" != "${serial^^}" ]; then
			echo "$ko: signer '$signer', key '$key'; expected 'DKMS module signing key', $serial"
			bad=1
		fi
	done
	return "$bad"
}

policy_file() {
	printf '%s\n' "$POLICY_LINE" >"$POLICY"
}

modprobe_ksmbd() {
	local out
	out=$(modprobe ksmbd 2>&1) || { echo "modprobe ksmbd: $out"; dmesg | tail -n 5; return 1; }
	expect_dkms_loaded smbsign || return 1
	expect_dkms_loaded ksmbd || return 1
	expect_policy 1 1
}

modprobe_cifs() {
	local out
	out=$(modprobe cifs 2>&1) || { echo "modprobe cifs: $out"; dmesg | tail -n 5; return 1; }
	expect_dkms_loaded cifs
}

signed_mount() {
	e2e_stats_reset || return 1
	e2e_mount_user "$MNT" 3.1.1 || return 1
	e2e_mkdata "$SRC" 1 && e2e_copy "$SRC" "$MNT/data" && e2e_drop_caches &&
		e2e_copy "$MNT/data" "$BACK" && e2e_same "$SRC" "$BACK" || return 1
	e2e_expect_session 0x311 signed || return 1
	e2e_expect_alg_only client aes-gmac $((1 << 20)) &&
		e2e_expect_alg_only server aes-gmac $((1 << 20))
}

# As at boot: systemd-modules-load reads /lib/modules-load.d/smbsign.conf.
boot_load() {
	local out
	out=$(/lib/systemd/systemd-modules-load 2>&1) ||
		{ echo "systemd-modules-load: $out"; return 1; }
	expect_dkms_loaded smbsign && expect_policy 1 1 || return 1
	e2e_rmmod smbsign
}

stock_back() {
	stock_modules || return 1
	! registered || { echo "still registered with DKMS: $(ls -d "$DKMS_TREE/smbsign" "$SRC_TREE"/smbsign-* 2>/dev/null)"; return 1; }
}

files_as_before() {
	snapshot >"$E2E_WORK/after"
	cmp -s "$E2E_WORK/before" "$E2E_WORK/after" && return 0
	diff -u "$E2E_WORK/before" "$E2E_WORK/after" | tail -n +3
	return 1
}

# Undo the test's own changes (and make dkms-install's, after a failure).
restore() {
	local rc=0
	if installed; then
		run_make dkms-remove || rc=1
	fi
	rm -f "$POLICY" "$FRAMEWORK_CONF"
	[ -z "$POLICY_SAVED" ] || mv "$E2E_WORK/policy.saved" "$POLICY" || rc=1
	[ -z "$MADE_BUILD_LINK" ] || rm -f "$MODDIR/build" || rc=1
	MADE_BUILD_LINK='' POLICY_SAVED=''
	return "$rc"
}

on_exit() {
	local rc=$?
	restore >/dev/null 2>&1 || true
	(exit "$rc")
	e2e_on_exit
}

main() {
	[ "${SMBSIGN_IN_VM:-}" = 1 ] ||
		e2e_skip_all "changes system files: runs only in the VM (tools/testing/vm/run)"
	command -v dkms >/dev/null ||
		e2e_skip_all "dkms is not installed (tools/testing/provision installs it)"
	[ -f "$DKMS_DIR/framework.conf" ] ||
		e2e_skip_all "no DKMS build for $KREL (SMBSIGN_DKMS='$DKMS_DIR'): tools/testing/dkms/prebuild makes it, tools/testing/vm/selftests runs it"
	[ -f "/usr/src/linux-headers-$KREL/Makefile" ] ||
		e2e_skip_all "linux-headers-$KREL is not installed on the host (tools/testing/provision)"
	[ -x /lib/systemd/systemd-modules-load ] ||
		e2e_skip_all "no /lib/systemd/systemd-modules-load (systemd) to load smbsign as at boot"
	SRC_TREE=$(framework_setting source_tree)
	DKMS_TREE=$(framework_setting dkms_tree)
	e2e_init
	trap on_exit EXIT
	# shellcheck disable=SC2034 # used by e2e_smb.sh
	MNT=$E2E_WORK/mnt SRC=$E2E_WORK/src BACK=$E2E_WORK/back

	e2e_step "no cifs, ksmbd or smbsign loaded" no_smb_modules_loaded || e2e_finish
	e2e_step "before: modprobe finds the kernel's own cifs and ksmbd, and no smbsign" stock_modules || e2e_finish
	e2e_step "smbsign built with DKMS for $KREL on the host; dkms pointed at it" setup || e2e_finish
	e2e_step "make dkms-install" run_make dkms-install || e2e_finish
	e2e_step "modprobe finds smbsign, cifs and ksmbd in updates/dkms; dkms says installed" dkms_installed || true
	e2e_step "DKMS signed the three with its key (mok.pub)" signed_with_dkms_key || true
	e2e_step "the policy in $POLICY" policy_file || true
	e2e_step "modprobe ksmbd loads the DKMS ksmbd, and smbsign with the policy" modprobe_ksmbd || true
	e2e_step "modprobe cifs loads the DKMS cifs" modprobe_cifs || true
	e2e_step "ksmbd.mountd serves share and guest" e2e_ksmbd_start || true
	e2e_step "a signed SMB 3.1.1 mount: data intact, both sides signed with AES-GMAC" signed_mount || true
	e2e_step "unmount, stop ksmbd, unload cifs, ksmbd and smbsign" e2e_teardown || true
	e2e_step "as at boot, systemd-modules-load loads the DKMS smbsign with the policy" boot_load || true
	e2e_step "make dkms-remove" run_make dkms-remove || true
	e2e_step "after: modprobe finds the kernel's own cifs and ksmbd again; nothing left in DKMS" stock_back || true
	e2e_step "the files are as before make dkms-install" files_as_before || true
	e2e_step "the test's own changes undone" restore || true
	e2e_finish
}

main "$@"
