#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sysfs interface of smbsign (Documentation/ABI/testing/
# sysfs-kernel-smbsign): file layout and modes, defaults, every policy file
# with every valid form and every invalid one (garbage, empty, overlong,
# partial writes, trailing junk; EINVAL and nothing changed), non-root
# writers (EACCES), the counters and stats/reset, and the module parameters
# at load. Writes go through python3 for exact write(2) control.
#
# The module is $SMBSIGN_KO, else $SMBSIGN_TOP/smbsign/smbsign.ko. Changes
# the running kernel: run it in a VM (tools/testing/vm/selftests).
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # the checks are called through step
set -eu

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

readonly TRUE_FORMS=(1 y Y on true '1\n' 'y\n' 'Y\n' 'on\n' 'true\n')
readonly FALSE_FORMS=(0 n N off false '0\n' 'n\n' 'N\n' 'off\n' 'false\n')

long() { printf "%$2s" '' | tr ' ' "$1"; }	# long CHAR COUNT

# Invalid boolean writes: garbage, empty, whitespace, prefixes of valid
# words (partial writes, also split over two write(2) calls with "|"),
# trailing junk, NUL bytes, more than a page. "yes", "no" and other cases
# ("True") are left out: the ABI lists 1/0, y/n, Y/N, on/off, true/false,
# the module also accepts them.
BOOL_BAD=(
	garbage maybe 2 -1 01 10 t f o tr tru fals of nonsense ye yess noo
	'\n' '\n\n' ' ' ' 1' '1 ' '\t1' '1x' '1 1' '1\n\n' '0\n0' 'true\n\n'
	'on\nx' '1\r\n' 'y\ny' '1,' 'x1' '1\x00' '0\x00x'
	't|rue' 'of|f' 'fal|se' 'tr|ue\n'
	"$(long 1 5000)" "true$(long ' ' 4996)" "$(long 0 4096)"
)
# Invalid algorithm lists: unknown names, duplicates, empty lists, other
# separators, prefixes, trailing junk, the bracketed read form, overlong.
ALG_BAD=(
	foo aes gmac aes-ccm hmac-sha512 sha256 '[aes-cmac]'
	'[aes-gmac] [aes-cmac] [hmac-sha256]'
	'aes-cmac aes-cmac' 'aes-cmac,aes-cmac' 'aes-gmac aes-cmac aes-gmac'
	'hmac-sha256,aes-cmac,aes-gmac,hmac-sha256'
	'\n' ' ' ',' ' , ' '\n\n'
	'aes-cmac;hmac-sha256' 'aes-cmac:hmac-sha256' 'aes-cmac/hmac-sha256'
	aes- aes-cm hmac-sha25 'aes-|cmac' aes-cmacx aes-cmac-
	'aes-cmac\n\n' 'aes-cmac\nx' 'aes-cmac\x00hmac-sha256' 'aes-cmac foo'
	'foo aes-cmac'
	"$(for _ in $(seq 600); do printf 'aes-cmac '; done)" "$(long a 5000)"
)

# Invalid peer lists (both sides): malformed addresses and prefixes,
# prefixes with host bits, leading zeros, duplicates, other separators,
# more than 16 entries, a page of garbage.
PEERS_BAD=(
	192.0.2 192.0.2.256 0192.0.2.1 192.0.2.1/24 192.0.2.0/33 192.0.2.0/
	192.0.2.0/024 1::2::3 1:2:3:4:5:6:7:8:9 ':::' 'fe80::1/10'
	'192.0.2.1,192.0.2.1' '192.0.2.1;192.0.2.2' '192.0.2.1\n\n'
	'192.0.2.1\x00' '192.0.2.1\t192.0.2.2' 'nas..example' '-nas' 'nas.'
	'n*s' 'nas,NAS' "$(for i in $(seq 17); do printf '10.0.0.%d ' "$i"; done)"
	"$(long a 5000)"
)

