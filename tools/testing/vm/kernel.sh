# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The kernels tools/testing/vm/run can boot. Source it after lib.sh and
# load_env; do not run it.
#
# vm_kernel NAME sets, for NAME:
#   VMK_RELEASE  its `uname -r`
#   VMK_IMAGE    the image QEMU boots
#   VMK_MODDIR   its module tree (lib/modules/RELEASE, maybe .ko.xz)
#   VMK_STAMP    changes whenever the image or module tree is rebuilt
#   VMK_CONFIG   its .config
#   VMK_APPEND   what its boots always add to the kernel command line
#   VMK_MACHINE  the QEMU machine type
#   VMK_KO       smbsign.ko built for it
#   VMK_SMBMODS  the directory holding fs/smb/{client,server}/*.ko patched
#                and built for it (tools/testing/smbmods/build)
#   VMK_BENCH_KO smbsign_bench.ko built for it (make bench-module), or
#                empty when none is built for it (the debug kernel)
# NAME is one of
#   debian  the provisioned Debian 6.12 kernel ($SMBSIGN_VMLINUZ); smbsign.ko
#           is the repository's (make), the SMB modules smbmods/build's
#   debug   the debug kernel of tools/testing/debugkernel/build (KASAN,
#           UBSAN, lockdep, kmemleak, ...), with smbsign.ko and the SMB
#           modules that script builds for it; its boots add
#           kasan_multi_shot, so that every KASAN report is printed, not
#           only the first, and no5lvl: with QEMU's 5-level paging, 6.12
#           reads pgtable_l5_enabled() from the CPU features, which
#           identify_cpu() clears and reads again at boot, and KASAN
#           reports a "wild-memory-access" for any interrupt that comes in
#           that window (now and then under TCG); 4-level paging has no
#           such window. It runs on QEMU's q35 machine: on the default
#           i440FX one, ACPI's PCI interrupt routing method (_PRT, a loop
#           in AML) runs into ACPICA's 30 s loop limit once per PCI device
#           in this kernel under TCG, 90 s of every boot
# An unknown NAME, or a debug kernel that was not built, is an error.

# shellcheck disable=SC2034 # the VMK_* variables are for the caller
VM_KERNELS="debian debug"

vm_kernel() {
	local envfile
	case $1 in
	debian)
		VMK_RELEASE=$SMBSIGN_KABI
		VMK_IMAGE=$SMBSIGN_VMLINUZ
		VMK_MODDIR=$SMBSIGN_MODDIR
		VMK_STAMP="$SMBSIGN_KPKGVER $SMBSIGN_MODDIR"
		VMK_CONFIG=${SMBSIGN_VMLINUZ%/*}/config-$SMBSIGN_KABI
		VMK_APPEND=
		VMK_MACHINE=pc
		VMK_KO=$SMBSIGN_TOP/smbsign/smbsign.ko
		VMK_SMBMODS=$("$SMBSIGN_TOP/tools/testing/smbmods/build" --print-dir)
		VMK_BENCH_KO=$SMBSIGN_TOP/tools/testing/bench/kmod/smbsign_bench.ko
		;;
	debug)
		envfile=$SMBSIGN_CACHE/debugkernel/env
		[ -r "$envfile" ] ||
			die "no debug kernel in $SMBSIGN_CACHE: run tools/testing/debugkernel/build"
		# shellcheck source=/dev/null
		. "$envfile"
		VMK_RELEASE=$SMBSIGN_DEBUG_RELEASE
		VMK_IMAGE=$SMBSIGN_DEBUG_VMLINUZ
		VMK_MODDIR=$SMBSIGN_DEBUG_MODDIR
		VMK_STAMP="$SMBSIGN_DEBUG_STAMP $SMBSIGN_DEBUG_MODDIR"
		VMK_CONFIG=$SMBSIGN_DEBUG_CONFIG
		VMK_APPEND="kasan_multi_shot no5lvl"
		VMK_MACHINE=q35
		VMK_KO=$SMBSIGN_DEBUG_KO
		VMK_SMBMODS=$SMBSIGN_DEBUG_SMBMODS
		VMK_BENCH_KO=
		;;
	*) die "unknown kernel '$1' (one of: $VM_KERNELS)" ;;
	esac
	[ -f "$VMK_IMAGE" ] || die "no kernel image $VMK_IMAGE for '$1'"
}
