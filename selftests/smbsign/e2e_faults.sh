#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection into the signing paths of cifs and ksmbd: every
# function smbsign marks ALLOW_ERROR_INJECTION (fail_function), and slab
# allocations (failslab), fail while cifs mounts ksmbd (session setup),
# while it writes and reads a file on the signed mount (signing and
# verifying) and while it unmounts and ksmbd stops (teardown), once on
# the client's side and once on the server's.
#
# Both sides require signing, SMB 3.1.1 with AES-GMAC. A case arms one
# point with probability 100 for a few calls (times), runs the phase's
# operation with a time limit, and disarms. Which side fails is chosen
# with the task filter (make-it-fail):
#   client  the test's own process that mounts, copies or unmounts: cifs
#           works in the caller's context there, ksmbd never does
#   server  kernel threads only: ksmbd's work items run on kworkers, its
#           connections on its own "ksmbd*" threads (failslab: only
#           those, which run nothing but ksmbd; the client's failslab
#           cases fail only allocations that cannot sleep, mostly cifs'
#           mempools, which fall back to their reserves; in the VM the
#           dumped ones are 9p's, the root filesystem's, as the
#           operation's binaries are looked up and read)
# Every injected fault is dumped with its stack (verbose 2), but for
# failslab's quiet ones (__GFP_NOWARN). A case prints how many faults
# fired (the attribute's times counter) and how many dumps went through
# cifs and through ksmbd; it fails if none fired or, for fail_function,
# if none went through the module of its side ([cifs] or [ksmbd] in the
# stack).
#
# A case then requires: the operation ended within the limit (a timeout
# is a hang, a failure) with a clean error (mount.cifs' "mount
# error(N)", a failed copy) or succeeded with intact data (cifs
# reconnected); with the faults off, a fresh mount carries a file intact
# and the kernel log has no report (the fault dumps apart). At the end
# cifs, ksmbd and smbsign unload and kmemleak finds nothing.
#
# The fail_function cases need fail_function's kprobes to go through
# ftrace (CONFIG_FUNCTION_TRACER, KPROBES_ON_FTRACE): on int3 kprobes the
# task filter never matches (ftrace_probed() says why); they are skipped
# there, saying so. Each case checks the kernel log from just before it:
# the run's dumps overflow the log buffer.
#
# SMBSIGN_FAULT_POINTS="smbsign_kdf failslab" runs only those points.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"
# shellcheck source=e2e_leaks.sh
. "$(dirname "$0")/e2e_leaks.sh"

readonly FF=/sys/kernel/debug/fail_function FS=/sys/kernel/debug/failslab
# Each operation's limit: a mount that retries on a dropped connection
# takes tens of seconds on the debug kernel.
readonly OP_TIMEOUT=${SMBSIGN_FAULT_OP_TIMEOUT:-120}
# Faults per case: enough for a retry to fail too, few enough for the
# operation to get through afterwards.
readonly FUNC_TIMES=3 SLAB_TIMES=8
# The phases and the points armed in each besides every injectable
# function at setup: sign and verify (and the MAC under both) on the
# data path, sign and verify on the way out.
readonly IO_POINTS="smbsign_sign smbsign_verify smbsign_mac_compute failslab"
readonly TEARDOWN_POINTS="smbsign_sign smbsign_verify failslab"
readonly ENOMEM_RETVAL=0xfffffffffffffff4	# -ENOMEM as fail_function writes it

MARKED=()
# Why the fail_function cases cannot run here (empty: they can).
FF_SKIP=

skip_unless_supported() {
	[ "$(id -u)" = 0 ] || e2e_skip_all "must run as root"
	[ -d "$FF" ] || e2e_skip_all "kernel lacks CONFIG_FAIL_FUNCTION (no $FF)"
	[ -d "$FS" ] || e2e_skip_all "kernel lacks CONFIG_FAILSLAB (no $FS)"
}

# injectable: smbsign's functions fail_function may fail, from the
# module's own list.
injectable() {
	awk '$2 == "[smbsign]" { print $1 }' "$FF/injectable"
}

