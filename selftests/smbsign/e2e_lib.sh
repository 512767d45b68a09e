# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the end-to-end kselftests (e2e_*.sh): they load
# smbsign.ko and the cifs.ko and ksmbd.ko rebuilt by
# tools/testing/smbmods/build in place of the stock modules, serve shares
# with ksmbd.mountd (or Samba's smbd), mount them with mount.cifs over
# loopback, read smbsign's counters and the kernel log, and tear it all
# down again. They change the running kernel: run them in the VM
# (tools/testing/vm/selftests), as root.
#
# A test sources this file, calls e2e_init, runs its checks with e2e_step
# and ends with e2e_finish:
#
#   . "$(dirname "$0")/e2e_lib.sh"
#   e2e_init
#   e2e_step "load smbsign, cifs and ksmbd" e2e_stack_up || e2e_finish
#   e2e_step "a check" my_check_function ARGS || true
#   e2e_finish
#
# e2e_step prints one TAP line per check; a failing check prints why as
# TAP diagnostics. e2e_finish tears everything down (itself a check, so a
# leak of mounts, daemons or modules fails the test), prints the plan and
# exits 0 (all passed) or 1. The EXIT trap tears down too, so a script that
# dies half way leaves a clean VM for the next one. Check functions run in
# the script's shell (they may start daemons and set variables) with
# errexit off, so they report failure by returning non-zero after printing
# the reason.
#
# Run directly, the file serves the test shares until killed or for a
# given time, for tools on the host (Documentation/smbsign/testing.rst):
#   bash e2e_lib.sh serve [SECONDS]
#
# Where things come from (all exported into the VM by tools/testing/vm/run):
#   SMBSIGN_TOP      the repository (smbsign/smbsign.ko, or SMBSIGN_KO)
#   SMBSIGN_SMBMODS  tools/testing/smbmods/build --print-dir, holding
#                    fs/smb/client/cifs.ko and fs/smb/server/ksmbd.ko
#                    (default $SMBSIGN_CACHE/smbmods/$(uname -r))
#   SMBSIGN_SMBD     Samba's smbd, and
#   SMBSIGN_KSMBD_TOOLS  the directory of ksmbd.mountd and friends, both
#                    unpacked by tools/testing/provision, which names them
#                    in $SMBSIGN_CACHE/env (the default)

readonly KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

E2E_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SMBSIGN_TOP=${SMBSIGN_TOP:-$(cd "$E2E_HERE/../.." && pwd)}
SMBSIGN_CACHE=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
# e2e_env NAME: NAME from the environment, else from provision's env file.
e2e_env() {
	if [ -n "${!1:-}" ]; then
		printf '%s' "${!1}"
	elif [ -r "$SMBSIGN_CACHE/env" ]; then
		# shellcheck source=/dev/null
		(. "$SMBSIGN_CACHE/env" && printf '%s' "${!1:-}")
	fi
}
SMBSIGN_SMBD=$(e2e_env SMBSIGN_SMBD)
SMBSIGN_KSMBD_TOOLS=$(e2e_env SMBSIGN_KSMBD_TOOLS)
# ksmbd.mountd, ksmbd.adduser, ksmbd.control
[ -z "$SMBSIGN_KSMBD_TOOLS" ] || PATH=$SMBSIGN_KSMBD_TOOLS:$PATH
E2E_SMBMODS=${SMBSIGN_SMBMODS:-$SMBSIGN_CACHE/smbmods/$(uname -r)}
E2E_SMBSIGN_KO=${SMBSIGN_KO:-$SMBSIGN_TOP/smbsign/smbsign.ko}
E2E_CIFS_KO=$E2E_SMBMODS/fs/smb/client/cifs.ko
E2E_KSMBD_KO=$E2E_SMBMODS/fs/smb/server/ksmbd.ko

readonly E2E_SYS=${SMBSIGN_E2E_SYSFS:-/sys/kernel/smbsign}	# overridable for tests of this file
readonly E2E_ALGS="hmac-sha256 aes-cmac aes-gmac"
readonly E2E_COUNTERS="signed verified verify_failed unsigned_rejected guest_refused bytes_signed bytes_verified"
# The SMB user of the tests: a Unix user too, since ksmbd and smbd map
# SMB users to Unix users.
readonly E2E_USER=smbsign-e2e E2E_UID=4711 E2E_PASS='e2e-Pass.1'
readonly E2E_HOST=127.0.0.1
# Stops the kernel from loading the stock cifs or ksmbd on demand (a
# mount or ksmbd.mountd would otherwise test the wrong module).
readonly E2E_BLOCK=/etc/modprobe.d/smbsign-e2e-block-stock.conf
readonly E2E_BAD_LOG='WARNING:|BUG:|Oops|KASAN|general protection|Call Trace|refcount_t|lockdep|list_del corruption|use-after-free'
readonly E2E_KSMBD_LOCK=/run/ksmbd.lock
# python3 without site: starts several times faster under TCG.
if [ -x /usr/bin/python3 ]; then
	E2E_PY=(/usr/bin/python3 -S)
