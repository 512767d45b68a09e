// SPDX-License-Identifier: GPL-2.0
/*
 * kshim (see kshim.h): iov_iter over kvecs and bio_vecs, and their
 * extraction into a scatterlist, written for userspace after the
 * semantics of the kernel's lib/iov_iter.c, include/linux/iov_iter.h and
 * lib/scatterlist.c (Linux 6.12) that smbsign/msg.c relies on:
 *  - advancing (also by iterating or extracting) drops the segments it
 *    consumed and keeps the offset into the current one;
 *  - iov_iter_truncate() only lowers the count: extraction ignores the
 *    count and takes up to its maxsize bytes from the segments;
 *  - a bio_vec is walked one page at a time through kmap_local_page();
 *  - a kvec is extracted as one scatterlist entry per page it touches,
 *    a bio_vec as one entry whatever its length.
 * Misuse the kernel would WARN on (copying into a source iterator, an
 * iterator kind smbsign does not take, a count beyond the segments)
 * aborts.
 */
#include <linux/iov_iter.h>
#include <linux/scatterlist.h>

int kshim_kmap_depth;

static void iter_init(struct iov_iter *i, u8 type, unsigned int direction,
		      unsigned long nr_segs, size_t count)
{
	if (direction != ITER_SOURCE && direction != ITER_DEST)
		KSHIM_BUG("bad iterator direction");
	i->iter_type = type;
	i->data_source = direction;
	i->iov_offset = 0;
	i->count = count;
	i->nr_segs = nr_segs;
}

void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs,
		   size_t count)
{
	iter_init(i, ITER_KVEC, direction, nr_segs, count);
	i->kvec = kvec;
}

void iov_iter_bvec(struct iov_iter *i, unsigned int direction,
		   const struct bio_vec *bvec, unsigned long nr_segs,
		   size_t count)
{
	iter_init(i, ITER_BVEC, direction, nr_segs, count);
	i->bvec = bvec;
}

static void check_kind(const struct iov_iter *i)
{
	if (i->iter_type != ITER_KVEC && i->iter_type != ITER_BVEC)
		KSHIM_BUG("iterator kind the shim does not model");
}

static size_t seg_len(const struct iov_iter *i, unsigned long n)
{
	return i->iter_type == ITER_KVEC ? i->kvec[n].iov_len :
					   i->bvec[n].bv_len;
}

/* Move to @n segments on, @skip bytes into that one; @done bytes gone. */
static void iter_move(struct iov_iter *i, unsigned long n, size_t skip,
		      size_t done)
{
	if (n > i->nr_segs || done > i->count)
		KSHIM_BUG("iterator moved past its end");
	if (i->iter_type == ITER_KVEC)
		i->kvec += n;
	else
		i->bvec += n;
	i->nr_segs -= n;
	i->iov_offset = skip;
	i->count -= done;
}

void iov_iter_advance(struct iov_iter *i, size_t size)
{
	unsigned long n = 0;
	size_t pos;

	check_kind(i);
	size = min(size, i->count);
	if (!size)
		return;
	pos = i->iov_offset + size;
	while (n < i->nr_segs && pos >= seg_len(i, n)) {
		pos -= seg_len(i, n);
		n++;
	}
	iter_move(i, n, pos, size);
}

/* The address of byte @skip of segment @n, within one page for a bvec. */
static u8 *seg_addr(const struct iov_iter *i, unsigned long n, size_t skip,
		    size_t *room)
{
	const struct bio_vec *bv;
	size_t off;

	if (i->iter_type == ITER_KVEC) {
		*room = i->kvec[n].iov_len - skip;
		return (u8 *)i->kvec[n].iov_base + skip;
	}
	bv = &i->bvec[n];
	off = bv->bv_offset + skip;
	*room = min(bv->bv_len - skip, PAGE_SIZE - off % PAGE_SIZE);
	return (u8 *)kmap_local_page(bv->bv_page + off / PAGE_SIZE) +
	       off % PAGE_SIZE;
}

