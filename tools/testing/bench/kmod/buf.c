// SPDX-License-Identifier: GPL-2.0
/*
 * smbsign_bench - the message buffer: one SMB2 message in physically
 * contiguous pages, cut into the kvecs and pages cifs and ksmbd use.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "bench.h"

/* A session id for every message; any value but 0 and all-ones. */
#define BENCH_SESSION_ID	0x0000100000000001ULL
/* SMB2 READ: a command every dialect signs (not NEGOTIATE, not CANCEL). */
#define BENCH_CMD_READ		0x0008

/**
 * smbsign_bench_buf_init() - allocate the largest message buffer
 * @b: the buffer
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int smbsign_bench_buf_init(struct smbsign_bench_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO,
			      get_order(SMBSIGN_BENCH_MAX_SIZE));
	if (!b->page)
		return -ENOMEM;
	b->data = page_address(b->page);
	return 0;
}

/**
 * smbsign_bench_buf_free() - free a buffer of smbsign_bench_buf_init()
 * @b: the buffer
 *
 * Context: any context.
 */
void smbsign_bench_buf_free(struct smbsign_bench_buf *b)
{
	if (b->page)
		__free_pages(b->page, get_order(SMBSIGN_BENCH_MAX_SIZE));
	b->page = NULL;
}

/* The payload after @off as page-sized bvecs, as cifs holds READ data. */
static void shape_pages(struct smbsign_bench_buf *b, size_t off)
{
	size_t left = b->size - off;

	b->nr_bv = 0;
	b->data_len = left;
	while (left) {
		size_t pg = off / PAGE_SIZE, in = off % PAGE_SIZE;
		size_t n = min(left, PAGE_SIZE - in);

		bvec_set_page(&b->bv[b->nr_bv++], b->page + pg, n, in);
		off += n;
		left -= n;
	}
}

/**
 * smbsign_bench_buf_shape() - lay out one message of @size bytes
 * @b: the buffer
 * @size: message length, SMBSIGN_HDR_SIZE to SMBSIGN_BENCH_MAX_SIZE
 * @server: a response (SMB2_FLAGS_SERVER_TO_REDIR) rather than a request
 * @mid: its MessageId
 *
 * Writes an SMB2 READ header (MS-SMB2 2.2.1.2) with an empty signature
 * and a body of a fixed pattern, and sets the views: cifs' kvecs and
 * pages, ksmbd's kvecs.
 *
 * Context: any context.
 */
void smbsign_bench_buf_shape(struct smbsign_bench_buf *b, size_t size,
			     bool server, u64 mid)
{
	static const u8 proto[4] = { 0xfe, 'S', 'M', 'B' };
	size_t head = size <= SMBSIGN_BENCH_KVEC_MAX ? size :
		      SMBSIGN_BENCH_KVEC_HEAD;
	u8 *h = b->data;
	size_t i;

	b->size = size;
	memset(h, 0, SMBSIGN_HDR_SIZE);
	memcpy(h + SMBSIGN_HDR_PROTOCOL_ID, proto, sizeof(proto));
	put_unaligned_le16(SMBSIGN_HDR_SIZE, h + SMBSIGN_HDR_STRUCTURE_SIZE);
	put_unaligned_le16(BENCH_CMD_READ, h + SMBSIGN_HDR_COMMAND);
	put_unaligned_le32(server ? SMBSIGN_FLAG_SERVER_TO_REDIR : 0,
			   h + SMBSIGN_HDR_FLAGS);
	put_unaligned_le64(mid, h + SMBSIGN_HDR_MESSAGE_ID);
	put_unaligned_le64(BENCH_SESSION_ID, h + SMBSIGN_HDR_SESSION_ID);
	for (i = SMBSIGN_HDR_SIZE; i < size; i++)
		h[i] = (u8)(i * 131 + 7);

	b->iov[0].iov_base = h;
	b->iov[0].iov_len = SMBSIGN_HDR_SIZE;
	b->nr_iov = 1;
	if (head > SMBSIGN_HDR_SIZE) {
		b->iov[1].iov_base = h + SMBSIGN_HDR_SIZE;
		b->iov[1].iov_len = head - SMBSIGN_HDR_SIZE;
		b->nr_iov = 2;
	}
	b->nr_bv = 0;
	b->data_len = 0;
	if (size > head)
		shape_pages(b, head);

	/* ksmbd: the header and body in one kvec, a READ payload in another. */
	b->kiov[0].iov_base = h;
	b->kiov[0].iov_len = head;
	b->kiov[1].iov_base = h + head;
	b->kiov[1].iov_len = size - head;
}

/**
 * smbsign_bench_msg() - the message as cifs passes it to smbsign
 * @b: the buffer, shaped
 * @msg: filled in
 * @it: storage for the page iterator @msg points to
 *
 * Context: any context.
 */
void smbsign_bench_msg(struct smbsign_bench_buf *b, struct smbsign_msg *msg,
		       struct iov_iter *it)
{
	msg->iov = b->iov;
	msg->nr_iov = b->nr_iov;
	msg->data = NULL;
	if (b->nr_bv) {
		iov_iter_bvec(it, ITER_SOURCE, b->bv, b->nr_bv, b->data_len);
		msg->data = it;
	}
}