else
	E2E_PY=(python3 -S)
fi

E2E_N=0
E2E_FAILED=0
E2E_FINISHED=
E2E_IN_STEP=
E2E_WORK=
E2E_MARKS=0
E2E_MARK=
E2E_START_MARK=
E2E_PIDS=()
E2E_SMBD_PIDFILE=

# ------------------------------------------------------------------ TAP

# e2e_info MSG...: a TAP diagnostic line, printed at once (also from
# inside a step, whose own output is shown only when it fails).
e2e_info() { printf '# %s\n' "$*" >&3; }

e2e_skip_all() {
	echo "# SKIP: $*"
	exit "$KSFT_SKIP"
}

# e2e_init: common start of every e2e test. Needs root and a kernel whose
# state may be changed.
e2e_init() {
	exec 3>&1
	[ "$(id -u)" = 0 ] || e2e_skip_all "must run as root"
	[ -d /sys/module ] || e2e_skip_all "sysfs is not mounted"
	E2E_WORK=$(mktemp -d /tmp/smbsign-e2e.XXXXXX)
	chmod 755 "$E2E_WORK"
	mkdir -p "$E2E_WORK/steps"
	trap e2e_on_exit EXIT
	trap 'exit 130' INT TERM
	e2e_mark "start of ${0##*/}" >/dev/null
	E2E_START_MARK=$E2E_MARK
	E2E_T0=$SECONDS
}

# e2e_begin: the usual start of a test: e2e_init, the paths MNT (a mount
# point), SRC and BACK (data files) in the work directory, smbsign with the
# rebuilt cifs and ksmbd loaded and ksmbd.mountd serving the shares. A
# failure to get there ends the test.
e2e_begin() {
	e2e_init
	MNT=$E2E_WORK/mnt
	SRC=$E2E_WORK/src
	BACK=$E2E_WORK/back
	e2e_step "load smbsign and the rebuilt cifs and ksmbd" e2e_stack_up || e2e_finish
	e2e_step "ksmbd.mountd serves the share" e2e_ksmbd_start || e2e_finish
}

# e2e_step DESCRIPTION COMMAND...: one check, one TAP line. COMMAND runs in
# this shell; what it prints is shown as diagnostics when it fails.
e2e_step() {
	local desc=$1 out rc=0 t0=$SECONDS
	shift
	E2E_N=$((E2E_N + 1))
	out=$E2E_WORK/steps/$E2E_N.out
	E2E_IN_STEP=$desc
	"$@" >"$out" 2>&1 </dev/null || rc=$?
	E2E_IN_STEP=
	if [ "$rc" -eq 0 ]; then
		echo "ok $E2E_N $desc"
		[ $((SECONDS - t0)) -lt 20 ] || echo "#   (took $((SECONDS - t0)) s)"
		return 0
	fi
	echo "not ok $E2E_N $desc"
	if [ -s "$out" ]; then
		sed 's/^/#   /' "$out" | head -n 40
	else
		echo "#   (no reason given, exit status $rc)"
	fi
	E2E_FAILED=$((E2E_FAILED + 1))
	[ $((SECONDS - t0)) -lt 20 ] || echo "#   (took $((SECONDS - t0)) s)"
	return 1
}

# e2e_finish: tear down (a check of its own), print the plan, exit.
e2e_finish() {
	e2e_step "teardown: no mount, daemon or module left behind" e2e_teardown || true
	e2e_step "kernel log has no warnings, oopses or BUGs" e2e_log_clean || true
	e2e_info "${0##*/} took $((SECONDS - E2E_T0)) s"
	E2E_FINISHED=1
	echo "1..$E2E_N"
	[ "$E2E_FAILED" -eq 0 ] || { echo "# $E2E_FAILED check(s) failed"; exit "$KSFT_FAIL"; }
	exit "$KSFT_PASS"
}

# The EXIT trap: a script that stopped before e2e_finish (an error under
# set -e, a signal) still cleans up and reports a failure. It may run in
# the middle of a step, whose output goes to a file: hence fd 3, the
# script's own stdout.
e2e_on_exit() {
	local rc=$?
	trap - EXIT
	if [ -z "$E2E_FINISHED" ]; then
		# The step that was running, or a line of its own.
		[ -n "$E2E_IN_STEP" ] || E2E_N=$((E2E_N + 1))
		{
			echo "not ok $E2E_N ${E2E_IN_STEP:-${0##*/}}: stopped early (exit status $rc)"
			e2e_teardown 2>&1 | sed 's/^/#   teardown: /'
			echo "1..$E2E_N"
		} >&3
		rc=$KSFT_FAIL
	fi
	[ -z "$E2E_WORK" ] || rm -rf "$E2E_WORK"
	exit "$rc"
}

# ------------------------------------------------------------ kernel log

# e2e_mark LABEL: put a marker line in the kernel log; e2e_log_since
# prints what came after the latest marker. Prints the marker.
e2e_mark() {
	E2E_MARKS=$((E2E_MARKS + 1))
	E2E_MARK="smbsign-e2e: [$$.$E2E_MARKS] $1"
	printf '%s\n' "$E2E_MARK" >/dev/kmsg
	printf '%s\n' "$E2E_MARK"
}

