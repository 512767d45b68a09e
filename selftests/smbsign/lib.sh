# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the smbsign kselftests sysfs.sh and smbsignctl.sh and
# by the userspace test of smbsignctl (tools/smbsignctl/tests/run). Source
# it; it only defines things.
#
# TAP: "step DESCRIPTION COMMAND..." runs one check and prints "ok N" or
# "not ok N" with COMMAND's output as the reason; "finish" prints the plan
# and exits with the kselftest status (0 pass, 1 fail, 4 skip).
#
# Under QEMU without KVM every process costs a tenth of a second, so the
# helpers read files and compare output in the shell itself and batch the
# writes through one python3 per group of cases.

# shellcheck source-path=SCRIPTDIR source=kernel_reports.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernel_reports.sh"

# shellcheck disable=SC2034 # the variables are used by the scripts
readonly KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

SMBSIGN_TOP=${SMBSIGN_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KO=${SMBSIGN_KO:-$SMBSIGN_TOP/smbsign/smbsign.ko}
SYSFS=/sys/kernel/smbsign
PARAMS=/sys/module/smbsign/parameters
NOBODY=65534

readonly SIDES="client server"
readonly ALGS="hmac-sha256 aes-cmac aes-gmac"
readonly COUNTERS="signed verified verify_failed unsigned_rejected guest_refused nonce_refused peer_exempted bytes_signed bytes_verified"
# The boolean files of the ABI: the policy, and crypto_api_only.
readonly BOOL_KNOBS=(client/require_signing client/allow_insecure_guest
	client/audit_unsigned_peers server/require_signing server/audit_unsigned_peers
	crypto_api_only)

# python3 for exact write(2) control and JSON, without site (faster). The
# one in /usr/bin also works for the unprivileged user, who may not reach
# a python under /root.
if [ -x /usr/bin/python3 ]; then
	PY=(/usr/bin/python3 -S)
else
	PY=("$(command -v python3 || echo python3)" -S)
fi

ksft_n=0
ksft_failed=0

skip() {
	echo "# SKIP: $*"
	exit "$KSFT_SKIP"
}

finish() {
	echo "1..$ksft_n"
	if [ "$ksft_failed" -ne 0 ]; then
		echo "# $ksft_failed check(s) failed"
		exit "$KSFT_FAIL"
	fi
	exit "$KSFT_PASS"
}

# step DESCRIPTION COMMAND...: one check; COMMAND prints why it failed.
step() {
	local desc=$1 out rc=0
	shift
	ksft_n=$((ksft_n + 1))
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "ok $ksft_n $desc"
		return 0
	fi
	echo "not ok $ksft_n $desc"
	printf '%s\n' "${out:-(no reason given, exit status $rc)}" | sed 's/^/#   /'
	ksft_failed=$((ksft_failed + 1))
	return 1
}

# skip_step DESCRIPTION REASON: a check that cannot run here.
skip_step() {
	ksft_n=$((ksft_n + 1))
	echo "ok $ksft_n $1 # SKIP $2"
}

# A write case for messages: quoted, long ones shortened.
show_case() {
	if [ "${#1}" -gt 40 ]; then
		printf "'%s'...(%d characters)" "${1:0:16}" "${#1}"
	else
		printf "'%s'" "$1"
	fi
}

# expect_eq WHAT WANT HAVE
expect_eq() {
	[ "$2" = "$3" ] && return 0
	echo "$1: expected '$2', got '$3'"
	return 1
}

# slurp VAR FILE: VAR is FILE's exact content, newlines included.
slurp() {
	local -n slurp_var=$1
	slurp_var=''
	{ IFS= read -r -d '' slurp_var || true; } <"$2"
}

# raw VAR FILE: VAR is FILE's content with each newline shown as \n.
raw() {
	local -n raw_var=$1
	slurp raw_var "$2" || return 1
	raw_var=${raw_var//$'\n'/\\n}
}

# value VAR FILE: VAR is FILE's content without its final newline.
value() {
	local -n value_var=$1
	slurp value_var "$2" || return 1
	value_var=${value_var%$'\n'}
}

# expect_content FILE WANT: FILE holds exactly WANT, newlines as \n ('1\n').
expect_content() {
	local have
	raw have "$1" || return 1
	expect_eq "$1" "$2" "$have"
}

# expect_mode MODE FILE...: each FILE exists with MODE (octal, e.g. 644).
expect_mode() {
	local want=$1 line bad=0
	shift
	while IFS= read -r line; do
		case $line in
		"$want "*) ;;
		[0-7]*) echo "${line#* }: mode ${line%% *}, expected $want"; bad=1 ;;
		*) echo "$line"; bad=1 ;;
		esac
	done < <(stat -c '%a %n' -- "$@" 2>&1)
	return "$bad"
}