# smbsign's own fast paths, as drivers/<alg> names them (names.h); not
# crypto API drivers, so /proc/crypto does not list them.
mapfile -t FAST_DRIVERS < <(sed -n \
	's/^#define SMBSIGN_FAST_[A-Z]*_DRIVER[[:space:]]*"\(.*\)"$/\1/p' \
	"$SMBSIGN_TOP/smbsign/names.h")
readonly FAST_DRIVERS

cleanup() {
	module_unload >/dev/null 2>&1 || true
}

sysfs_exists() {
	[ -d "$SYSFS" ] && return 0
	echo "$SYSFS does not exist with smbsign loaded"
	return 1
}

counter_files() {
	local side=$1 alg=$2 c
	for c in $COUNTERS; do
		printf '%s\n' "$SYSFS/stats/$side/$alg/$c"
	done
}

modes_policy() {
	expect_mode 644 "$SYSFS/algorithms" "${BOOL_KNOBS[@]/#/$SYSFS/}" \
		"$SYSFS/client/unsigned_peers" "$SYSFS/server/unsigned_peers"
}

# Each file of client/ and server/ is also a module parameter named
# <side>_<file>, and each parameter but algorithms is such a file.
files_are_params() {
	local f p bad=0
	for f in "$SYSFS"/client/* "$SYSFS"/server/*; do
		p=${f#"$SYSFS"/}
		[ -e "$PARAMS/${p/\//_}" ] ||
			{ echo "$p has no parameter ${p/\//_}"; bad=1; }
	done
	for p in "$PARAMS"/*; do
		p=${p##*/}
		case $p in algorithms|crypto_api_only) continue ;; esac
		[ -e "$SYSFS/${p/_//}" ] ||
			{ echo "parameter $p has no file ${p/_//}"; bad=1; }
	done
	return "$bad"
}

# peers_accepted SIDE WRITE SHOWN: SIDE/unsigned_peers takes WRITE and
# reads back SHOWN (the canonical form) and a newline.
peers_accepted() {
	expect_accepted "$SYSFS/$1/unsigned_peers" '\n' "$3\\n" "$2"
}

peers_valid() {
	local bad=0
	peers_accepted server '192.0.2.7' '192.0.2.7' || bad=1
	peers_accepted server '192.0.2.0/24 10.0.0.0/8\n' '192.0.2.0/24,10.0.0.0/8' || bad=1
	peers_accepted server '192.0.2.7/32' '192.0.2.7' || bad=1
	peers_accepted server '2001:DB8:0:0:0:0:0:1,fe80::/10' '2001:db8::1,fe80::/10' || bad=1
	peers_accepted server '::ffff:192.0.2.9' '192.0.2.9' || bad=1
	peers_accepted client 'OldNAS.Example.com, 192.0.2.8' 'oldnas.example.com,192.0.2.8' || bad=1
	peers_accepted client '' '' || bad=1
	peers_accepted client '\n' '' || bad=1
	return "$bad"
}

# The server never gets a name (it has no trustworthy one to match).
peers_rejected() {
	local s bad=0
	for s in client server; do
		printf '192.0.2.0/24\n' >"$SYSFS/$s/unsigned_peers"
		expect_rejected "$SYSFS/$s/unsigned_peers" EINVAL "${PEERS_BAD[@]}" || bad=1
	done
	expect_rejected "$SYSFS/server/unsigned_peers" EINVAL nas1 'oldnas.example.com' || bad=1
	return "$bad"
}

modes_info() {
	local a files=("$SYSFS/version")
	for a in $ALGS; do
		files+=("$SYSFS/drivers/$a")
	done
	expect_mode 444 "${files[@]}"
}

modes_counters() {
	local -a files
	mapfile -t files < <(counter_files "$1" "$2")
	expect_mode 444 "${files[@]}"
}

no_server_guest_knob() {
	[ ! -e "$SYSFS/server/allow_insecure_guest" ] ||
		{ echo "server/allow_insecure_guest exists; the ABI has it for the client only"; return 1; }
}

