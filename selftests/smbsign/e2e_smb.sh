# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of e2e_lib.sh (which sources it; do not source it alone): the SMB
# side of the end-to-end tests: ksmbd.mountd, Samba's smbd, cifs mounts,
# test data, and the tampering proxy.

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

# e2e_mount SHARE MNT OPTIONS [PORT [HOST]]: mount //HOST/SHARE on MNT;
# HOST is 127.0.0.1 unless named (a name is not resolved: the mount goes
# to 127.0.0.1 with the name as its server name). The error mount.cifs
# printed is kept in $E2E_MOUNT_ERR; returns its status.
e2e_mount() {
	local share=$1 mnt=$2 opts=$3 port=${4:-445} host=${5:-$E2E_HOST} rc=0
	mkdir -p "$mnt"
	[ "$port" = 445 ] || opts=$opts,port=$port
	[ "$host" = "$E2E_HOST" ] || opts=$opts,ip=$E2E_HOST
	E2E_MOUNT_ERR=$(mount -t cifs "//$host/$share" "$mnt" -o "$opts" 2>&1) || rc=$?
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

# e2e_mkdata FILE SIZE: SIZE MiB (or KiB, written NK) of random bytes with
# no zero byte, so that a hole (zeros) in a copy can be told from a changed
# byte.
e2e_mkdata() {
	local size=$2
	case $size in
	*K) size=$((${size%K} << 10)) ;;
	*) size=$((size << 20)) ;;
	esac
	head -c "$size" /dev/urandom | tr '\0' '\377' >"$1"
}

# e2e_copy SRC DST: copy with O_DIRECT on both sides (1 MiB requests), so
# the data crosses the wire whatever the cache mode.
e2e_copy() {
	local out
	out=$(dd if="$1" of="$2" bs=1M iflag=direct oflag=direct conv=fsync status=none 2>&1) ||
		out=$(dd if="$1" of="$2" bs=1M iflag=direct status=none 2>&1) ||
		{ echo "copying $1 to $2 failed: $out"; return 1; }
}

