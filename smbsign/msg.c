// SPDX-License-Identifier: GPL-2.0
/*
 * Byte ranges of a struct smbsign_msg: the caller's kvecs followed by an
 * optional data iterator. Nothing here writes to the message except
 * smbsign_msg_write(), which only the signing path calls; iterators are
 * always copied before they are advanced.
 */
#include <crypto/hash.h>
#include <linux/iov_iter.h>
#include <linux/scatterlist.h>
#include <linux/uio.h>

#include "smbsign.h"

static size_t msg_iov_len(const struct smbsign_msg *msg)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < msg->nr_iov; i++)
		len += msg->iov[i].iov_len;
	return len;
}

/**
 * smbsign_msg_check() - validate the shape of a message
 * @msg: the message
 * @total: its length in bytes (output)
 *
 * The data iterator must be a kernel iterator (kvec, bvec, folioq or
 * xarray): signing never touches user memory. The other functions here
 * rely on a message that passed this check: their sums cannot wrap.
 *
 * Context: any context.
 * Return: 0, -EINVAL for a malformed description, -EMSGSIZE for a
 * message longer than a Direct TCP transport can carry.
 */
int smbsign_msg_check(const struct smbsign_msg *msg, size_t *total)
{
	size_t len = 0, more;
	unsigned int i;

	if (!msg || (msg->nr_iov && !msg->iov))
		return -EINVAL;
	/*
	 * Add up lengths that may come from anywhere without ever wrapping:
	 * each step stays within SMBSIGN_MSG_MAX.
	 */
	for (i = 0; i <= msg->nr_iov; i++) {
		if (i < msg->nr_iov) {
			more = msg->iov[i].iov_len;
		} else if (msg->data) {
			if (user_backed_iter(msg->data) ||
			    iov_iter_is_discard(msg->data))
				return -EINVAL;
			more = iov_iter_count(msg->data);
		} else {
			break;
		}
		if (more > SMBSIGN_MSG_MAX - len)
			return -EMSGSIZE;
		len += more;
	}
	*total = len;
	return 0;
}

static void msg_kvec_iter(const struct smbsign_msg *msg, unsigned int dir,
			  size_t off, struct iov_iter *it)
{
	iov_iter_kvec(it, dir, msg->iov, msg->nr_iov, msg_iov_len(msg));
	iov_iter_advance(it, off);
}

/**
 * smbsign_msg_read() - copy bytes out of the kvec part of a message
 * @msg: the message
 * @off: offset of the first byte
 * @buf: destination
 * @len: number of bytes
 *
 * Context: any context.
 * Return: 0, or -EINVAL if the range is not entirely inside the kvecs.
 */
int smbsign_msg_read(const struct smbsign_msg *msg, size_t off, void *buf,
		     size_t len)
{
	struct iov_iter it;
	size_t iov_len = msg_iov_len(msg);

	if (off > iov_len || len > iov_len - off)
		return -EINVAL;
	msg_kvec_iter(msg, ITER_SOURCE, off, &it);
	return copy_from_iter(buf, len, &it) == len ? 0 : -EINVAL;
}

/**
 * smbsign_msg_write() - copy bytes into the kvec part of a message
 * @msg: the message
 * @off: offset of the first byte
 * @buf: source
 * @len: number of bytes
 *
 * Context: any context.
 * Return: 0, or -EINVAL if the range is not entirely inside the kvecs.
 */
int smbsign_msg_write(const struct smbsign_msg *msg, size_t off,
		      const void *buf, size_t len)
{
	struct iov_iter it;
	size_t iov_len = msg_iov_len(msg);

	if (off > iov_len || len > iov_len - off)
		return -EINVAL;
	msg_kvec_iter(msg, ITER_DEST, off, &it);
	return copy_to_iter(buf, len, &it) == len ? 0 : -EINVAL;
}

/*
 * Walk @len bytes of the message from @off as at most two iterators (the
 * kvecs, then the data) and hand each piece to @fn. The pieces are copies,
 * positioned and truncated to the range, so @fn may advance them.
 */
typedef int (*msg_piece_fn)(struct iov_iter *it, size_t len, void *arg);

static int msg_walk_pieces(const struct smbsign_msg *msg, size_t off,
			   size_t len, msg_piece_fn fn, void *arg)
{
	struct iov_iter it;
	size_t seg_len, take;
	int seg, err;

	for (seg = 0; seg < 2 && len; seg++) {
		if (seg == 0) {
			seg_len = msg_iov_len(msg);
			iov_iter_kvec(&it, ITER_SOURCE, msg->iov, msg->nr_iov,
				      seg_len);
		} else {
			if (!msg->data)
				break;
			it = *msg->data;
			seg_len = iov_iter_count(&it);
		}
		if (off >= seg_len) {
			off -= seg_len;
			continue;
		}
		take = min(len, seg_len - off);
		iov_iter_advance(&it, off);
		iov_iter_truncate(&it, take);
		err = fn(&it, take, arg);
		if (err)
			return err;
		len -= take;
		off = 0;
	}
	return len ? -EINVAL : 0;
}