defaults() {
	local bad=0
	expect_content "$SYSFS/client/require_signing" '1\n' || bad=1
	expect_content "$SYSFS/server/require_signing" '0\n' || bad=1
	expect_content "$SYSFS/client/allow_insecure_guest" '0\n' || bad=1
	expect_content "$SYSFS/client/audit_unsigned_peers" '0\n' || bad=1
	expect_content "$SYSFS/server/audit_unsigned_peers" '0\n' || bad=1
	expect_content "$SYSFS/algorithms" '[aes-gmac] [aes-cmac] [hmac-sha256]\n' || bad=1
	expect_content "$SYSFS/client/unsigned_peers" '\n' || bad=1
	expect_content "$SYSFS/server/unsigned_peers" '\n' || bad=1
	expect_content "$SYSFS/crypto_api_only" '0\n' || bad=1
	return "$bad"
}

version_matches() {
	expect_content "$SYSFS/version" "$(modinfo -F version "$KO")\\n"
}

# is_fast_driver NAME: NAME is one of smbsign's own fast paths.
is_fast_driver() {
	local f
	for f in "${FAST_DRIVERS[@]}"; do
		[ "$1" = "$f" ] && return 0
	done
	return 1
}

# Each drivers/<alg> is one name that /proc/crypto lists as a driver, or
# (unless --crypto-api) one of smbsign's fast paths (names.h).
drivers_known() {
	local a drv crypto fast=1 bad=0
	[ "${1:-}" != --crypto-api ] || fast=0
	[ "${#FAST_DRIVERS[@]}" -eq 2 ] ||
		{ echo "names.h: expected 2 fast-path names, found ${#FAST_DRIVERS[@]}"; return 1; }
	slurp crypto /proc/crypto
	for a in $ALGS; do
		raw drv "$SYSFS/drivers/$a" || { bad=1; continue; }
		if [[ ! $drv =~ ^[^[:space:]]+\\n$ ]]; then
			echo "drivers/$a: '$drv' is not one name and a newline"
			bad=1
		elif [ "$fast" = 1 ] && is_fast_driver "${drv%\\n}"; then
			echo "drivers/$a: smbsign's fast path ${drv%\\n}"
		elif [[ $'\n'$crypto != *$'\n'"driver       : ${drv%\\n}"$'\n'* ]]; then
			echo "drivers/$a: '${drv%\\n}' is not a driver in /proc/crypto"
			bad=1
		fi
	done
	return "$bad"
}

# With crypto_api_only set every drivers/* names a crypto API driver, at
# once; cleared, the fast paths (if any) are back.
drivers_follow_crypto_api_only() {
	local before after bad=0
	slurp before "$SYSFS/drivers/aes-gmac"
	set_value crypto_api_only 1
	drivers_known --crypto-api || bad=1
	set_value crypto_api_only 0
	slurp after "$SYSFS/drivers/aes-gmac"
	expect_eq "drivers/aes-gmac after crypto_api_only 1 then 0" "$before" "$after" || bad=1
	return "$bad"
}

counters_zero() {
	local s a c v bad=0
	for s in $SIDES; do
		for a in $ALGS; do
			for c in $COUNTERS; do
				raw v "$SYSFS/stats/$s/$a/$c" || { bad=1; continue; }
				[ "$v" = '0\n' ] ||
					{ printf "stats/%s/%s/%s: '%s', expected '0\\\\n'\\n" "$s" "$a" "$c" "$v"; bad=1; }
			done
		done
	done
	return "$bad"
}

set_value() { printf '%s\n' "$2" >"$SYSFS/$1"; }

# rejects KNOB STATE: with KNOB at STATE, every BOOL_BAD write fails.
bool_rejects() {
	set_value "$1" "$2"
	expect_rejected "$SYSFS/$1" EINVAL "${BOOL_BAD[@]}"
}

zero_byte_write() {
	expect_rejected "$SYSFS/$1" 0 ''
}

# alg_accepted CASE WANT...: after another list, CASE is taken whole and
# the file then lists WANT in brackets, in order.
alg_accepted() {
	local case=$1 res before after len
	shift
	IFS=$'\t' read -r res before after len < <(try_writes --prep 'aes-gmac\n' "$SYSFS/algorithms" "$case")
	[ "$res" = "$len" ] || { echo "$(show_case "$case"): write gave $res, expected $len"; return 1; }
	expect_algs "$SYSFS/algorithms" "$@"
}

