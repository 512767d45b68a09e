/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): atomics of a single-threaded program. */
#ifndef _KSHIM_LINUX_ATOMIC_H
#define _KSHIM_LINUX_ATOMIC_H

#include "../kshim.h"

typedef struct {
	s64 counter;
} atomic64_t;

static inline void atomic64_inc(atomic64_t *v)
{
	v->counter++;
}

static inline s64 atomic64_read(const atomic64_t *v)
{
	return v->counter;
}

#endif
