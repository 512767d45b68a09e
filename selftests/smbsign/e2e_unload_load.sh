#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unload and load attempts under load. cifs writes and reads a file on a
# signed SMB 3.1.1 mount of ksmbd without a pause (both sides sign and
# verify, AES-GMAC) while the test runs SMBSIGN_UNLOAD_CYCLES (200)
# cycles of: rmmod smbsign, rmmod cifs, rmmod ksmbd when something holds
# it, and insmod smbsign.ko (the syscalls, from one process per batch of
# 20 cycles, with a round trip of the I/O between batches). Each must be
# refused, "in use" for the unloads (EWOULDBLOCK, or EBUSY) and EEXIST for
# the second copy of smbsign, and leave smbsign loaded.
# Every SMBSIGN_UNLOAD_DRAIN_EVERY (100) cycles,
# and after the last, the load drains: the I/O stops, cifs unmounts, ksmbd
# stops, and then cifs, ksmbd and smbsign unload (smbsign's refcount 0
# first); between drains everything comes back.
#
# Every round trip of the I/O compares the file read back with the one
# written: no error and no changed byte while the cycles ran, and the
# signing counters of both sides moved. The kernel log stays clean
# (e2e_finish) and, on a kernel with kmemleak, nothing leaked.
#
# Exit status (kselftest): 0 pass, 1 fail, 4 skip.
# shellcheck disable=SC2317 # check functions run through e2e_step
set -eu

# shellcheck source=e2e_lib.sh
. "$(dirname "$0")/e2e_lib.sh"
# shellcheck source=e2e_leaks.sh
. "$(dirname "$0")/e2e_leaks.sh"

readonly CYCLES=${SMBSIGN_UNLOAD_CYCLES:-200}
readonly DRAIN_EVERY=${SMBSIGN_UNLOAD_DRAIN_EVERY:-100}
# Bounds of the waits for the I/O loop (a round trip of 1 MiB takes well
# under a second on Debian's kernel, a few on the debug kernel).
readonly IO_WAIT=120
# Cycles between two checks that the I/O went on.
readonly BATCH=20

IO_PID=
KSMBD_HELD=
REFUSED=0

# io_loop: write and read back $SRC until $STOP exists; one line per
# round trip in $IOLOG: ok, error (the copy failed) or corrupt.
io_loop() {
	while [ ! -e "$STOP" ]; do
		if ! dd if="$SRC" of="$MNT/load" bs=64K oflag=direct conv=fsync status=none 2>/dev/null ||
		   ! dd if="$MNT/load" of="$LOADBACK" bs=64K iflag=direct status=none 2>/dev/null; then
			echo error
		elif cmp -s "$SRC" "$LOADBACK"; then
			echo ok
		else
			echo corrupt
		fi
	done >>"$IOLOG"
}

count() { grep -c -x "$1" "$IOLOG" || true; }

# wait_rounds N: the I/O loop has finished N more round trips.
wait_rounds() {
	local want=$(($(count ok) + $1))
	for _ in $(seq $((IO_WAIT * 10))); do
		[ "$(count ok)" -ge "$want" ] && return 0
		[ "$(count error)$(count corrupt)" = 00 ] || break
		sleep 0.1
	done
	echo "the I/O did not finish $1 round trip(s) within $IO_WAIT s:" \
		"$(count ok) ok, $(count error) error, $(count corrupt) corrupt"
	return 1
}

load_start() {
	rm -f "$STOP"
	: >"$IOLOG"
	io_loop &
	IO_PID=$!
	E2E_PIDS+=("$IO_PID")
	wait_rounds 1
}

load_stop() {
	[ -n "$IO_PID" ] || return 0
	: >"$STOP"
	e2e_wait_gone "$IO_PID" "$IO_WAIT" ||
		{ echo "the I/O loop did not stop within $IO_WAIT s"; return 1; }
	IO_PID=
}

up() {
	if ! mod_loaded smbsign; then
		e2e_stack_up || return 1
	fi
	e2e_ksmbd_pid >/dev/null || e2e_ksmbd_start || return 1
	e2e_policy 1 1 0 && e2e_mount_user "$MNT" 3.1.1 && load_start
}

# attempts K: K cycles of delete_module() of smbsign, cifs and (if
# held) ksmbd, and init_module() of a second smbsign, in one process (a
# process per attempt costs a second under TCG while the I/O runs). Each
# must be refused: "in use" is EWOULDBLOCK (the kernel's answer with
# O_NONBLOCK, as rmmod asks; EBUSY while a module is still coming or
# going), a second smbsign EEXIST. Prints the number refused.
attempts() {
	"${E2E_PY[@]}" -c 'import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
k, ko, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
image = open(ko, "rb").read()
def fails(what, ret, want):
    err = ctypes.get_errno()
    if ret == 0 or err not in want:
        sys.exit("%s: %s, expected %s" % (what, os.strerror(err) if ret else "succeeded",
                 " or ".join(errno.errorcode[e] for e in want)))
refused = 0
for i in range(k):
    for name in names:
        ret = libc.delete_module(name.encode(), os.O_NONBLOCK)
        fails("cycle %d: rmmod %s" % (i + 1, name), ret, (errno.EWOULDBLOCK, errno.EBUSY))
        refused += 1
    ret = libc.init_module(image, ctypes.c_ulong(len(image)), b"")
    fails("cycle %d: insmod of a second smbsign" % (i + 1), ret, (errno.EEXIST,))
    refused += 1
print(refused)' "$1" "$E2E_SMBSIGN_KO" smbsign cifs ${KSMBD_HELD:+ksmbd}
}