# as_nobody COMMAND...: run as uid/gid 65534 with no supplementary groups,
# from / (the test directory may be unreadable for that user), with the
# environment kept.
as_nobody() {
	setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups -- \
		sh -c 'cd / && exec "$@"' sh "$@"
}

# --- exact writes ---

# The writer used by try_writes: for each CASE, open FILE, write each of
# its chunks with one write(2) each, close, and print one line
#   RESULTS<TAB>BEFORE<TAB>AFTER<TAB>LEN
# RESULTS: per chunk the byte count or the errno name (an open error is
# the only result); BEFORE/AFTER: Python reprs of the file's content just
# before and after (None when unreadable); LEN: the bytes of the case.
# A CASE is split into chunks at "|" and each chunk is backslash-decoded
# ('1\n', '1\x00x'). With --prep DATA, DATA is written (and must be
# accepted) before each case.
# shellcheck disable=SC2016 # Python source
readonly TRY_WRITES_PY='
import codecs, errno, os, sys
args = sys.argv[1:]
prep = None
if args[0] == "--prep":
    prep = codecs.escape_decode(args[1])[0]
    args = args[2:]
path = args[0]
def content():
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None
def write(fd, data):
    try:
        return str(os.write(fd, data))
    except OSError as e:
        return errno.errorcode[e.errno]
for case in args[1:]:
    if prep is not None:
        fd = os.open(path, os.O_WRONLY)
        r = write(fd, prep)
        os.close(fd)
        if r != str(len(prep)):
            print("prep-" + r, None, None, 0, sep="\t")
            continue
    chunks = [codecs.escape_decode(c)[0] for c in case.split("|")]
    before = content()
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        res = [errno.errorcode[e.errno]]
    else:
        res = [write(fd, c) for c in chunks]
        os.close(fd)
    print(",".join(res), repr(before), repr(content()),
          sum(len(c) for c in chunks), sep="\t")
'

# try_writes [--prep DATA] FILE CASE...: see TRY_WRITES_PY.
try_writes() {
	"${PY[@]}" -c "$TRY_WRITES_PY" "$@"
}

# expect_rejected [--as-nobody] FILE ERRNO CASE...: every chunk of every
# CASE fails with ERRNO and leaves the content as it was.
expect_rejected() {
	local runner=() file want res before after i=0 bad=0 line
	local -a cases
	if [ "$1" = --as-nobody ]; then
		runner=(as_nobody)
		shift
	fi
	file=$1 want=$2
	shift 2
	cases=("$@")
	while IFS=$'\t' read -r res before after _; do
		line=${cases[$i]}
		i=$((i + 1))
		if [[ ! $res =~ ^$want(,$want)*$ ]]; then
			echo "$(show_case "$line"): write gave $res, expected $want"
			bad=1
		elif [ "$before" != "$after" ]; then
			echo "$(show_case "$line"): failed with $res but changed $file from $before to $after"
			bad=1
		fi
	done < <("${runner[@]}" "${PY[@]}" -c "$TRY_WRITES_PY" "$file" "$@")
	[ "$i" -eq "$#" ] || { echo "the writer stopped after $i of $# cases"; bad=1; }
	return "$bad"
}

# expect_accepted FILE PREP WANT CASE...: after writing PREP, each CASE is
# written whole (one write(2), every byte taken) and the file then reads
# WANT. PREP, WANT and the cases are in backslash form ('1\n').
expect_accepted() {
	local file=$1 prep=$2 want="b'$3'" res before after len i=0 bad=0 line
	local -a cases
	shift 3
	cases=("$@")
	while IFS=$'\t' read -r res before after len; do
		line=${cases[$i]}
		i=$((i + 1))
		if [ "$res" != "$len" ]; then
			echo "$(show_case "$line"): write gave $res, expected $len (bytes written) (before: $before)"
			bad=1
		elif [ "$after" != "$want" ]; then
			echo "$(show_case "$line"): accepted, but $file reads $after, expected $want (before: $before)"
			bad=1
		fi
	done < <(try_writes --prep "$prep" "$file" "$@")
	[ "$i" -eq "$#" ] || { echo "the writer stopped after $i of $# cases"; bad=1; }
	return "$bad"
}

