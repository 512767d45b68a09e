# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the test scripts. Source it; do not run it.
#
# Results: every stage records one line per test case in $SMBSIGN_RESULTS
# ("PASS name", "FAIL name", "SKIP name: reason"); tools/testing/check
# counts them. Without $SMBSIGN_RESULTS the lines are only printed.

SMBSIGN_TOP=${SMBSIGN_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SMBSIGN_CACHE=${SMBSIGN_CACHE:-$HOME/.cache/smbsign}
export SMBSIGN_TOP SMBSIGN_CACHE

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Source the provisioned kernel description, provisioning first if needed.
load_env() {
	"$SMBSIGN_TOP/tools/testing/provision"
	# shellcheck source=/dev/null
	. "$SMBSIGN_CACHE/env"
}

# result pass|fail|skip NAME [REASON]
result() {
	local kind=$1 name=$2 reason=${3:-}
	local line
	case $kind in
	pass) line="PASS $name" ;;
	fail) line="FAIL $name${reason:+: $reason}" ;;
	skip) [ -n "$reason" ] || die "skip of $name needs a reason"
	      line="SKIP $name: $reason" ;;
	*) die "result: unknown kind '$kind'" ;;
	esac
	printf '%s\n' "$line"
	if [ -n "${SMBSIGN_RESULTS:-}" ]; then
		printf '%s\n' "$line" >>"$SMBSIGN_RESULTS"
	fi
}

# tap_results PREFIX FILE: record the top-level "ok"/"not ok" lines of a
# TAP or KTAP stream (indented subtests are left to their parent line).
# Returns non-zero when FILE holds no test line at all.
tap_results() {
	local prefix=$1 file=$2 line name reason n=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) ;;
		*) continue ;;
		esac
		name=$(printf '%s' "$line" | sed -E 's/^(not )?ok [0-9]+ (- )?//; s/ # .*//')
		n=$((n + 1))
		case $line in
		"not ok "*) result fail "$prefix.$name" ;;
		*"# SKIP"*|*"# skip"*)
			reason=${line##*# [Ss][Kk][Ii][Pp]}
			reason=${reason# }
			result skip "$prefix.$name" "${reason:-the test gave no reason}" ;;
		*) result pass "$prefix.$name" ;;
		esac
	done <"$file"
	[ "$n" -gt 0 ]
}