# e2e_log_since [MARKER]: kernel log lines after MARKER (default: the
# latest e2e_mark).
e2e_log_since() {
	dmesg | awk -v m="${1:-$E2E_MARK}" 'found { print; next }
		index($0, m) { found = 1 }'
}

# e2e_log_expect REGEX...: some single kernel log line since the latest
# mark matches every REGEX (extended, case-insensitive).
e2e_log_expect() {
	local lines re
	lines=$(e2e_log_since)
	for re in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -iE -- "$re") || {
			echo "no kernel log line since the mark matches all of: $*"
			echo "the kernel said:"
			e2e_log_since | tail -n 15
			return 1
		}
	done
}

# e2e_log_clean: no warning, oops or BUG since the test started.
e2e_log_clean() {
	local bad
	bad=$(e2e_log_since "$E2E_START_MARK" | grep -E "$E2E_BAD_LOG") || return 0
	echo "the kernel log has warnings:"
	printf '%s\n' "$bad" | head -n 20
	return 1
}

# ---------------------------------------------------------------- modules

mod_loaded() { [ -d "/sys/module/$1" ]; }

# e2e_rmmod NAME: unload NAME if loaded, retrying for up to 10 s while it
# is busy (ksmbd's threads and cifs' sessions go away asynchronously).
e2e_rmmod() {
	local name=$1 out
	for _ in $(seq 50); do
		mod_loaded "$name" || return 0
		out=$(rmmod "$name" 2>&1) && return 0
		sleep 0.2
	done
	echo "rmmod $name: $out"
	return 1
}

# e2e_check_ko KO: KO exists and was built for the running kernel.
e2e_check_ko() {
	local ko=$1 want
	[ -f "$ko" ] || { echo "$ko does not exist"; return 1; }
	want=$(modinfo -F vermagic "$ko" 2>&1) || { echo "modinfo $ko: $want"; return 1; }
	want=${want%% *}
	[ "$want" = "$(uname -r)" ] ||
		{ echo "$ko was built for $want, the running kernel is $(uname -r)"; return 1; }
}