# --- smbsignctl ($CTL), output kept in $TMP ---

OUT='' ERR='' RC=''

# ctl [--as-nobody] ARGS...: run $CTL; stdout in $OUT and stderr in $ERR
# (each without its final newline), exit status in $RC.
ctl() {
	local runner=()
	if [ "${1:-}" = --as-nobody ]; then
		runner=(as_nobody)
		shift
	fi
	RC=0
	"${runner[@]}" "$CTL" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
	slurp OUT "$TMP/out"
	slurp ERR "$TMP/err"
	OUT=${OUT%$'\n'}
	ERR=${ERR%$'\n'}
}

# expect_exit STATUS [--as-nobody] ARGS...: the tool exits with STATUS. A
# failure prints exactly one line on stderr, "smbsignctl: ..."; success
# prints nothing on stderr.
expect_exit() {
	local status=$1
	shift
	ctl "$@"
	local what="smbsignctl ${*#--as-nobody}"
	if [ "$RC" != "$status" ]; then
		echo "$what: exit status $RC, expected $status; stderr: $ERR"
		return 1
	fi
	if [ "$status" = 0 ]; then
		[ -z "$ERR" ] || { echo "$what: unexpected stderr: $ERR"; return 1; }
	elif [[ $ERR != "smbsignctl: "* || $ERR == *$'\n'* ]]; then
		echo "$what: stderr is not one 'smbsignctl: ' line:"
		printf '%s\n' "$ERR"
		return 1
	fi
}

# out_has LINE...: each LINE is a whole line of $OUT.
out_has() {
	local l bad=0
	for l in "$@"; do
		[[ $'\n'$OUT$'\n' == *$'\n'"$l"$'\n'* ]] ||
			{ echo "no line '$l' in:"; printf '%s\n' "$OUT"; bad=1; }
	done
	return "$bad"
}

# out_is TEXT: $OUT is exactly TEXT.
out_is() {
	[ "$OUT" = "$1" ] && return 0
	diff -u <(printf '%s\n' "$1") <(printf '%s\n' "$OUT") | tail -n +3 || true
	return 1
}

err_has() {
	[[ $ERR == *"$1"* ]] || { echo "stderr does not say '$1': $ERR"; return 1; }
}

# json_is [--subset] WANT: $OUT is one JSON object equal to WANT (with
# --subset: holding WANT's keys with WANT's values).
json_is() {
	local subset=0
	[ "$1" != --subset ] || { subset=1; shift; }
	"${PY[@]}" -c '
import json, sys
have = json.loads(sys.argv[1])
want = json.loads(sys.argv[2])
if sys.argv[3] == "1" and isinstance(have, dict):
    have = {k: have.get(k) for k in want}
if have != want:
    sys.exit("JSON %r\nexpected %r" % (have, want))' "$OUT" "$1" "$subset"
}

# --- the module ---

# The state of every policy file, to show that nothing was written.
policy_snapshot() {
	local -n snap_var=$1
	local f v
	snap_var=''
	for f in "${BOOL_KNOBS[@]}" algorithms; do
		value v "$SYSFS/$f" || v='(unreadable)'
		snap_var+="$f=$v"$'\n'
	done
}

# Back to the module's defaults; a missing file is for the checks to
# report, not this.
policy_defaults() {
	local k
	{
		echo 1 >"$SYSFS/client/require_signing"
		for k in client/allow_insecure_guest client/audit_unsigned_peers \
			 server/require_signing server/audit_unsigned_peers \
			 crypto_api_only; do
			echo 0 >"$SYSFS/$k"
		done
		echo aes-gmac aes-cmac hmac-sha256 >"$SYSFS/algorithms"
		echo >"$SYSFS/client/unsigned_peers"
		echo >"$SYSFS/server/unsigned_peers"
	} 2>/dev/null || true
}

