/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): reference counts. */
#ifndef _KSHIM_LINUX_REFCOUNT_H
#define _KSHIM_LINUX_REFCOUNT_H

#include "../kshim.h"

typedef struct {
	unsigned int refs;
} refcount_t;

static inline void refcount_inc(refcount_t *r)
{
	if (!r->refs)
		KSHIM_BUG("refcount_inc() on 0");
	r->refs++;
}

#endif
