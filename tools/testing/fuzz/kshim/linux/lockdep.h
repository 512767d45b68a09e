/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): locks are flags. The harness is single
 * threaded, so taking a held lock is a deadlock and aborts, and
 * lockdep_assert_held() really checks.
 */
#ifndef _KSHIM_LINUX_LOCKDEP_H
#define _KSHIM_LINUX_LOCKDEP_H

#include "../kshim.h"

struct kshim_lock {
	int held;
	int live;
};

static inline void kshim_lock_init(struct kshim_lock *l)
{
	l->held = 0;
	l->live = 1;
}

static inline void kshim_lock_take(struct kshim_lock *l)
{
	if (!l->live)
		KSHIM_BUG("lock not initialised");
	if (l->held)
		KSHIM_BUG("lock taken twice (deadlock)");
	l->held = 1;
}

static inline void kshim_lock_release(struct kshim_lock *l)
{
	if (!l->held)
		KSHIM_BUG("lock released but not held");
	l->held = 0;
}

#define lockdep_assert_held(l)						\
	do {								\
		if (!(l)->k.held)					\
			KSHIM_BUG("lockdep_assert_held(" #l ")");	\
	} while (0)

#endif