# ftrace_probed FN: fail_function's kprobe on FN sits on its ftrace call
# site. fail_function fails a call from the kprobe's pre-handler, which
# asks should_fail(): a kprobe through ftrace (KPROBES_ON_FTRACE, which
# needs FUNCTION_TRACER) runs it in the caller's context, an int3 kprobe
# in int3's (exc_int3 enters kernel-mode breakpoints with
# irqentry_nmi_enter()). There in_task() is false, so the task filter
# never matches (fail_task() in lib/fault-inject.c) and no fault fires;
# without the filter, the probability roll takes get_random_u8()'s
# batched-entropy lock in NMI context, which lockdep reports (and then
# stops checking).
ftrace_probed() {
	local fn=$1 line
	echo "$fn" >"$FF/inject" || { echo "cannot arm fail_function for $fn"; return 2; }
	line=$(grep -F " $fn+0x" /sys/kernel/debug/kprobes/list || :)
	echo "!$fn" >"$FF/inject"
	[[ $line == *"[FTRACE]"* ]] && return 0
	echo "fail_function's kprobe on $fn is not ftrace-based (${line:-not listed}):"
	echo "its handler runs in int3's NMI context, where the task filter never"
	echo "matches; the kernel needs CONFIG_FUNCTION_TRACER (KPROBES_ON_FTRACE)"
	return 1
}

# kthreads PATTERN: the kernel threads whose name matches PATTERN (shell
# builtins only: a process per task would cost seconds under TCG).
kthreads() {
	local d comm stat
	for d in /proc/[0-9]*; do
		read -r comm <"$d/comm" 2>/dev/null || continue
		# shellcheck disable=SC2254 # a pattern on purpose
		case $comm in $1) ;; *) continue ;; esac
		# Kernel threads are kthreadd's (pid 2) children: "PID (COMM) S 2 ...".
		read -r stat <"$d/stat" 2>/dev/null || continue
		stat=${stat##*) }
		case $stat in ?" 2 "*) echo "${d#/proc/}" ;; esac
	done
}

# mark_tasks PATTERN: make the kernel threads named PATTERN fail.
mark_tasks() {
	local p
	for p in $(kthreads "$1"); do
		echo 1 >"/proc/$p/make-it-fail" 2>/dev/null && MARKED+=("$p")
	done
}

unmark_tasks() {
	local p
	for p in "${MARKED[@]}"; do
		echo 0 >"/proc/$p/make-it-fail" 2>/dev/null || true
	done
	MARKED=()
}

attr_dir() { [ "$1" = failslab ] && echo "$FS" || echo "$FF"; }

# arm SIDE POINT: POINT fails with probability 100, at most its times,
# only in the tasks of SIDE.
arm() {
	local side=$1 point=$2 dir times=$FUNC_TIMES
	dir=$(attr_dir "$point")
	if [ "$point" = failslab ]; then
		times=$SLAB_TIMES
		# The server's threads are ksmbd's alone: any allocation.
		if [ "$side" = server ]; then
			echo N >"$FS/ignore-gfp-wait"
		else
			echo Y >"$FS/ignore-gfp-wait"
		fi
	else
		echo "$point" >"$FF/inject" ||
			{ echo "cannot arm fail_function for $point"; return 1; }
		echo "$ENOMEM_RETVAL" >"$FF/$point/retval"
	fi
	echo 2 >"$dir/verbose"
	echo 1000 >"$dir/verbose_ratelimit_burst"
	echo Y >"$dir/task-filter"
	echo 0 >"$dir/space"
	echo 1 >"$dir/interval"
	echo "$times" >"$dir/times"
	ARMED_TIMES=$times
	if [ "$side" = server ]; then
		mark_tasks 'ksmbd*'
		[ "$point" = failslab ] || mark_tasks 'kworker*'
	fi
	echo 100 >"$dir/probability"
}

# disarm POINT: stop injecting; FIRED is how many faults fired.
disarm() {
	local dir left
	dir=$(attr_dir "$1")
	echo 0 >"$dir/probability"
	read -r left <"$dir/times"
	echo 0 >"$dir/times"
	[ "$1" = failslab ] || echo >"$FF/inject"
	unmark_tasks
	FIRED=$((ARMED_TIMES - left))
}

# run_op SIDE CMD...: CMD with the time limit; on the client's side in a
# process of its own marked make-it-fail.
run_op() {
	local side=$1
	shift
	if [ "$side" = client ]; then
		(echo 1 >/proc/self/make-it-fail && exec timeout -k 5 "$OP_TIMEOUT" "$@")
	else
		timeout -k 5 "$OP_TIMEOUT" "$@"
	fi
}

# strip_dumps: the kernel log without fault injection's own dumps.
strip_dumps() {
	awk 'index($0, "FAULT_INJECTION: forcing a failure") { skip = 1 }
	     !skip { print }
	     skip && index($0, "</TASK>") { skip = 0 }'
}

