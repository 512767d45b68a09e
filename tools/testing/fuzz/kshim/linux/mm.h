/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): a struct page is the PAGE_SIZE bytes of memory
 * it describes, so page_address() and virt_to_page() are casts, and
 * bv_page + n is the n-th page of a contiguous (compound) allocation, as
 * in the kernel. kmap_local_page() counts its mappings: the harness
 * checks that every mapping was undone.
 */
#ifndef _KSHIM_LINUX_MM_H
#define _KSHIM_LINUX_MM_H

#include "../kshim.h"
#include "slab.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

struct page {
	unsigned char bytes[PAGE_SIZE];
};

extern int kshim_kmap_depth;

static inline void *page_address(const struct page *page)
{
	return (void *)page;
}

static inline struct page *virt_to_page(const void *addr)
{
	return (struct page *)((uintptr_t)addr & PAGE_MASK);
}

static inline unsigned long offset_in_page(const void *addr)
{
	return (uintptr_t)addr & ~PAGE_MASK;
}

static inline void *kmap_local_page(struct page *page)
{
	kshim_kmap_depth++;
	return page_address(page);
}

/* Takes any address inside the mapped page, as the kernel's does. */
#define kunmap_local(addr)						\
	do {								\
		(void)(addr);						\
		if (--kshim_kmap_depth < 0)				\
			KSHIM_BUG("kunmap_local() without a mapping");	\
	} while (0)

#endif
