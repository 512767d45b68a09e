// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate kernel bugs for the debug kernel's canary boot
 * (tools/testing/vm/check-debug): loading this module with bug=KIND makes
 * the kernel report one bug of KIND, then the load fails with -EAGAIN, so
 * the module never stays loaded. Only for the throw-away test VM.
 *
 *   lockdep       two mutexes taken in both orders (no deadlock: one
 *                 thread), "possible circular locking dependency"
 *   atomic-sleep  might_sleep() with preemption disabled, "sleeping
 *                 function called from invalid context" (nothing sleeps)
 *   list          list_add() of an entry whose neighbours do not point
 *                 back, "list_add corruption" (DEBUG_LIST refuses the add)
 *   warn          WARN()
 *
 * The kernel's own test modules cover KASAN (kasan_test_module), UBSAN
 * (test_ubsan) and kmemleak (kmemleak-test).
 */

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0400);
MODULE_PARM_DESC(bug, "which bug to make: lockdep, atomic-sleep, list, warn");

static DEFINE_MUTEX(canary_a);
static DEFINE_MUTEX(canary_b);

static void canary_lockdep(void)
{
	mutex_lock(&canary_a);
	mutex_lock(&canary_b);
	mutex_unlock(&canary_b);
	mutex_unlock(&canary_a);

	mutex_lock(&canary_b);
	mutex_lock(&canary_a);
	mutex_unlock(&canary_a);
	mutex_unlock(&canary_b);
}

static void canary_atomic_sleep(void)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
}

static void canary_list(void)
{
	LIST_HEAD(head);
	struct list_head stray, entry;

	/* head.next points to a node whose prev is not head */
	INIT_LIST_HEAD(&stray);
	head.next = &stray;
	list_add(&entry, &head);
	INIT_LIST_HEAD(&head);
}

static int __init debug_canary_init(void)
{
	if (!strcmp(bug, "lockdep"))
		canary_lockdep();
	else if (!strcmp(bug, "atomic-sleep"))
		canary_atomic_sleep();
	else if (!strcmp(bug, "list"))
		canary_list();
	else if (!strcmp(bug, "warn"))
		WARN(1, "debug_canary: a deliberate warning\n");
	else
		return -EINVAL;
	return -EAGAIN;
}
module_init(debug_canary_init);

MODULE_DESCRIPTION("Deliberate bugs for the smbsign debug kernel's canary boot");
MODULE_LICENSE("GPL");