algs_valid() {
	local bad=0
	alg_accepted aes-cmac aes-cmac || bad=1
	alg_accepted 'aes-cmac\n' aes-cmac || bad=1
	alg_accepted 'hmac-sha256 aes-cmac aes-gmac\n' hmac-sha256 aes-cmac aes-gmac || bad=1
	alg_accepted 'aes-gmac,hmac-sha256' aes-gmac hmac-sha256 || bad=1
	alg_accepted 'hmac-sha256,aes-gmac\n' hmac-sha256 aes-gmac || bad=1
	alg_accepted 'aes-cmac hmac-sha256' aes-cmac hmac-sha256 || bad=1
	alg_accepted 'aes-gmac aes-cmac hmac-sha256\n' aes-gmac aes-cmac hmac-sha256 || bad=1
	expect_content "$SYSFS/algorithms" '[aes-gmac] [aes-cmac] [hmac-sha256]\n' || bad=1
	return "$bad"
}

algs_rejected() {
	printf 'aes-cmac,hmac-sha256\n' >"$SYSFS/algorithms"
	expect_rejected "$SYSFS/algorithms" EINVAL "${ALG_BAD[@]}"
}

# Root cannot write the read-only files nor read stats/reset.
root_modes_enforced() {
	local bad=0 a
	expect_rejected "$SYSFS/version" EACCES '1\n' || bad=1
	for a in $ALGS; do
		expect_rejected "$SYSFS/drivers/$a" EACCES 'x\n' || bad=1
		expect_rejected "$SYSFS/stats/client/$a/signed" EACCES '0\n' '5\n' || bad=1
	done
	read_errno "$SYSFS/stats/reset" EACCES || bad=1
	return "$bad"
}

# read_errno FILE ERRNO: reading FILE fails with ERRNO.
read_errno() {
	local got
	got=$("${PY[@]}" -c '
import errno, sys
try:
    open(sys.argv[1], "rb").read()
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])' "$1")
	expect_eq "reading $1" "$2" "$got"
}

nobody_cannot_write() {
	local bad=0 k
	for k in "${BOOL_KNOBS[@]}"; do
		set_value "$k" 0
		expect_rejected --as-nobody "$SYSFS/$k" EACCES '1\n' 'y' || bad=1
	done
	expect_rejected --as-nobody "$SYSFS/algorithms" EACCES 'aes-cmac\n' || bad=1
	expect_rejected --as-nobody "$SYSFS/stats/reset" EACCES '1\n' || bad=1
	return "$bad"
}

nobody_can_read() {
	local out
	out=$(as_nobody cat "$SYSFS/version" "$SYSFS/algorithms" \
		"${BOOL_KNOBS[@]/#/$SYSFS/}" "$SYSFS/drivers/aes-cmac" \
		"$SYSFS/stats/server/aes-gmac/verify_failed" 2>&1) ||
		{ echo "an unprivileged read failed: $out"; return 1; }
}

reset_accepts() {
	local res len bad=0 i=0
	local -a cases=(1 '1\n' y Y true on 'on\n')
	while IFS=$'\t' read -r res _ _ len; do
		[ "$res" = "$len" ] ||
			{ echo "stats/reset: $(show_case "${cases[$i]}"): write gave $res, expected $len"; bad=1; }
		i=$((i + 1))
	done < <(try_writes "$SYSFS/stats/reset" "${cases[@]}")
	[ "$i" -eq "${#cases[@]}" ] || { echo "the writer stopped after $i cases"; bad=1; }
	counters_zero || bad=1
	return "$bad"
}

reset_rejects() {
	expect_rejected "$SYSFS/stats/reset" EINVAL 0 '0\n' n N false off garbage \
		'\n' '1x' 2 11 '1\n\n' ' 1' 'tr' "$(long 1 5000)"
}

