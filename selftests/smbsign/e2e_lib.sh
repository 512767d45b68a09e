# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the end-to-end kselftests (e2e_*.sh), with
# e2e_smbsign.sh (smbsign's files, counters, tracepoints) and e2e_smb.sh
# (ksmbd, smbd, mounts, data, the proxy), which this file sources: they load
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
#                    (default: what that prints for $SMBSIGN_TOP)
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
E2E_SMBMODS=${SMBSIGN_SMBMODS:-$("$SMBSIGN_TOP/tools/testing/smbmods/build" --print-dir 2>/dev/null || :)}
E2E_SMBSIGN_KO=${SMBSIGN_KO:-$SMBSIGN_TOP/smbsign/smbsign.ko}
E2E_CIFS_KO=$E2E_SMBMODS/fs/smb/client/cifs.ko
E2E_KSMBD_KO=$E2E_SMBMODS/fs/smb/server/ksmbd.ko

readonly E2E_SYS=${SMBSIGN_E2E_SYSFS:-/sys/kernel/smbsign}	# overridable for tests of this file
readonly E2E_ALGS="hmac-sha256 aes-cmac aes-gmac"
# The SMB user of the tests: a Unix user too, since ksmbd and smbd map
# SMB users to Unix users.
readonly E2E_USER=smbsign-e2e E2E_UID=4711 E2E_PASS='e2e-Pass.1'
readonly E2E_HOST=127.0.0.1
# Stops the kernel from loading the stock cifs or ksmbd on demand (a
# mount or ksmbd.mountd would otherwise test the wrong module).
readonly E2E_BLOCK=/etc/modprobe.d/smbsign-e2e-block-stock.conf
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

# e2e_begin [--no-ksmbd]: the usual start of a test: e2e_init, the paths
# MNT (a mount point), SRC and BACK (data files) in the work directory,
# smbsign with the rebuilt cifs and ksmbd loaded and (unless --no-ksmbd)
# ksmbd.mountd serving the shares. A failure to get there ends the test.
e2e_begin() {
	e2e_init
	# shellcheck disable=SC2034 # for the test scripts
	MNT=$E2E_WORK/mnt SRC=$E2E_WORK/src BACK=$E2E_WORK/back
	e2e_step "load smbsign and the rebuilt cifs and ksmbd" e2e_stack_up || e2e_finish
	[ "${1:-}" = --no-ksmbd ] ||
		e2e_step "ksmbd.mountd serves share and guest" e2e_ksmbd_start || e2e_finish
}

