# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What counts as a kernel report: the one table every test that checks a
# kernel log uses, on the host (tools/testing/vm/kernel-log for a VM's
# whole console, tools/testing/kunit/run for the UML kernel's log) and in
# the VM (lib.sh's kernel_clean and e2e_lib.sh's e2e_log_clean, on dmesg).
# Source it; it only defines things.
#
# KREPORT_RULES is awk code: rules matched against s, one log line with
# its timestamp and leading blanks removed, that call out(KIND) for the
# first line of each report and go to the next line. The first rule that
# matches wins. The caller defines out() and may set the awk variable
# "lockdep" to 0 on a kernel without lockdep, where "Disabling lock
# debugging" only means a taint and no check was lost. The kinds:
#
#   kasan         "BUG: KASAN: ..."
#   ubsan         "UBSAN: ..."
#   atomic-sleep  sleeping in atomic context, scheduling while atomic,
#                 a workqueue leaking its atomic or lock state
#   lockdep       lockdep and RCU-lockdep splats, lockdep turning itself
#                 off
#   kmemleak      "unreferenced object ..." (a leak), kmemleak turning
#                 itself off
#   hung-task     "INFO: task ... blocked for more than N seconds"
#   slub          slab debugging ("BUG kmalloc-64 (Not tainted): ...")
#   list          DEBUG_LIST corruption
#   refcount      refcount_t saturation, underflow, use-after-free
#   oops          any other "BUG: ...", "Oops", general protection fault,
#                 "kernel BUG at", panic
#   warn          any other "WARNING: ..." (WARN_ON and friends)

# shellcheck disable=SC2016 # awk code, expanded by awk
KREPORT_RULES='
	s ~ /^BUG: KASAN: / { out("kasan"); next }
	s ~ /^UBSAN: / { out("ubsan"); next }
	s ~ /^BUG: (sleeping function called from invalid context|scheduling while atomic|workqueue leaked)/ {
		out("atomic-sleep"); next
	}
	s ~ /^WARNING: (possible (circular|recursive) locking|inconsistent lock state|possible irq lock inversion|.*lock order detected|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning|lock held at task exit|Nested lock was not taken|bad contention)/ ||
	s ~ /^(INFO: trying to register non-static key|BUG: (MAX_LOCKDEP|MAX_STACK_TRACE|looking up invalid subclass|key .* has not been registered|held lock freed))/ ||
	s ~ /DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator/ ||
	(lockdep != "0" && s ~ /^Disabling lock debugging/) {
		out("lockdep"); next
	}
	s ~ /^(kmemleak: )?unreferenced object 0x|kmemleak: .*([Dd]isabl|[Ee]mpty|[Ff]ail|[Cc]annot)/ {
		out("kmemleak"); next
	}
	s ~ /^INFO: task .* blocked for more than|^Future hung task reports are suppressed/ {
		out("hung-task"); next
	}
	s ~ /^BUG [^ :]+ \((Not tainted|Tainted)/ { out("slub"); next }
	s ~ /list_(add|del) corruption|list_add double add/ { out("list"); next }
	s ~ /^refcount_t: / { out("refcount"); next }
	# The panic that oops=panic makes of an oops is not a report of its own.
	s ~ /^Kernel panic - not syncing: Fatal exception/ { next }
	s ~ /^(Oops|BUG: |kernel BUG at|Kernel panic|general protection fault|stack segment|double fault|Unable to handle)/ {
		out("oops"); next
	}
	s ~ /^WARNING: / { out("warn"); next }
'

# The awk code that sets s from $0: no carriage return, no leading blanks,
# no printk timestamp or caller id ("[   12.345678] ", "[ T123] ").
# shellcheck disable=SC2016
KREPORT_LINE='
	s = $0
	sub(/\r$/, "", s)
	sub(/^[ \t]*/, "", s)
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", s)
	sub(/^\[ *[CT][0-9]+\] /, "", s)
'

# kreport_scan [FILE...]: the first line of every kernel report in the
# kernel logs FILE (stdin without), one "KIND: LINE" a line.
kreport_scan() {
	awk "function out(kind) { print kind \": \" s }
	     { $KREPORT_LINE }
	     $KREPORT_RULES" "$@"
}
