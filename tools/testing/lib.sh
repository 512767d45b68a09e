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

# match_tests "PATTERNS" SCRIPT...: the SCRIPTs (NAME.sh) that PATTERNS
# name, one per line, each once, in the order of PATTERNS; a pattern is a
# name or shell pattern, ".sh" optional. Dies on a pattern matching none.
match_tests() {
	local pats=$1 pat t n seen=" "
	shift
	set -f
	for pat in $pats; do
		n=0
		for t in "$@"; do
			# shellcheck disable=SC2254 # a pattern on purpose
			case $t in ${pat%.sh}.sh) ;; *) continue ;; esac
			n=$((n + 1))
			case $seen in *" $t "*) continue ;; esac
			seen="$seen$t "
			printf '%s\n' "$t"
		done
		[ "$n" -gt 0 ] || { set +f; die "no test of selftests/smbsign matches '$pat'"; }
	done
	set +f
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

# tap_results PREFIX FILE [--tap|--kselftest|--kunit]: record one result
# per test case of the TAP or KTAP in FILE, named PREFIX.CASE; the one
# converter, tools/testing/tap2results, says what a case is in each format
# (plain TAP by default). Returns non-zero when FILE holds no test case.
tap_results() {
	local prefix=$1 file=$2 kind name reason n=0
	shift 2
	while IFS=$'\t' read -r kind name reason; do
		result "$kind" "$prefix.$name" "$reason"
		n=$((n + 1))
	done < <("$SMBSIGN_TOP/tools/testing/tap2results" "$@" "$file")
	[ "$n" -gt 0 ]
}
