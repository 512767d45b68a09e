/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): the allocators are calloc()/free(), so
 * AddressSanitizer sees every object; kfree_sensitive() wipes first.
 * The size of an object is not known to free(), so kfree_sensitive()
 * relies on malloc_usable_size().
 */
#ifndef _KSHIM_LINUX_SLAB_H
#define _KSHIM_LINUX_SLAB_H

#include <malloc.h>

#include "../kshim.h"
#include "err.h"
#include "string.h"

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, size);
}

static inline void *kvzalloc(size_t size, gfp_t gfp)
{
	return kzalloc(size, gfp);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	void *p;

	(void)gfp;
	if (!n || !size || n > SIZE_MAX / size)
		return NULL;
	/* Not zeroed in the kernel either: fill it so stale use shows. */
	p = malloc(n * size);
	return p ? memset(p, 0x6b, n * size) : NULL;
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

static inline void kfree_sensitive(const void *p)
{
	if (!p)
		return;
	memzero_explicit((void *)p, malloc_usable_size((void *)p));
	free((void *)p);
}

#endif
