/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): struct iov_iter over kvecs and bio_vecs, the
 * two kinds of kernel iterator smbsign's callers hand it, with the
 * kernel's semantics (kshim_iov.c): advancing drops whole segments and
 * keeps the offset into the current one, truncating only lowers the
 * count, extraction ignores the count and walks up to its maxsize.
 * Any other kind, and copying in the wrong direction, aborts.
 */
#ifndef _KSHIM_LINUX_UIO_H
#define _KSHIM_LINUX_UIO_H

#include "../kshim.h"
#include "bvec.h"

struct kvec {
	void *iov_base;
	size_t iov_len;
};

enum iter_type {
	ITER_KVEC = 1,
	ITER_BVEC,
	ITER_UBUF,
	ITER_DISCARD,
};

/* Direction, as the kernel names it: the iterator is read from. */
#define ITER_SOURCE	1
#define ITER_DEST	0

struct iov_iter {
	u8 iter_type;
	bool data_source;
	size_t iov_offset;
	size_t count;
	union {
		const struct kvec *kvec;
		const struct bio_vec *bvec;
	};
	unsigned long nr_segs;
};

struct sg_table;
typedef unsigned int iov_iter_extraction_t;

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

static inline bool user_backed_iter(const struct iov_iter *i)
{
	return i->iter_type == ITER_UBUF;
}

static inline bool iov_iter_is_discard(const struct iov_iter *i)
{
	return i->iter_type == ITER_DISCARD;
}

static inline void iov_iter_truncate(struct iov_iter *i, size_t count)
{
	if (i->count > count)
		i->count = count;
}

void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs,
		   size_t count);
void iov_iter_bvec(struct iov_iter *i, unsigned int direction,
		   const struct bio_vec *bvec, unsigned long nr_segs,
		   size_t count);
void iov_iter_advance(struct iov_iter *i, size_t size);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
int iov_iter_npages(const struct iov_iter *i, int maxpages);
ssize_t extract_iter_to_sg(struct iov_iter *iter, size_t len,
			   struct sg_table *sgtable, unsigned int sg_max,
			   iov_iter_extraction_t extraction_flags);

#endif