size_t iterate_and_advance_kernel(struct iov_iter *iter, size_t len,
				  void *priv, void *priv2, iov_step_f step)
{
	unsigned long n = 0;
	size_t skip = iter->iov_offset, progress = 0, room, part, left;
	u8 *p;

	check_kind(iter);
	len = min(len, iter->count);
	while (len) {
		if (n >= iter->nr_segs)
			KSHIM_BUG("iterator count beyond its segments");
		if (skip >= seg_len(iter, n)) {
			n++;
			skip = 0;
			continue;
		}
		p = seg_addr(iter, n, skip, &room);
		part = min(len, room);
		left = step(p, progress, part, priv, priv2);
		if (iter->iter_type == ITER_BVEC)
			kunmap_local(p);
		if (left > part)
			KSHIM_BUG("step left more than it was given");
		progress += part - left;
		skip += part - left;
		len -= part - left;
		if (left)
			break;
	}
	/* Leave the iterator on the next byte, never on a spent segment. */
	while (n < iter->nr_segs && skip >= seg_len(iter, n)) {
		skip -= seg_len(iter, n);
		n++;
	}
	iter_move(iter, n, skip, progress);
	return progress;
}

static size_t copy_out(void *base, size_t progress, size_t len, void *priv,
		       void *priv2)
{
	(void)priv2;
	memcpy((u8 *)priv + progress, base, len);
	return 0;
}

static size_t copy_in(void *base, size_t progress, size_t len, void *priv,
		      void *priv2)
{
	(void)priv2;
	memcpy(base, (const u8 *)priv + progress, len);
	return 0;
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	if (!i->data_source)
		KSHIM_BUG("copy_from_iter() on a destination iterator");
	return iterate_and_advance_kernel(i, bytes, addr, NULL, copy_out);
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	if (i->data_source)
		KSHIM_BUG("copy_to_iter() on a source iterator");
	return iterate_and_advance_kernel(i, bytes, (void *)addr, NULL,
					  copy_in);
}

int iov_iter_npages(const struct iov_iter *i, int maxpages)
{
	size_t size = i->count, skip = i->iov_offset, len, offs;
	unsigned long n;
	long pages = 0;

	check_kind(i);
	for (n = 0; size; n++, skip = 0) {
		if (n >= i->nr_segs)
			KSHIM_BUG("iterator count beyond its segments");
		len = min(seg_len(i, n) - skip, size);
		if (!len)
			continue;
		if (i->iter_type == ITER_KVEC)
			offs = offset_in_page((u8 *)i->kvec[n].iov_base + skip);
		else
			offs = (i->bvec[n].bv_offset + skip) % PAGE_SIZE;
		size -= len;
		pages += DIV_ROUND_UP(offs + len, PAGE_SIZE);
		if (pages > maxpages)
			return maxpages;
	}
	return pages;
}

/* One scatterlist entry, counted in @t; false when @sg_max is reached. */
static bool sg_add(struct sg_table *t, unsigned int *sg_max,
		   struct page *page, size_t len, size_t off)
{
	sg_set_page(&t->sgl[t->nents++], page, len, off);
	return --*sg_max > 0;
}

ssize_t extract_iter_to_sg(struct iov_iter *iter, size_t maxsize,
			   struct sg_table *sgtable, unsigned int sg_max,
			   iov_iter_extraction_t extraction_flags)
{
	size_t skip = iter->iov_offset, len, seg, off, got = 0;
	unsigned long n;
	bool room = true;
	u8 *addr;

	(void)extraction_flags;
	check_kind(iter);
	if (!maxsize)
		return 0;
	for (n = 0; n < iter->nr_segs && room && got < maxsize; n++) {
		if (skip >= seg_len(iter, n)) {
			skip -= seg_len(iter, n);
			continue;
		}
		len = min(maxsize - got, seg_len(iter, n) - skip);
		if (iter->iter_type == ITER_BVEC) {
			room = sg_add(sgtable, &sg_max, iter->bvec[n].bv_page,
				      len, iter->bvec[n].bv_offset + skip);
			got += len;
			skip = 0;
			continue;
		}
		addr = (u8 *)iter->kvec[n].iov_base + skip;
		skip = 0;
		while (len && room) {
			off = offset_in_page(addr);
			seg = min(len, PAGE_SIZE - off);
			room = sg_add(sgtable, &sg_max, virt_to_page(addr), seg,
				      off);
			addr += seg;
			len -= seg;
			got += seg;
		}
	}
	iov_iter_advance(iter, got);
	return got;
}