struct walk_fn {
	smbsign_msg_fn fn;
	void *arg;
	int err;
};

static size_t walk_step(void *base, size_t progress, size_t len, void *priv,
			void *priv2)
{
	struct walk_fn *w = priv;

	w->err = w->fn(base, len, w->arg);
	return w->err ? len : 0;
}

static int walk_piece(struct iov_iter *it, size_t len, void *arg)
{
	struct walk_fn *w = arg;

	if (iterate_and_advance_kernel(it, len, w, NULL, walk_step) != len)
		return w->err ?: -EINVAL;
	return 0;
}

/**
 * smbsign_msg_walk() - hand a byte range of a message to a function
 * @msg: the message
 * @off: offset of the first byte
 * @len: number of bytes
 * @fn: called with each contiguous piece, in order; a non-zero return
 *	stops the walk
 * @arg: passed to @fn
 *
 * The one walk of a message's bytes: smbsign_msg_hash() feeds a hash
 * through it and the fast paths their assembly, so both see the same
 * pieces.
 *
 * Context: any context @fn allows; pages of the data iterator are mapped
 * with kmap_local.
 * Return: 0, -EINVAL if the range is outside the message, or @fn's error.
 */
int smbsign_msg_walk(const struct smbsign_msg *msg, size_t off, size_t len,
		     smbsign_msg_fn fn, void *arg)
{
	struct walk_fn w = { .fn = fn, .arg = arg };

	return msg_walk_pieces(msg, off, len, walk_piece, &w);
}

static int hash_fn(const void *base, size_t len, void *desc)
{
	return crypto_shash_update(desc, base, len);
}

/**
 * smbsign_msg_hash() - feed a byte range of a message to a hash
 * @msg: the message
 * @off: offset of the first byte
 * @len: number of bytes
 * @desc: an initialised hash descriptor
 *
 * Context: any context the hash allows; pages of the data iterator are
 * mapped with kmap_local.
 * Return: 0, -EINVAL if the range is outside the message, or the hash's
 * error.
 */
int smbsign_msg_hash(const struct smbsign_msg *msg, size_t off, size_t len,
		     struct shash_desc *desc)
{
	return smbsign_msg_walk(msg, off, len, hash_fn, desc);
}

static int count_piece(struct iov_iter *it, size_t len, void *arg)
{
	unsigned int *n = arg;

	*n += iov_iter_npages(it, INT_MAX);
	return 0;
}

/**
 * smbsign_msg_sg_count() - scatterlist entries a byte range may need
 * @msg: the message
 * @off: offset of the first byte
 * @len: number of bytes
 *
 * Context: any context.
 * Return: an upper bound of the entries smbsign_msg_to_sg() fills.
 */
unsigned int smbsign_msg_sg_count(const struct smbsign_msg *msg, size_t off,
				  size_t len)
{
	unsigned int n = 0;

	msg_walk_pieces(msg, off, len, count_piece, &n);
	return n;
}

struct sg_fill {
	struct sg_table table;
	unsigned int max;
};

static int sg_piece(struct iov_iter *it, size_t len, void *arg)
{
	struct sg_fill *f = arg;
	ssize_t n;

	/* extract_iter_to_sg() fills one entry before it checks its limit. */
	if (f->table.nents >= f->max)
		return -EINVAL;
	n = extract_iter_to_sg(it, len, &f->table, f->max - f->table.nents, 0);
	return n == len ? 0 : -EINVAL;
}

/**
 * smbsign_msg_to_sg() - describe a byte range of a message in a scatterlist
 * @msg: the message
 * @off: offset of the first byte
 * @len: number of bytes
 * @sgl: the scatterlist; entries from *@nents on are filled
 * @nents: entries in use (input and output)
 * @sg_max: size of @sgl
 *
 * No end mark is set; the caller adds its own entries and marks the end.
 * The pages are referenced, not pinned: the caller owns the message for
 * the whole request.
 *
 * Context: any context.
 * Return: 0, or -EINVAL if the range is outside the message or @sgl is
 * too short.
 */
int smbsign_msg_to_sg(const struct smbsign_msg *msg, size_t off, size_t len,
		      struct scatterlist *sgl, unsigned int *nents,
		      unsigned int sg_max)
{
	struct sg_fill f = {
		.table = { .sgl = sgl, .nents = *nents },
		.max = sg_max,
	};
	int err;

	if (*nents > sg_max)
		return -EINVAL;
	err = msg_walk_pieces(msg, off, len, sg_piece, &f);
	*nents = f.table.nents;
	return err;
}