# e2e_insmod KO: load KO's dependencies from the VM kernel's module tree
# (its "depends" with modprobe, its soft dependencies if they exist, as
# modprobe --show-depends would), then KO itself with insmod.
e2e_insmod() {
	local ko=$1 dep deps=() soft=() out
	e2e_check_ko "$ko" || return 1
	# One modprobe for all: every process costs under TCG.
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		mod_loaded "$dep" || deps+=("$dep")
	done
	if [ ${#deps[@]} -gt 0 ]; then
		out=$(modprobe -a "${deps[@]}" 2>&1) ||
			{ echo "modprobe ${deps[*]} (needed by ${ko##*/}): $out"; return 1; }
	fi
	for dep in $(modinfo -F softdep "$ko"); do
		case $dep in pre:|post:) ;; *) soft+=("$dep") ;; esac
	done
	[ ${#soft[@]} -eq 0 ] || modprobe -q -a "${soft[@]}" 2>/dev/null || true
	out=$(insmod "$ko" 2>&1) || {
		echo "insmod $ko: $out"
		dmesg | tail -n 10
		return 1
	}
}

# e2e_is_rebuilt NAME KO: the loaded module NAME is KO, not the stock one:
# same srcversion, and tainted out-of-tree ("O"), which Debian's modules
# are not.
e2e_is_rebuilt() {
	local name=$1 ko=$2 have want
	mod_loaded "$name" || { echo "$name is not loaded"; return 1; }
	grep -q O "/sys/module/$name/taint" ||
		{ echo "$name is loaded but not out-of-tree (taint '$(cat "/sys/module/$name/taint")'): the stock module?"; return 1; }
	have=$(cat "/sys/module/$name/srcversion" 2>/dev/null) || have=
	want=$(modinfo -F srcversion "$ko")
	[ "$have" = "$want" ] ||
		{ echo "$name srcversion $have, $ko has $want"; return 1; }
}

# e2e_stack_up [--no-smbsign]: smbsign.ko, then the rebuilt cifs.ko and
# ksmbd.ko; never the stock cifs or ksmbd.
e2e_stack_up() {
	local with_smbsign=1 deps out
	[ "${1:-}" != --no-smbsign ] || with_smbsign=
	if mod_loaded cifs || mod_loaded ksmbd || mod_loaded smbsign; then
		echo "left over from an earlier test: $(lsmod | awk '$1 ~ /^(cifs|ksmbd|smbsign)$/ { print $1 }' | paste -sd ' '); unloading"
		e2e_teardown || return 1
	fi
	printf 'install cifs /bin/false\ninstall ksmbd /bin/false\n' >"$E2E_BLOCK"
	if [ -n "$with_smbsign" ]; then
		e2e_check_ko "$E2E_SMBSIGN_KO" || return 1
		deps=$(modinfo -F depends "$E2E_SMBSIGN_KO")
		if [ -n "$deps" ]; then
			# shellcheck disable=SC2086 # a list of module names
			out=$(modprobe -a ${deps//,/ } 2>&1) ||
				{ echo "modprobe $deps: $out"; return 1; }
		fi
		out=$(insmod "$E2E_SMBSIGN_KO" 2>&1) ||
			{ echo "insmod $E2E_SMBSIGN_KO: $out"; dmesg | tail -n 10; return 1; }
	fi
	e2e_insmod "$E2E_CIFS_KO" || return 1
	e2e_insmod "$E2E_KSMBD_KO" || return 1
	e2e_is_rebuilt cifs "$E2E_CIFS_KO" || return 1
	e2e_is_rebuilt ksmbd "$E2E_KSMBD_KO" || return 1
}

# e2e_teardown: unmount, stop the daemons, unload cifs, ksmbd and smbsign.
# Safe to call at any time and more than once; says what it could not undo.
e2e_teardown() {
	local rc=0 m p
	while read -r m; do
		umount "$m" 2>/dev/null || umount -f "$m" 2>/dev/null ||
			{ echo "cannot unmount $m, detaching it"; umount -l "$m" || rc=1; }
	done < <(awk '$3 == "cifs" || $3 == "smb3" { print $2 }' /proc/mounts | sort -r)
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${E2E_PIDS[@]}"; do
		e2e_wait_gone "$p" 5 || { kill -9 "$p" 2>/dev/null || true; }
	done
	E2E_PIDS=()
	e2e_trace_stop
	e2e_smbd_stop || rc=1
	e2e_ksmbd_stop || rc=1
	e2e_rmmod cifs || rc=1
	e2e_rmmod ksmbd || rc=1
	e2e_rmmod smbsign || rc=1
	rm -f "$E2E_BLOCK"
	return "$rc"
}

# e2e_wait_gone PID SECONDS
e2e_wait_gone() {
	local pid=$1
	for _ in $(seq $(($2 * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# e2e_wait_port PORT [SECONDS]: something listens on TCP PORT.
e2e_wait_port() {
	local port=$1
	for _ in $(seq $((${2:-10} * 10))); do
		ss -Htln "sport = :$port" | grep -q . && return 0
		sleep 0.1
	done
	echo "nothing listens on port $port after ${2:-10} s"
	return 1
}

# ------------------------------------------------------- smbsign's sysfs

# e2e_knob PATH VALUE: write a policy file under /sys/kernel/smbsign.
e2e_knob() {
	[ -d "$E2E_SYS" ] || { echo "$E2E_SYS does not exist (smbsign not loaded?)"; return 1; }
	printf '%s\n' "$2" >"$E2E_SYS/$1" 2>/dev/null ||
		{ echo "cannot write '$2' to $E2E_SYS/$1"; return 1; }
}

# e2e_policy CLIENT_REQUIRE SERVER_REQUIRE [ALLOW_GUEST [ALGORITHMS]]
e2e_policy() {
	e2e_knob client/require_signing "$1" &&
	e2e_knob server/require_signing "$2" &&
	e2e_knob client/allow_insecure_guest "${3:-0}" &&
	e2e_knob algorithms "${4:-aes-gmac aes-cmac hmac-sha256}"
}

e2e_stats_reset() { e2e_knob stats/reset 1; }

# The counter helpers use shell builtins only: under TCG every fork costs
# tens to hundreds of milliseconds.

# e2e_stat SIDE ALG COUNTER: set E2E_V to one counter.
e2e_stat() {
	local f=$E2E_SYS/stats/$1/$2/$3
	E2E_V=
	if [ -r "$f" ] && read -r E2E_V <"$f" && [ -n "$E2E_V" ]; then
		return 0
	fi
	echo "cannot read $f"
	return 1
}

# e2e_stat_sum SIDE COUNTER: set E2E_V to a counter summed over the
# algorithms.
e2e_stat_sum() {
	local alg sum=0
	for alg in $E2E_ALGS; do
		e2e_stat "$1" "$alg" "$2" || return 1
		sum=$((sum + E2E_V))
	done
	E2E_V=$sum
}

# e2e_stats_show SIDE: print the non-zero counters of SIDE on one line.
e2e_stats_show() {
	local alg c out=
	for alg in $E2E_ALGS; do
		for c in $E2E_COUNTERS; do
			e2e_stat "$1" "$alg" "$c" >/dev/null || continue
			[ "$E2E_V" = 0 ] || out="$out $alg/$c=$E2E_V"
		done
	done
	echo "$1 counters:${out:- all zero}"
}

# e2e_expect_alg_only SIDE ALG [MIN_BYTES]: SIDE signed and verified
# messages with ALG and with no other algorithm, nothing failed or was
# rejected, and at least MIN_BYTES were signed and verified with ALG.
e2e_expect_alg_only() {
	local side=$1 want=$2 min=${3:-1} alg c bad=0
	for alg in $E2E_ALGS; do
		for c in signed verified verify_failed unsigned_rejected; do
			e2e_stat "$side" "$alg" "$c" || return 1
			case $alg:$c:$E2E_V in
			"$want":signed:0|"$want":verified:0)
				echo "$side/$alg/$c is 0: nothing $c with $want"; bad=1 ;;
			"$want":signed:*|"$want":verified:*) ;;
			*:verify_failed:0|*:unsigned_rejected:0) ;;
			*:verify_failed:*|*:unsigned_rejected:*)
				echo "$side/$alg/$c is $E2E_V, expected 0"; bad=1 ;;
			*:*:0) ;;
			*) echo "$side/$alg/$c is $E2E_V: an algorithm other than $want was used"; bad=1 ;;
			esac
		done
	done
	for c in bytes_signed bytes_verified; do
		e2e_stat "$side" "$want" "$c" || return 1
		[ "$E2E_V" -ge "$min" ] ||
			{ echo "$side/$want/$c is $E2E_V, expected at least $min"; bad=1; }
	done
	[ "$bad" = 0 ] || { e2e_stats_show "$side"; return 1; }
}

# e2e_expect_unsigned SIDE [MAX_BYTES]: SIDE signed and verified nothing,
# or, with MAX_BYTES, fewer bytes than that: MS-SMB2 has a user session
# sign a few messages even when signing is not required (the final SMB
# 3.1.1 SESSION_SETUP response, 3.1.1 TREE_CONNECT, VALIDATE_NEGOTIATE).
# Nothing may fail to verify.
e2e_expect_unsigned() {
	local side=$1 max=${2:-0} c total=0
	e2e_stat_sum "$side" verify_failed || return 1
	[ "$E2E_V" = 0 ] ||
		{ echo "$side: $E2E_V messages failed to verify"; e2e_stats_show "$side"; return 1; }
	for c in signed verified bytes_signed bytes_verified; do
		e2e_stat_sum "$side" "$c" || return 1
		case $c in bytes_*) total=$((total + E2E_V)) ;; esac
		[ "$max" -gt 0 ] || [ "$E2E_V" = 0 ] ||
			{ echo "$side $c $E2E_V messages on an unsigned session"; e2e_stats_show "$side"; return 1; }
	done
	[ "$max" -eq 0 ] || [ "$total" -lt "$max" ] ||
		{ echo "$side signed and verified $total bytes on an unsigned session (at most $max expected)"; e2e_stats_show "$side"; return 1; }
}

# e2e_expect_counter SIDE COUNTER MIN [MAX]: the counter, summed over the
# algorithms, is at least MIN (and at most MAX).
e2e_expect_counter() {
	e2e_stat_sum "$1" "$2" || return 1
	[ "$E2E_V" -ge "$3" ] && [ "$E2E_V" -le "${4:-$E2E_V}" ] && return 0
	if [ -n "${4:-}" ]; then
		echo "$1/*/$2 is $E2E_V, expected between $3 and $4"
	else
		echo "$1/*/$2 is $E2E_V, expected at least $3"
	fi
	e2e_stats_show "$1"
	return 1
}

# ----------------------------------------------------------- tracepoints

readonly E2E_TRACING=/sys/kernel/tracing

# e2e_trace_start: record smbsign's tracepoints from now on, in an empty
# buffer.
e2e_trace_start() {
	[ -d "$E2E_TRACING/events/smbsign" ] ||
		{ echo "no $E2E_TRACING/events/smbsign (tracefs not mounted?)"; return 1; }
	echo 0 >"$E2E_TRACING/tracing_on" &&
	: >"$E2E_TRACING/trace" &&
	echo 1 >"$E2E_TRACING/events/smbsign/enable" &&
	echo 1 >"$E2E_TRACING/tracing_on"
}

e2e_trace_stop() {
	[ ! -d "$E2E_TRACING/events/smbsign" ] ||
		echo 0 >"$E2E_TRACING/events/smbsign/enable"
}

# e2e_trace_expect EVENT REGEX...: the buffer holds an EVENT line matching
# every REGEX (extended).
e2e_trace_expect() {
	local event=$1 lines re
	shift
	lines=$(grep -F " $event: " "$E2E_TRACING/trace") ||
		{ echo "no $event event was recorded"; tail -n 5 "$E2E_TRACING/trace"; return 1; }
	for re in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -E -- "$re") ||
			{ echo "no $event event matches all of: $*"; grep -F " $event: " "$E2E_TRACING/trace" | head -n 5; return 1; }
	done
}

