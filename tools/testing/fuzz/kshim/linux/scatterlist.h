/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): scatterlists as the kernel lays them out: the
 * page pointer and two flag bits (chain, end) in page_link, so a missing
 * or misplaced end mark is seen by whoever walks the list
 * (kshim_crypto.c walks it as the AEAD would).
 */
#ifndef _KSHIM_LINUX_SCATTERLIST_H
#define _KSHIM_LINUX_SCATTERLIST_H

#include "mm.h"

#define SG_CHAIN	0x01UL
#define SG_END		0x02UL
#define SG_PAGE_LINK_MASK (SG_CHAIN | SG_END)

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
};

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;
	unsigned int orig_nents;
};

static inline struct page *sg_page(const struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline bool sg_is_last(const struct scatterlist *sg)
{
	return sg->page_link & SG_END;
}

static inline bool sg_is_chain(const struct scatterlist *sg)
{
	return sg->page_link & SG_CHAIN;
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page,
			       unsigned int len, unsigned int offset)
{
	if ((uintptr_t)page & SG_PAGE_LINK_MASK)
		KSHIM_BUG("misaligned page");
	if (sg_is_chain(sg))
		KSHIM_BUG("sg_set_page() on a chain entry");
	sg->page_link = (sg->page_link & SG_END) | (uintptr_t)page;
	sg->offset = offset;
	sg->length = len;
}

static inline void sg_set_buf(struct scatterlist *sg, const void *buf,
			      unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}

static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link = (sg->page_link | SG_END) & ~SG_CHAIN;
}

static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_mark_end(&sgl[nents - 1]);
}

static inline void *sg_virt(const struct scatterlist *sg)
{
	return (u8 *)page_address(sg_page(sg)) + sg->offset;
}

static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (sg_is_chain(sg))
		sg = (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
	return sg;
}

#endif