# e2e_pwrite FD FILE: write FILE's bytes at offset 0 of the file already
# open on FD, with one pwrite(2) (one WRITE request on a cache=none mount,
# on that open's FileId).
e2e_pwrite() {
	"${E2E_PY[@]}" -c 'import os, sys
data = open(sys.argv[2], "rb").read()
n = os.pwrite(int(sys.argv[1]), data, 0)
sys.exit(0 if n == len(data) else "short write: %d of %d bytes" % (n, len(data)))' "$1" "$2"
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

# e2e_mitm_start LISTEN_PORT TARGET_PORT [RULE...]: start smbmitm.py between
# LISTEN_PORT and TARGET_PORT on loopback, acting on each RULE (see
# smbmitm.py) once $E2E_MITM_ARM exists. Its events go to $E2E_MITM_LOG;
# it takes commands on the FIFO $E2E_MITM_CTL (e2e_mitm_ctl).
e2e_mitm_start() {
	local listen=$1 target=$2 rule args=() py=("${E2E_PY[@]}")
	shift 2
	for rule; do
		args+=(--tamper "$rule")
	done
	# E2E_MITM_PASSWORD: the proxy derives the sessions' keys (resign).
	# It needs pycryptodome, from site's dist-packages: no -S.
	[ -z "${E2E_MITM_PASSWORD:-}" ] ||
		args+=(--password "$E2E_MITM_PASSWORD") py=("${E2E_PY[0]}")
	E2E_MITM_LOG=$E2E_WORK/mitm.log
	E2E_MITM_ARM=$E2E_WORK/mitm.armed
	E2E_MITM_CTL=$E2E_WORK/mitm.ctl
	rm -f "$E2E_MITM_LOG" "$E2E_MITM_ARM" "$E2E_MITM_CTL"
	e2e_bg "${py[@]}" "$E2E_HERE/smbmitm.py" --listen "$E2E_HOST:$listen" \
		--connect "$E2E_HOST:$target" "${args[@]}" --after "$E2E_MITM_ARM" \
		--control "$E2E_MITM_CTL" --log "$E2E_MITM_LOG"
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

# e2e_mitm_tampered [REGEX]: the proxy tampered with a message (whose
# event matches REGEX, e.g. "dir=resp cmd=READ"); print its events.
e2e_mitm_tampered() {
	grep -E "^tampered .*${1:-}" "$E2E_MITM_LOG" 2>/dev/null && return 0
	echo "the proxy tampered with no message${1:+ matching \"$1\"}; its log:"
	tail -n 20 "$E2E_MITM_LOG" 2>/dev/null
	return 1
}

# e2e_mitm_wait REGEX [COUNT]: wait until COUNT (default 1) lines of the
# proxy's log match REGEX (extended) and print them; the proxy logs each
# event as it happens, so this waits for the event, not for time. Gives up
# after 120 s, or when the proxy is gone.
e2e_mitm_wait() {
	local re=$1 want=${2:-1} n end=$((SECONDS + 120))
	while [ "$SECONDS" -le "$end" ]; do
		n=$(grep -cE -- "$re" "$E2E_MITM_LOG" 2>/dev/null) || n=0
		if [ "$n" -ge "$want" ]; then
			grep -E -- "$re" "$E2E_MITM_LOG"
			return 0
		fi
		kill -0 "${E2E_MITM_PID:-0}" 2>/dev/null || break
		sleep 0.1
	done
	echo "the proxy logged no $want line(s) matching '$re'; its log ends:"
	tail -n 15 "$E2E_MITM_LOG" 2>/dev/null
	return 1
}

# e2e_mitm_ctl COMMAND: send a command to the proxy (smbmitm.py: inject,
# report). The FIFO is opened read-write, so this never blocks.
e2e_mitm_ctl() {
	local fd
	kill -0 "${E2E_MITM_PID:-0}" 2>/dev/null || { echo "the proxy is not running"; return 1; }
	exec {fd}<>"$E2E_MITM_CTL"
	printf '%s\n' "$1" >&"$fd"
	exec {fd}>&-
}

# e2e_mitm_field LINE KEY: the value of KEY=VALUE in a line of the log.
e2e_mitm_field() {
	local w
	for w in $1; do
		case $w in "$2="*) printf '%s\n' "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# e2e_mitm_nonces_unique: no two signed responses on one connection had
# the same AES-GMAC nonce (SessionId, MessageId, role, CANCEL; MS-SMB2
# 3.1.4.1), as the proxy saw every signed response; and it saw some.
e2e_mitm_nonces_unique() {
	local before lines total=0 l n
	before=$(grep -c '^report-done' "$E2E_MITM_LOG") || before=0
	e2e_mitm_ctl report || return 1
	e2e_mitm_wait '^report-done' $((before + 1)) >/dev/null || return 1
	if grep '^nonce-reuse' "$E2E_MITM_LOG"; then
		echo "^ signed responses that share a nonce: their signatures give away the GHASH key"
		return 1
	fi
	lines=$(grep '^nonces' "$E2E_MITM_LOG" | tail -n "$(grep -c '^open' "$E2E_MITM_LOG")")
	while read -r l; do
		n=$(e2e_mitm_field "$l" signed_responses) && total=$((total + n))
	done <<<"$lines"
	[ "$total" -gt 0 ] || { echo "the proxy saw no signed response at all:"; printf '%s\n' "$lines"; return 1; }
	e2e_info "the proxy checked the nonces of $total signed responses"
}

# e2e_mitm_mount PORT VERS EXTRA_OPTIONS [RULE...]: start the proxy on PORT
# in front of ksmbd (port 445) with the RULEs, and mount "share" through it
# on $MNT as $E2E_USER (e2e_mount_user).
e2e_mitm_mount() {
	local port=$1 vers=$2 extra=$3
	shift 3
	e2e_mitm_start "$port" 445 "$@" || return 1
	e2e_mount_user "$MNT" "$vers" "$extra" "$port"
}

# e2e_mitm_end: stop tracing, unmount $MNT if mounted, stop the proxy.
e2e_mitm_end() {
	e2e_trace_stop
	if grep -q " $MNT cifs " /proc/mounts; then
		e2e_umount "$MNT" || return 1
	fi
	e2e_mitm_stop
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