# ------------------------------------------------------------- ksmbd

e2e_unix_user() {
	id -u "$E2E_USER" >/dev/null 2>&1 && return 0
	useradd -M -N -u "$E2E_UID" -g nogroup -d /nonexistent \
		-s /usr/sbin/nologin "$E2E_USER" ||
		{ echo "useradd $E2E_USER failed"; return 1; }
}

# e2e_shares: the directories behind the shares, on the VM's tmpfs:
# share (the user's), guest (anyone's), samba (smbd's).
e2e_shares() {
	E2E_SRV=$E2E_WORK/srv
	mkdir -p "$E2E_SRV/share" "$E2E_SRV/guest" "$E2E_SRV/samba"
	chown "$E2E_USER" "$E2E_SRV/share" "$E2E_SRV/samba"
	chmod 1777 "$E2E_SRV/guest"
}

# e2e_ksmbd_start [PORT [GLOBAL_LINE...]]: ksmbd.mountd serving "share"
# (user $E2E_USER) and "guest" (guest ok) on PORT (default 445), with its
# own configuration and user database under $E2E_WORK. Signing policy is
# left to smbsign: "server signing = auto" unless a GLOBAL_LINE says
# otherwise. Encryption is off so that every message is signed.
e2e_ksmbd_start() {
	local port=${1:-445} conf=$E2E_WORK/ksmbd/ksmbd.conf db=$E2E_WORK/ksmbd/users.db out
	[ $# -eq 0 ] || shift
	e2e_ksmbd_stop || return 1
	e2e_unix_user || return 1
	e2e_shares
	mkdir -p "$E2E_WORK/ksmbd"
	{
		printf '[global]\n'
		printf '\t%s\n' "netbios name = SMBSIGN-VM" "server signing = auto" \
			"smb3 encryption = disabled" "map to guest = bad user" \
			"guest account = nobody" "$@"
		printf '[share]\n'
		printf '\t%s\n' "path = $E2E_SRV/share" "read only = no"
		printf '[guest]\n'
		printf '\t%s\n' "path = $E2E_SRV/guest" "read only = no" "guest ok = yes"
	} >"$conf"
	: >"$db"
	out=$(ksmbd.adduser -c "$conf" -i "$db" -a "$E2E_USER" -p "$E2E_PASS" 2>&1) ||
		{ echo "ksmbd.adduser: $out"; return 1; }
	out=$(ksmbd.mountd -p "$port" -c "$conf" -u "$db" 2>&1) ||
		{ echo "ksmbd.mountd: $out"; return 1; }
	e2e_wait_port "$port" || { echo "ksmbd.mountd said: $out"; dmesg | tail -n 5; return 1; }
}

e2e_ksmbd_pid() {
	local pid
	pid=$(cat "$E2E_KSMBD_LOCK" 2>/dev/null) || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# e2e_ksmbd_stop: ksmbd.control --shutdown (stops ksmbd.mountd and the
# kernel server) and wait for ksmbd.mountd to exit.
e2e_ksmbd_stop() {
	local pid
	pid=$(e2e_ksmbd_pid) || return 0
	ksmbd.control --shutdown >/dev/null 2>&1 || true
	e2e_wait_gone "$pid" 10 && return 0
	echo "ksmbd.mountd ($pid) did not stop; killing it"
	kill -9 "$pid" 2>/dev/null || true
	return 1
}

# ------------------------------------------------------------ Samba smbd

# e2e_smbd_start PORT [GLOBAL_LINE...]: Samba's smbd serving "share"
# (user $E2E_USER) on PORT with its own configuration, databases and
# logs under $E2E_WORK/samba; never the host's /etc/samba.
e2e_smbd_start() {
	local port=$1 d=$E2E_WORK/samba out
	shift
	[ -x "${SMBSIGN_SMBD:-}" ] ||
		{ echo "smbd not found (SMBSIGN_SMBD='${SMBSIGN_SMBD:-}'); run tools/testing/provision"; return 1; }
	e2e_smbd_stop || return 1
	e2e_unix_user || return 1
	e2e_shares
	mkdir -p "$d"/{private,lock,state,cache,pid,log,ncalrpc}
	E2E_SMBD_CONF=$d/smb.conf
	{
		printf '[global]\n'
		printf '\t%s\n' "netbios name = SMBSIGN-SAMBA" "workgroup = SMBSIGN" \
			"server role = standalone server" "smb ports = $port" \
			"interfaces = lo" "bind interfaces only = yes" \
			"disable netbios = yes" "load printers = no" \
			"printcap name = /dev/null" "disable spoolss = yes" \
			"private dir = $d/private" "lock directory = $d/lock" \
			"state directory = $d/state" "cache directory = $d/cache" \
			"pid directory = $d/pid" "ncalrpc dir = $d/ncalrpc" \
			"passdb backend = tdbsam:$d/private/passdb.tdb" \
			"log file = $d/log/%m.log" "log level = 1" \
			"server smb encrypt = off" "$@"
		printf '[share]\n'
		printf '\t%s\n' "path = $E2E_SRV/samba" "read only = no"
	} >"$E2E_SMBD_CONF"
	out=$(printf '%s\n%s\n' "$E2E_PASS" "$E2E_PASS" |
		smbpasswd -c "$E2E_SMBD_CONF" -s -a "$E2E_USER" 2>&1) ||
		{ echo "smbpasswd -a: $out"; return 1; }
	out=$("$SMBSIGN_SMBD" -D -s "$E2E_SMBD_CONF" 2>&1) ||
		{ echo "smbd: $out"; return 1; }
	E2E_SMBD_PIDFILE=$d/pid/smbd.pid
	e2e_wait_port "$port" || { tail -n 20 "$d"/log/*.log 2>/dev/null; return 1; }
}

e2e_smbd_stop() {
	local pid
	[ -n "$E2E_SMBD_PIDFILE" ] || return 0
	pid=$(cat "$E2E_SMBD_PIDFILE" 2>/dev/null) || pid=
	E2E_SMBD_PIDFILE=
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill "$pid"
	e2e_wait_gone "$pid" 10 && return 0
	echo "smbd ($pid) did not stop; killing it"
	kill -9 "$pid" 2>/dev/null || true
	return 1
}

# -------------------------------------------------------------- mounts

# e2e_mount SHARE MNT OPTIONS [PORT]: mount //127.0.0.1/SHARE on MNT. The
# error mount.cifs printed is kept in $E2E_MOUNT_ERR; returns its status.
e2e_mount() {
	local share=$1 mnt=$2 opts=$3 port=${4:-445} rc=0
	mkdir -p "$mnt"
	[ "$port" = 445 ] || opts=$opts,port=$port
	E2E_MOUNT_ERR=$(mount -t cifs "//$E2E_HOST/$share" "$mnt" -o "$opts" 2>&1) || rc=$?
	return "$rc"
}

# e2e_mount_user MNT VERS [EXTRA_OPTIONS [PORT [SHARE]]]: mount a share as
# $E2E_USER with dialect VERS, uncached (every read and write crosses the
# wire).
e2e_mount_user() {
	local opts="username=$E2E_USER,password=$E2E_PASS,vers=$2,cache=none,actimeo=0"
	[ -z "${3:-}" ] || opts=$opts,$3
	e2e_mount "${5:-share}" "$1" "$opts" "${4:-445}" ||
		{ echo "mount.cifs //$E2E_HOST/${5:-share} (vers=$2${3:+,$3}) failed: $E2E_MOUNT_ERR"; dmesg | tail -n 8; return 1; }
}

e2e_umount() {
	local out
	out=$(umount "$1" 2>&1) || { echo "umount $1: $out"; return 1; }
}

# e2e_cifs_sessions: the session lines of /proc/fs/cifs/DebugData
# ("Dialect 0x311 signed", "SessionId: 0x... signed", "Guest").
e2e_cifs_sessions() {
	grep -E 'Dialect|SessionId|Session Status|Address:' /proc/fs/cifs/DebugData 2>/dev/null
}

# e2e_expect_session DIALECT signed|unsigned [ALG]: the one cifs
# connection uses DIALECT (e.g. 0x311) and signs or not, as an admin sees
# it in /proc/fs/cifs/DebugData: "signed" after the dialect (the
# connection) or after the SessionId (the session), never "unsigned". With
# ALG, DebugData also names the signing algorithm: "signed (ALG)" or
# "smbsign(ALG".
e2e_expect_session() {
	local dialect=$1 want=$2 alg=${3:-} info
	info=$(cat /proc/fs/cifs/DebugData 2>/dev/null) || { echo "no /proc/fs/cifs/DebugData"; return 1; }
	printf '%s\n' "$info" | grep -qE "Dialect $dialect( |\$)" ||
		{ echo "no session with dialect $dialect:"; e2e_cifs_sessions; return 1; }
	if printf '%s\n' "$info" |
		grep -qE "(Dialect $dialect|SessionId: 0x[0-9a-f]+)( .*)? signed([ (,)]|\$)"; then
		[ "$want" = signed ] || { echo "expected an unsigned session; DebugData says:"; e2e_cifs_sessions; return 1; }
	else
		[ "$want" = unsigned ] || { echo "expected a signed session; DebugData says:"; e2e_cifs_sessions; return 1; }
	fi
	[ -z "$alg" ] && return 0
	printf '%s\n' "$info" | grep -qF -e "signed ($alg)" -e "smbsign($alg" && return 0
	echo "DebugData does not name the signing algorithm $alg:"
	e2e_cifs_sessions
	return 1
}

# ---------------------------------------------------------------- data

# e2e_mkdata FILE MIB: MIB MiB of random bytes with no zero byte, so that
# a hole (zeros) in a copy can be told from a changed byte.
e2e_mkdata() {
	head -c "$(($2 << 20))" /dev/urandom | tr '\0' '\377' >"$1"
}

# e2e_copy SRC DST: copy with O_DIRECT on both sides (1 MiB requests), so
# the data crosses the wire whatever the cache mode.
e2e_copy() {
	local out
	out=$(dd if="$1" of="$2" bs=1M iflag=direct oflag=direct conv=fsync status=none 2>&1) ||
		out=$(dd if="$1" of="$2" bs=1M iflag=direct status=none 2>&1) ||
		{ echo "copying $1 to $2 failed: $out"; return 1; }
}

e2e_drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# e2e_same A B: the two files are byte for byte equal.
e2e_same() {
	cmp -s "$1" "$2" && return 0
	echo "$1 and $2 differ:"
	cmp "$1" "$2" 2>&1 | head -n 3
	sha256sum "$1" "$2" 2>&1
	return 1
}

# e2e_no_foreign_bytes ORIG COPY: every byte of COPY is ORIG's byte at the
# same offset or zero (a hole, a write that was refused). ORIG comes from
# e2e_mkdata, so it has no zero byte and a tampered byte shows.
e2e_no_foreign_bytes() {
	"${E2E_PY[@]}" - "$1" "$2" <<'EOF'
import sys
orig = open(sys.argv[1], 'rb').read()
copy = open(sys.argv[2], 'rb').read()
if len(copy) > len(orig):
    sys.exit(f"{sys.argv[2]} is longer than {sys.argv[1]}")
bad = [i for i in range(len(copy)) if copy[i] not in (0, orig[i])]
if bad:
    i = bad[0]
    sys.exit(f"{len(bad)} byte(s) of {sys.argv[2]} were neither the original "
             f"nor zero, first at offset {i}: {copy[i]:#04x}, original "
             f"{orig[i]:#04x}")
EOF
}

# ------------------------------------------------------------ the proxy

# e2e_mitm_start LISTEN_PORT TARGET_PORT RULE: start smbmitm.py between
# LISTEN_PORT and TARGET_PORT on loopback, tampering per RULE (see
# smbmitm.py) once $E2E_MITM_ARM exists. Its events go to $E2E_MITM_LOG.
e2e_mitm_start() {
	E2E_MITM_LOG=$E2E_WORK/mitm.log
	E2E_MITM_ARM=$E2E_WORK/mitm.armed
	rm -f "$E2E_MITM_LOG" "$E2E_MITM_ARM"
	e2e_bg "${E2E_PY[@]}" "$E2E_HERE/smbmitm.py" --listen "$E2E_HOST:$1" \
		--connect "$E2E_HOST:$2" --tamper "$3" --after "$E2E_MITM_ARM" \
		--log "$E2E_MITM_LOG"
	E2E_MITM_PID=$!
	for _ in $(seq 300); do
		grep -qs '^ready' "$E2E_MITM_LOG" && return 0
		kill -0 "$E2E_MITM_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "smbmitm.py did not start"
	cat "$E2E_MITM_LOG" 2>/dev/null
	return 1
}

e2e_mitm_arm() { : >"$E2E_MITM_ARM"; }

e2e_mitm_stop() {
	[ -n "${E2E_MITM_PID:-}" ] || return 0
	kill "$E2E_MITM_PID" 2>/dev/null || true
	e2e_wait_gone "$E2E_MITM_PID" 5 || kill -9 "$E2E_MITM_PID" 2>/dev/null || true
	E2E_MITM_PID=
}

# e2e_mitm_tampered: the proxy tampered with a message; print its event.
e2e_mitm_tampered() {
	grep '^tampered' "$E2E_MITM_LOG" 2>/dev/null && return 0
	echo "the proxy tampered with nothing; its log:"
	tail -n 20 "$E2E_MITM_LOG" 2>/dev/null
	return 1
}

# ------------------------------------------------------------- helpers

# e2e_bg CMD...: start CMD in the background, killed at teardown.
e2e_bg() {
	"$@" &
	E2E_PIDS+=($!)
}

# e2e_timed VAR CMD...: run CMD; store its wall time in seconds (one
# decimal) in VAR.
e2e_timed() {
	local __var=$1 __t0=${EPOCHREALTIME//[!0-9]/} __rc=0 __us
	shift
	"$@" || __rc=$?
	__us=$((${EPOCHREALTIME//[!0-9]/} - __t0))
	printf -v "$__var" '%d.%d' $((__us / 1000000)) $((__us / 100000 % 10))
	return "$__rc"
}

# --------------------------------------------------- run as a program

# bash e2e_lib.sh serve [SECONDS]: load the stack, serve "share" and
# "guest" on port 445 and print how to reach them; stop after SECONDS
# (default: until killed) and tear down.
e2e_serve() {
	local secs=${1:-}
	case $secs in *[!0-9]*) echo "serve: SECONDS must be a number" >&2; exit 2 ;; esac
	e2e_init
	e2e_step "load smbsign and the rebuilt cifs and ksmbd" e2e_stack_up || e2e_finish
	e2e_step "ksmbd.mountd serves share and guest on port 445" e2e_ksmbd_start 445 || e2e_finish
	e2e_info "user $E2E_USER, password $E2E_PASS; shares share and guest"
	e2e_info "from the host (port: SMBSIGN_VM_FWD_PORT, default 10445):"
	e2e_info "  smbclient //127.0.0.1/share -p 10445 -U '$E2E_USER%$E2E_PASS'"
	e2e_info "serving ${secs:-until killed}${secs:+ s}"
	if [ -n "$secs" ]; then
		sleep "$secs"
	else
		while :; do sleep 3600; done
	fi
	e2e_finish
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -eu
	case ${1:-} in
	serve) shift; e2e_serve "$@" ;;
	*) echo "usage: bash ${0##*/} serve [SECONDS]" >&2; exit 2 ;;
	esac
fi