# params_are NAME=VALUE...: /sys/module/smbsign/parameters/NAME is 0444
# and reads VALUE; a boolean VALUE is 1 or 0, also accepted as Y or N
# (the ABI calls them bool; kernel bool parameters print Y and N).
params_are() {
	local kv name want have bad=0
	for kv in "$@"; do
		name=${kv%%=*} want=${kv#*=}
		expect_mode 444 "$PARAMS/$name" || { bad=1; continue; }
		raw have "$PARAMS/$name" || { bad=1; continue; }
		case $want$have in
		'1Y\n'|'0N\n') have=$want'\n' ;;
		esac
		expect_eq "parameters/$name" "$want\\n" "$have" || bad=1
	done
	return "$bad"
}

params_follow_runtime() {
	local bad=0
	set_value client/require_signing 0 &&
		set_value server/require_signing 1 &&
		printf 'hmac-sha256,aes-cmac\n' >"$SYSFS/algorithms" || return 1
	params_are client_require_signing=0 server_require_signing=1 \
		algorithms=hmac-sha256,aes-cmac || bad=1
	policy_defaults
	return "$bad"
}

reload() {
	module_unload && module_load "$@"
}

loaded_with_params() {
	local bad=0
	reload client_require_signing=0 server_require_signing=1 \
		client_allow_insecure_guest=1 client_audit_unsigned_peers=1 \
		server_audit_unsigned_peers=y algorithms=aes-cmac,hmac-sha256 \
		client_unsigned_peers=OldNAS,192.0.2.8 \
		server_unsigned_peers=192.0.2.0/24 crypto_api_only=1 || return 1
	sysfs_exists || return 1
	expect_content "$SYSFS/crypto_api_only" '1\n' || bad=1
	drivers_known --crypto-api || bad=1
	expect_content "$SYSFS/client/require_signing" '0\n' || bad=1
	expect_content "$SYSFS/server/require_signing" '1\n' || bad=1
	expect_content "$SYSFS/client/allow_insecure_guest" '1\n' || bad=1
	expect_content "$SYSFS/client/audit_unsigned_peers" '1\n' || bad=1
	expect_content "$SYSFS/server/audit_unsigned_peers" '1\n' || bad=1
	expect_algs "$SYSFS/algorithms" aes-cmac hmac-sha256 || bad=1
	expect_content "$SYSFS/client/unsigned_peers" 'oldnas,192.0.2.8\n' || bad=1
	expect_content "$SYSFS/server/unsigned_peers" '192.0.2.0/24\n' || bad=1
	params_are client_require_signing=0 server_require_signing=1 \
		client_allow_insecure_guest=1 client_audit_unsigned_peers=1 \
		server_audit_unsigned_peers=1 algorithms=aes-cmac,hmac-sha256 \
		client_unsigned_peers=oldnas,192.0.2.8 \
		server_unsigned_peers=192.0.2.0/24 crypto_api_only=1 || bad=1
	return "$bad"
}

# insmod with PARAM fails with EINVAL and leaves nothing loaded.
bad_param_refused() {
	local out
	module_unload || return 1
	if out=$(insmod "$KO" "$1" 2>&1); then
		echo "insmod $1 succeeded"
		return 1
	fi
	module_loaded && { echo "insmod $1 failed ($out) but smbsign is loaded"; return 1; }
	[ ! -e "$SYSFS" ] || { echo "$SYSFS exists after a failed load"; return 1; }
	[[ $out == *"Invalid parameters"* ]] ||
		{ echo "insmod $1 failed, but not with EINVAL: $out"; return 1; }
}

gone_after_rmmod() {
	module_unload || return 1
	[ ! -e "$SYSFS" ] || { echo "$SYSFS still exists after rmmod"; return 1; }
}

