/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h and lockdep.h): a spinlock is a checked flag. */
#ifndef _KSHIM_LINUX_SPINLOCK_H
#define _KSHIM_LINUX_SPINLOCK_H

#include "lockdep.h"

typedef struct {
	struct kshim_lock k;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	kshim_lock_init(&l->k);
}

static inline void spin_lock(spinlock_t *l)
{
	kshim_lock_take(&l->k);
}

static inline void spin_unlock(spinlock_t *l)
{
	kshim_lock_release(&l->k);
}

#endif