# attribute: "TOTAL CIFS KSMBD" over the dumps since the latest mark. A
# dump is a header, then a stack from its "CPU: N UID:" line to
# "</TASK>". Another CPU's header may land anywhere, even in a stack (the
# header is a printk of its own, the stack is printed under the printk
# CPU lock, in one piece): a stack belongs to the oldest header not yet
# matched.
attribute() {
	e2e_log_since | awk '
	index($0, "FAULT_INJECTION: forcing a failure") { pending++; next }
	!in_dump && pending && / CPU: [0-9]+ UID: [0-9]+ PID: / {
		in_dump = 1; pending--; c = k = 0; next
	}
	in_dump && /\[cifs\]/ { c = 1 }
	in_dump && /\[ksmbd\]/ { k = 1 }
	in_dump && index($0, "</TASK>") { in_dump = 0; n++; nc += c; nk += k }
	END { print n + 0, nc + 0, nk + 0 }'
}

# log_clean_since MARK: no report in the kernel log since MARK, which
# must still be in the log (not lost to the ring buffer).
log_clean_since() {
	local bad
	dmesg | grep -qF "$1" || { echo "the kernel log no longer holds \"$1\""; return 1; }
	bad=$(e2e_log_since "$1" | strip_dumps | kreport_scan)
	[ -n "$bad" ] || return 0
	echo "the kernel log has reports:"
	printf '%s\n' "$bad" | head -n 20
	return 1
}

mount_opts() {
	echo "username=$E2E_USER,password=$E2E_PASS,vers=3.1.1,cache=none,actimeo=0"
}

mounted() { mountpoint -q "$MNT"; }

# The operations of the phases. Each returns its status; 124 and 137 are
# the time limit's.
op_setup() {
	mkdir -p "$MNT"
	run_op "$1" mount -t cifs "//$E2E_HOST/share" "$MNT" -o "$(mount_opts)"
}

op_io() {
	run_op "$1" dd if="$SRC" of="$MNT/io" bs=64K oflag=direct conv=fsync status=none &&
		run_op "$1" dd if="$MNT/io" of="$BACK" bs=64K iflag=direct status=none
}

op_teardown() {
	local pid
	run_op "$1" umount "$MNT" || return
	[ "$1" = server ] || return 0
	pid=$(e2e_ksmbd_pid) || return 0
	run_op server ksmbd.control --shutdown && e2e_wait_gone "$pid" "$OP_TIMEOUT"
}

prepare() {
	case $1 in
	setup) ! mounted || e2e_umount "$MNT" ;;
	*) mounted || e2e_mount_user "$MNT" 3.1.1 ;;
	esac
}

# outcome PHASE STATUS OUT: the operation ended, cleanly.
outcome() {
	local phase=$1 rc=$2 out=$3
	case $rc in
	124|137) echo "$phase did not finish within $OP_TIMEOUT s (a hang)"; return 1 ;;
	0)
		if [ "$phase" = io ]; then
			e2e_same "$SRC" "$BACK" || return 1
		fi
		OUTCOME="succeeded (retried)"
		return 0 ;;
	esac
	if [ "$phase" = setup ]; then
		[[ $out == *"mount error("* ]] ||
			{ echo "mount failed ($rc) without an errno: $out"; return 1; }
		OUTCOME="failed: $(printf '%s\n' "$out" | grep -o 'mount error([0-9]*)' | head -n 1)"
	else
		OUTCOME="failed ($rc): $(printf '%s\n' "$out" | head -n 1)"
	fi
}

# recover: with the faults off, everything works again: unmount if still
# mounted, ksmbd serving, a fresh mount carries a file intact.
recover() {
	if mounted; then
		timeout -k 5 "$OP_TIMEOUT" umount "$MNT" ||
			{ echo "cannot unmount after the faults"; return 1; }
	fi
	e2e_ksmbd_pid >/dev/null || e2e_ksmbd_start || return 1
	e2e_mount_user "$MNT" 3.1.1 || return 1
	rm -f "$BACK"
	e2e_copy "$SRC" "$MNT/after" && e2e_copy "$MNT/after" "$BACK" &&
		e2e_same "$SRC" "$BACK" || return 1
	e2e_umount "$MNT"
}

# fault_case SIDE PHASE POINT: the case, then the kernel log since just
# before it, whatever its outcome: the cases' windows join up, so no
# check needs the whole run's log (the dumps overflow the ring buffer).
fault_case() {
	local mark rc=0
	e2e_mark "fault $*" >/dev/null
	mark=$E2E_MARK
	fault_run "$@" || rc=1
	log_clean_since "$mark" || rc=1
	return "$rc"
}