main() {
	local s a k p
	kernel_test_start
	trap cleanup EXIT

	step "insmod smbsign.ko" module_load || finish
	step "$SYSFS exists" sysfs_exists || finish

	step "policy files are 0644" modes_policy || true
	step "version and drivers/* are 0444" modes_info || true
	for s in $SIDES; do
		for a in $ALGS; do
			step "stats/$s/$a: every counter exists, 0444" modes_counters "$s" "$a" || true
		done
	done
	step "stats/reset is 0200" expect_mode 200 "$SYSFS/stats/reset" || true
	step "server/ has no allow_insecure_guest" no_server_guest_knob || true
	step "defaults: client requires, server does not, no guest, no audit, all algorithms" defaults || true
	step "version is the module's version" version_matches || true
	step "drivers/* name drivers listed in /proc/crypto or smbsign's fast paths" drivers_known || true
	step "drivers/* name crypto API drivers while crypto_api_only is 1" \
		drivers_follow_crypto_api_only || true
	step "every counter starts at 0" counters_zero || true

	for k in "${BOOL_KNOBS[@]}"; do
		step "$k accepts 1 y Y on true, with and without newline" \
			expect_accepted "$SYSFS/$k" '0\n' '1\n' "${TRUE_FORMS[@]}" || true
		step "$k accepts 0 n N off false, with and without newline" \
			expect_accepted "$SYSFS/$k" '1\n' '0\n' "${FALSE_FORMS[@]}" || true
		step "$k rejects ${#BOOL_BAD[@]} invalid writes with EINVAL while 0, unchanged" \
			bool_rejects "$k" 0 || true
		step "$k rejects ${#BOOL_BAD[@]} invalid writes with EINVAL while 1, unchanged" \
			bool_rejects "$k" 1 || true
		step "$k: a zero-byte write changes nothing" zero_byte_write "$k" || true
	done
	policy_defaults

	step "algorithms accepts ordered lists, spaces or commas, with and without newline" algs_valid || true
	step "algorithms rejects ${#ALG_BAD[@]} invalid lists with EINVAL, unchanged" algs_rejected || true
	step "algorithms: a zero-byte write changes nothing" zero_byte_write algorithms || true
	policy_defaults

	step "unsigned_peers take addresses, prefixes (and, client, names); read back canonical" \
		peers_valid || true
	step "unsigned_peers reject ${#PEERS_BAD[@]} invalid lists (server: names too) with EINVAL, unchanged" \
		peers_rejected || true
	step "every file of client/ and server/ is a parameter <side>_<file>, and back" \
		files_are_params || true
	policy_defaults

	step "root gets EACCES writing read-only files and reading stats/reset" root_modes_enforced || true
	step "a non-root writer gets EACCES on every writable file, unchanged" nobody_cannot_write || true
	step "a non-root user can read the policy, version, drivers and counters" nobody_can_read || true
	policy_defaults

	step "stats/reset accepts 1 y Y true on (with newline too), counters stay 0" reset_accepts || true
	step "stats/reset rejects 0, false values and garbage with EINVAL" reset_rejects || true

	step "parameters/* are 0444 with the defaults" params_are client_require_signing=1 \
		server_require_signing=0 client_allow_insecure_guest=0 \
		client_audit_unsigned_peers=0 server_audit_unsigned_peers=0 \
		algorithms=aes-gmac,aes-cmac,hmac-sha256 client_unsigned_peers= \
		server_unsigned_peers= crypto_api_only=0 || true
	step "parameters/* show the current value after a change in $SYSFS" params_follow_runtime || true
	step "insmod with parameters sets the policy and parameters/*" loaded_with_params || true
	for p in client_require_signing=maybe server_require_signing=2 \
		 client_allow_insecure_guest=x client_audit_unsigned_peers= \
		 server_audit_unsigned_peers=-1 algorithms=foo \
		 algorithms=aes-cmac,aes-cmac algorithms= algorithms=aes-cmac,bogus \
		 'algorithms=[aes-cmac]' server_unsigned_peers=nas1 \
		 client_unsigned_peers=192.0.2.1/8 crypto_api_only=2; do
		step "insmod $p fails with EINVAL, nothing loaded" bad_param_refused "$p" || true
	done
	step "insmod with defaults again" reload || true
	step "$SYSFS is gone after rmmod" gone_after_rmmod || true
	step "kernel log has no warnings, no new B/D/W/L taint" kernel_clean || true
	finish
}

main "$@"