module_loaded() { [ -d /sys/module/smbsign ]; }

# module_load [PARAM=VALUE...]: insmod $KO (after its dependencies).
module_load() {
	local deps out
	[ -f "$KO" ] || { echo "$KO does not exist (build it with make)"; return 1; }
	deps=$(modinfo -F depends "$KO") || { echo "modinfo $KO failed"; return 1; }
	if [ -n "$deps" ]; then
		# shellcheck disable=SC2086 # a list of module names
		modprobe -a ${deps//,/ } || { echo "cannot load dependencies: $deps"; return 1; }
	fi
	out=$(insmod "$KO" "$@" 2>&1) || {
		echo "insmod $KO $*: $out"
		dmesg | tail -n 10
		return 1
	}
}

module_unload() {
	local out
	module_loaded || return 0
	out=$(rmmod smbsign 2>&1) || { echo "rmmod smbsign: $out"; return 1; }
}

# Common start of the kernel tests: root, sysfs, the tools; no smbsign
# loaded. Skips (exit 4) when the machine cannot run them. --basic: the
# test needs neither python3 nor setpriv.
kernel_test_start() {
	[ "$(id -u)" = 0 ] || skip "must run as root"
	[ -d /sys/module ] || skip "sysfs is not mounted"
	command -v insmod >/dev/null || skip "insmod (kmod) is not installed"
	if [ "${1:-}" != --basic ]; then
		"${PY[@]}" -c '' 2>/dev/null || skip "python3 is not installed"
		command -v setpriv >/dev/null ||
			skip "setpriv (util-linux) is not installed"
	fi
	if module_loaded; then
		rmmod smbsign 2>/dev/null ||
			skip "smbsign is already loaded and cannot be unloaded"
	fi
	echo "# module: $KO"
	slurp ksft_taint0 /proc/sys/kernel/tainted
	ksft_taint0=${ksft_taint0%$'\n'}
	dmesg -C
}

# The kernel log has no warning, oops or BUG since kernel_test_start, and
# no new B/D/W/L taint.
kernel_clean() {
	local bad now
	bad=$(dmesg | kreport_scan)
	if [ -n "$bad" ]; then
		echo "the kernel log has reports:"
		printf '%s\n' "$bad" | head -n 20
		return 1
	fi
	slurp now /proc/sys/kernel/tainted
	now=${now%$'\n'}
	if [ $(((now & ~ksft_taint0) & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))) -ne 0 ]; then
		echo "new taint flags (tainted was $ksft_taint0, now $now)"
		return 1
	fi
}

# algs_match READ WANT...: READ (the algorithms file) lists exactly the
# WANT algorithms in brackets, in that order, then every other known
# algorithm once without brackets.
algs_match() {
	local read=$1 tok name i=0 bad=0
	shift
	local -a want=("$@") rest=()
	local -A seen=()
	for tok in $read; do
		if [[ $tok == \[*\] ]]; then
			name=${tok#[}
			name=${name%]}
			if [ ${#rest[@]} -gt 0 ]; then
				echo "'$read': [$name] comes after a disabled algorithm"
				bad=1
			elif [ "$name" != "${want[$i]:-}" ]; then
				echo "'$read': enabled algorithm $((i + 1)) is $name, expected ${want[$i]:-none}"
				bad=1
			fi
			i=$((i + 1))
		else
			name=$tok
			rest+=("$name")
		fi
		case " $ALGS " in
		*" $name "*) ;;
		*) echo "'$read': unknown algorithm '$name'"; bad=1 ;;
		esac
		[ -z "${seen[$name]:-}" ] || { echo "'$read': $name listed twice"; bad=1; }
		seen[$name]=1
	done
	[ "$i" -eq "${#want[@]}" ] ||
		{ echo "'$read': $i enabled algorithms, expected ${#want[@]} (${want[*]})"; bad=1; }
	for name in $ALGS; do
		[ -n "${seen[$name]:-}" ] || { echo "'$read': $name is missing"; bad=1; }
	done
	return "$bad"
}

# expect_algs FILE WANT...: algs_match on FILE's content.
expect_algs() {
	local content
	slurp content "$1" || return 1
	algs_match "$content" "${@:2}"
}