# fault_run SIDE PHASE POINT
fault_run() {
	local side=$1 phase=$2 point=$3 rc=0 out total nc nk mine module
	prepare "$phase" || return 1
	arm "$side" "$point" || { disarm "$point"; return 1; }
	out=$("op_$phase" "$side" 2>&1) || rc=$?
	disarm "$point"
	read -r total nc nk <<<"$(attribute)"
	if [ "$side" = client ]; then
		mine=$nc module=cifs
	else
		mine=$nk module=ksmbd
	fi
	outcome "$phase" "$rc" "$out" || OUTCOME="bad"
	e2e_info "$side $phase $point: $FIRED fault(s) injected ($total dumped: $nc in cifs, $nk in ksmbd); $OUTCOME"
	[ "$OUTCOME" != bad ] || return 1
	[ "$FIRED" -gt 0 ] || { echo "no fault fired: $point is not reached during $phase"; return 1; }
	# failslab does not dump the allocations that may fail quietly
	# (__GFP_NOWARN: mempools, kvmalloc): its faults count by task.
	[ "$point" = failslab ] || [ "$mine" -gt 0 ] ||
		{ echo "$FIRED fault(s), none in the stack of $module"; return 1; }
	recover
}

wanted() {
	[ -z "${SMBSIGN_FAULT_POINTS:-}" ] && return 0
	[[ " $SMBSIGN_FAULT_POINTS " == *" $1 "* ]]
}

# The injectable list is the module's: every one is armed at setup, and
# the fixed lists of the other phases must be in it.
points_known() {
	local p list
	list=$(injectable)
	[ -n "$list" ] || { echo "smbsign has no function in $FF/injectable"; return 1; }
	for p in $IO_POINTS $TEARDOWN_POINTS; do
		[ "$p" = failslab ] && continue
		grep -qx "$p" <<<"$list" || { echo "$p is not injectable"; return 1; }
	done
	e2e_info "injectable: $(paste -sd ' ' <<<"$list")"
}

run_phase() {
	local side=$1 phase=$2 p
	shift 2
	for p; do
		wanted "$p" || continue
		[ "$p" = failslab ] || [ -z "$FF_SKIP" ] || continue
		e2e_step "$side $phase, $p fails: clean error, then a clean mount" \
			fault_case "$side" "$phase" "$p" || true
	done
}

unload_all() {
	! mounted || e2e_umount "$MNT" || return 1
	e2e_ksmbd_stop && e2e_rmmod cifs && e2e_rmmod ksmbd && e2e_rmmod smbsign
}

main() {
	local side setup_points why
	skip_unless_supported
	e2e_begin
	e2e_kmemleak_on && e2e_kmemleak_clear >/dev/null
	e2e_mkdata "$SRC" 256K
	e2e_step "both sides require signing" e2e_policy 1 1 0 || true
	e2e_step "smbsign's injectable functions include the data path's" points_known || e2e_finish
	setup_points="$(injectable | paste -sd ' ') failslab"
	why=$(ftrace_probed smbsign_sign) || case $? in
	1) FF_SKIP=$(paste -sd ' ' <<<"$why")
	   e2e_step "fail_function cases # SKIP $FF_SKIP" true ;;
	*) e2e_step "fail_function arms" ftrace_probed smbsign_sign || e2e_finish ;;
	esac
	e2e_step "kernel log before the cases has no report" \
		log_clean_since "$E2E_START_MARK" || true
	for side in client server; do
		# shellcheck disable=SC2086 # lists of points
		run_phase "$side" setup $setup_points
		# shellcheck disable=SC2086
		run_phase "$side" io $IO_POINTS
		# shellcheck disable=SC2086
		run_phase "$side" teardown $TEARDOWN_POINTS
	done
	e2e_mark "faults done" >/dev/null
	E2E_START_MARK=$E2E_MARK
	e2e_step "cifs, ksmbd and smbsign unload" unload_all || true
	if e2e_kmemleak_on; then
		e2e_step "kmemleak finds no leak" e2e_kmemleak_none || true
	else
		e2e_step "kmemleak finds no leak # SKIP kernel lacks CONFIG_DEBUG_KMEMLEAK" true
	fi
	# e2e_finish checks the log since the last case (E2E_START_MARK).
	e2e_finish
}

main "$@"