# cycles N: N cycles while the I/O runs, in batches of BATCH with a
# round trip of the I/O after each, so that the two overlap; smbsign
# still loaded after each batch.
cycles() {
	local left=$1 k out
	REFUSED=0
	while [ "$left" -gt 0 ]; do
		k=$((left < BATCH ? left : BATCH))
		out=$(attempts "$k") || { echo "$out"; return 1; }
		REFUSED=$((REFUSED + out))
		left=$((left - k))
		[ -d "$E2E_SYS" ] || { echo "$E2E_SYS is gone"; return 1; }
		wait_rounds 1 || return 1
	done
	e2e_info "$1 cycles: $REFUSED unload and load attempts refused;" \
		"$(count ok) round trips so far"
}

io_intact() {
	local ok err bad
	ok=$(count ok) err=$(count error) bad=$(count corrupt)
	e2e_info "I/O: $ok round trips intact, $err failed, $bad corrupt"
	[ "$err" = 0 ] && [ "$bad" = 0 ] && [ "$ok" -gt 0 ] && return 0
	echo "$err round trip(s) failed and $bad came back changed"
	return 1
}

signing_moved() {
	local side c
	for side in client server; do
		for c in signed verified; do
			e2e_stat_sum "$side" "$c" || return 1
			[ "$E2E_V" -gt 0 ] ||
				{ echo "$side $c is 0: the I/O was not signed"; return 1; }
		done
	done
}

# drain: stop the I/O, unmount, stop ksmbd; then cifs, ksmbd and smbsign
# unload, smbsign with no reference left.
drain() {
	local refcnt
	load_stop && e2e_umount "$MNT" && e2e_ksmbd_stop || return 1
	e2e_rmmod cifs && e2e_rmmod ksmbd || return 1
	read -r refcnt </sys/module/smbsign/refcnt ||
		{ echo "cannot read smbsign's refcnt"; return 1; }
	[ "$refcnt" = 0 ] ||
		{ echo "smbsign's refcnt is $refcnt with cifs and ksmbd unloaded"; return 1; }
	rmmod smbsign || return 1
	! mod_loaded smbsign || { echo "smbsign is still loaded"; return 1; }
}

# ksmbd_held: whether something holds ksmbd while it serves (then
# rmmod ksmbd must be refused too); if nothing does, it only unloads in
# the drains.
ksmbd_held() {
	local refcnt
	read -r refcnt </sys/module/ksmbd/refcnt
	KSMBD_HELD=
	[ "$refcnt" = 0 ] || KSMBD_HELD=1
	e2e_info "ksmbd's refcnt while serving: $refcnt"
}

main() {
	local done=0 n round=0
	e2e_init
	# shellcheck disable=SC2034 # MNT for e2e_lib.sh's helpers
	MNT=$E2E_WORK/mnt SRC=$E2E_WORK/src LOADBACK=$E2E_WORK/loadback
	STOP=$E2E_WORK/stop IOLOG=$E2E_WORK/io.log
	case $CYCLES$DRAIN_EVERY in *[!0-9]*|0*) e2e_skip_all "SMBSIGN_UNLOAD_CYCLES and _DRAIN_EVERY take positive numbers" ;; esac
	e2e_kmemleak_on && e2e_kmemleak_clear >/dev/null
	e2e_mkdata "$SRC" 1
	while [ "$done" -lt "$CYCLES" ]; do
		round=$((round + 1))
		n=$((CYCLES - done < DRAIN_EVERY ? CYCLES - done : DRAIN_EVERY))
		e2e_step "round $round: the stack up, a signed mount under continuous I/O" up || break
		e2e_step "round $round: smbsign, cifs and ksmbd state checked" ksmbd_held || true
		e2e_step "round $round: $n cycles of rmmod and insmod refused under load" cycles "$n" || true
		e2e_step "round $round: the I/O stayed intact" io_intact || true
		e2e_step "round $round: both sides signed and verified" signing_moved || true
		e2e_step "round $round: after a drain cifs, ksmbd and smbsign unload" drain || break
		done=$((done + n))
	done
	if e2e_kmemleak_on; then
		e2e_step "kmemleak finds no leak" e2e_kmemleak_none || true
	fi
	e2e_finish
}

main "$@"