# e2e_trim VAR...: strip leading and trailing blanks from each VAR's value.
e2e_trim() {
	local var v
	for var; do
		v=${!var}
		v=${v#"${v%%[![:space:]]*}"}
		v=${v%"${v##*[![:space:]]}"}
		printf -v "$var" '%s' "$v"
	done
}

# e2e_each_row FUNCTION TABLE: call FUNCTION once for each non-blank line
# of TABLE, with the line's words as its arguments.
e2e_each_row() {
	local row
	while read -r -a row; do
		[ ${#row[@]} -eq 0 ] || "$1" "${row[@]}"
	done <<<"$2"
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

# e2e_known_failure DESCRIPTION REASON EXPECTED COMMAND...: a check that
# cannot pass here, for REASON. COMMAND still runs: when it fails and its
# output contains EXPECTED, the check is a SKIP giving REASON; a failure
# of another kind fails, and so does a pass (REASON no longer holds),
# unless E2E_MAY_PASS is set.
e2e_known_failure() {
	local desc=$1 reason=$2 expected=$3 out
	shift 3
	E2E_N=$((E2E_N + 1))
	if out=$("$@" 2>&1); then
		if [ -n "${E2E_MAY_PASS:-}" ]; then
			echo "ok $E2E_N $desc (passes here, though listed: $reason)"
			return 0
		fi
		echo "not ok $E2E_N $desc"
		echo "#   passed, but is listed as one that cannot ($reason): fix the list"
	elif [[ $out != *"$expected"* ]]; then
		echo "not ok $E2E_N $desc"
		echo "#   failed, but not as listed (\"$expected\"):"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 8
	else
		echo "ok $E2E_N $desc # SKIP $reason"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -n 4
		return 0
	fi
	E2E_FAILED=$((E2E_FAILED + 1))
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
	# SMBSIGN_E2E_KEEP=1 keeps the work directory (logs, smbtorture
	# output) for a look after a failure.
	[ -z "$E2E_WORK" ] || [ -n "${SMBSIGN_E2E_KEEP:-}" ] || rm -rf "$E2E_WORK"
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
	bad=$(e2e_log_since "$E2E_START_MARK" | kreport_scan)
	[ -n "$bad" ] || return 0
	echo "the kernel log has reports:"
	printf '%s\n' "$bad" | head -n 20
	return 1
}

# ---------------------------------------------------------------- modules

mod_loaded() { [ -d "/sys/module/$1" ]; }

# e2e_rmmod NAME: unload NAME if loaded. After an unmount or a stopped
# server, cifs' and ksmbd's threads let go of their module asynchronously:
# wait for the state rmmod needs, a refcount of 0 (its holders are other
# modules, which the caller unloads first), for up to 120 s under TCG.
e2e_rmmod() {
	local name=$1 refcnt=unknown out
	for _ in $(seq 600); do
		mod_loaded "$name" || return 0
		read -r refcnt <"/sys/module/$name/refcnt" 2>/dev/null || refcnt=unknown
		[ "$refcnt" != 0 ] || break
		sleep 0.2
	done
	out=$(rmmod "$name" 2>&1) && return 0
	mod_loaded "$name" || return 0
	echo "rmmod $name: $out (refcnt $refcnt)"
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

# e2e_stack_up: smbsign.ko, then the rebuilt cifs.ko and ksmbd.ko, which
# link against it; never the stock cifs or ksmbd.
e2e_stack_up() {
	local deps out
	[ -n "$E2E_SMBMODS" ] ||
		{ echo "SMBSIGN_SMBMODS is not set (tools/testing/smbmods/build --print-dir; tools/testing/vm/selftests sets it)"; return 1; }
	if mod_loaded cifs || mod_loaded ksmbd || mod_loaded smbsign; then
		echo "left over from an earlier test: $(lsmod | awk '$1 ~ /^(cifs|ksmbd|smbsign)$/ { print $1 }' | paste -sd ' '); unloading"
		e2e_teardown || return 1
	fi
	printf 'install cifs /bin/false\ninstall ksmbd /bin/false\n' >"$E2E_BLOCK"
	e2e_check_ko "$E2E_SMBSIGN_KO" || return 1
	deps=$(modinfo -F depends "$E2E_SMBSIGN_KO")
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086 # a list of module names
		out=$(modprobe -a ${deps//,/ } 2>&1) ||
			{ echo "modprobe $deps: $out"; return 1; }
	fi
	out=$(insmod "$E2E_SMBSIGN_KO" 2>&1) ||
		{ echo "insmod $E2E_SMBSIGN_KO: $out"; dmesg | tail -n 10; return 1; }
	e2e_info "smbsign serves with: $(e2e_drivers)"
	e2e_insmod "$E2E_CIFS_KO" || return 1
	e2e_insmod "$E2E_KSMBD_KO" || return 1
	e2e_is_rebuilt cifs "$E2E_CIFS_KO" || return 1
	e2e_is_rebuilt ksmbd "$E2E_KSMBD_KO" || return 1
}

# e2e_drivers: what drivers/<alg> names for each algorithm (a fast path
# or a crypto API driver), for the test log.
e2e_drivers() {
	local a d out=
	for a in $E2E_ALGS; do
		d=$(cat "/sys/kernel/smbsign/drivers/$a" 2>/dev/null) || d='?'
		out+="$a=$d "
	done
	printf '%s\n' "${out% }"
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

# ------------------------------------------------- smbsign, SMB servers

# shellcheck source=kernel_reports.sh
. "$E2E_HERE/kernel_reports.sh"
# shellcheck source=e2e_smbsign.sh
. "$E2E_HERE/e2e_smbsign.sh"
# shellcheck source=e2e_smb.sh
. "$E2E_HERE/e2e_smb.sh"

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
