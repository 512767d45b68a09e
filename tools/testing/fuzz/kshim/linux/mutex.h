/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h and lockdep.h): a mutex is a checked flag. */
#ifndef _KSHIM_LINUX_MUTEX_H
#define _KSHIM_LINUX_MUTEX_H

#include "lockdep.h"

struct mutex {
	struct kshim_lock k;
};

#define DEFINE_MUTEX(name)	struct mutex name = { { 0, 1 } }

static inline void mutex_init(struct mutex *m)
{
	kshim_lock_init(&m->k);
}

static inline void mutex_destroy(struct mutex *m)
{
	if (m->k.held)
		KSHIM_BUG("mutex destroyed while held");
	m->k.live = 0;
}

static inline void mutex_lock(struct mutex *m)
{
	kshim_lock_take(&m->k);
}

static inline void mutex_unlock(struct mutex *m)
{
	kshim_lock_release(&m->k);
}

#endif
