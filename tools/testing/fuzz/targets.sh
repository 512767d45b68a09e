# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The fuzz targets and how to compile them, shared by tools/testing/fuzz/run
# (gcc, -DSTANDALONE) and tools/testing/fuzz/libfuzzer (clang, libFuzzer).
# Source it after tools/testing/lib.sh; do not run it.
#
#   walker  the SMB2 header and compound-chain walker (smbsign/walker.c)
#   parse   the strict policy parsers (smbsign/parse.c)
#   nonce   the AES-GMAC nonce window (smbsign/nonce.c)
#   peers   the unsigned_peers lists (smbsign/peers.c), against inet_pton()
#   ctl     smbsignctl (tools/smbsignctl): its parsers and whole command lines
#   sign    the sign/verify path (smbsign/sign.c, msg.c, mac.c, ctx.c,
#           stats.c) on the kernel API shim kshim/, against OpenSSL

FUZZ_DIR=$SMBSIGN_TOP/tools/testing/fuzz
FUZZ_TARGETS="walker parse nonce peers ctl sign"

# fuzz_known NAME: is NAME a target?
fuzz_known() {
	case " $FUZZ_TARGETS " in
	*" $1 "*) return 0 ;;
	*) return 1 ;;
	esac
}

# fuzz_sources NAME: the harness and the code it tests, one path a line;
# for ctl the harness's other files (ctl_fuzz.h), every file of the tool
# but main.c, and the kernel's parsers the tool compiles in.
fuzz_sources() {
	local f
	printf '%s\n' "$FUZZ_DIR/$1_fuzz.c"
	case $1 in
	walker|parse|nonce) printf '%s\n' "$SMBSIGN_TOP/smbsign/$1.c" ;;
	# peers.c splits its lists with parse.c's tokenizer.
	peers) printf '%s\n' "$SMBSIGN_TOP/smbsign/peers.c" \
		"$SMBSIGN_TOP/smbsign/parse.c" ;;
	ctl)
		printf '%s\n' "$FUZZ_DIR/ctl_fuzz_models.c" \
			"$FUZZ_DIR/ctl_fuzz_tree.c" \
			"$FUZZ_DIR/ctl_fuzz_checks.c" \
			"$FUZZ_DIR/ctl_fuzz_cmdline.c"
		printf '%s\n' "$SMBSIGN_TOP/smbsign/parse.c" \
			"$SMBSIGN_TOP/smbsign/peers.c"
		for f in "$SMBSIGN_TOP"/tools/smbsignctl/*.c; do
			[ "${f##*/}" = main.c ] || printf '%s\n' "$f"
		done ;;
	# The signing path as the module builds it, unmodified, on the shim.
	sign)
		printf '%s\n' "$FUZZ_DIR/sign_fuzz_case.c" \
			"$FUZZ_DIR/sign_fuzz_oracle.c" \
			"$FUZZ_DIR/kshim/kshim_iov.c" \
			"$FUZZ_DIR/kshim/kshim_crypto.c"
		for f in sign msg mac ctx stats walker nonce parse; do
			printf '%s\n' "$SMBSIGN_TOP/smbsign/$f.c"
		done ;;
	esac
}

# fuzz_flags NAME: what target NAME needs besides the common flags, one a
# line. ctl sees every write(2) first: its __wrap_write() is the kernel
# behind the fake sysfs tree the tool runs against.
fuzz_flags() {
	case $1 in
	ctl) printf '%s\n' -Wl,--wrap=write ;;
	# The shim's headers stand in for the kernel's; the kernel builds
	# without these two warnings, and its code keeps unused step
	# arguments and mixed-sign comparisons.
	sign) printf '%s\n' -I"$FUZZ_DIR/kshim" -D_GNU_SOURCE \
		-Wno-unused-parameter -Wno-sign-compare ;;
	esac
}

# fuzz_libs NAME: the libraries target NAME links, after its sources.
fuzz_libs() {
	case $1 in
	sign) printf '%s\n' -lcrypto ;;
	esac
}

# fuzz_compile CC OUT NAME FLAGS...: compile target NAME into OUT. The
# pure files build outside the kernel with EXPORT_SYMBOL_IF_KUNIT() empty.
fuzz_compile() {
	local cc=$1 out=$2 name=$3 src extra libs
	shift 3
	mapfile -t src < <(fuzz_sources "$name")
	mapfile -t extra < <(fuzz_flags "$name")
	mapfile -t libs < <(fuzz_libs "$name")
	"$cc" -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-D_POSIX_C_SOURCE=200809L '-DEXPORT_SYMBOL_IF_KUNIT(sym)=' \
		-I"$SMBSIGN_TOP/include" -fno-sanitize-recover=all "$@" \
		"${extra[@]}" -o "$out" "${src[@]}" "${libs[@]}"
}
