// SPDX-License-Identifier: GPL-2.0
/*
 * smbsign_bench - the four ways of signing and verifying one message:
 *
 *  a  smbsign's exported API, kvecs and pages as cifs passes them;
 *  b  what Linux 6.12's cifs does (fs/smb/client/smb2transport.c,
 *     smb2_calc_signature() and smb3_calc_signature()): setkey on the
 *     connection's transform for every message, init/update/final over
 *     the kvecs and then the pages (cifs_shash_iter()); to verify a
 *     response (smb2_verify_signature(), allocate_crypto = true) a new
 *     transform and descriptor are allocated and freed per message;
 *  c  what Linux 6.12's ksmbd does (fs/smb/server/auth.c,
 *     ksmbd_sign_smb2_pdu() and ksmbd_sign_smb3_pdu(), with the pool of
 *     crypto_ctx.c): take a descriptor from a spinlock-protected pool,
 *     setkey, init/update/final over its kvecs, put it back and wake a
 *     waiter; to verify, the same over the request's single kvec;
 *  d  the raw primitive: one digest (or one gcm(aes) encryption with
 *     the message as associated data) on a transform keyed once, over a
 *     flat buffer.
 *
 * 6.12 cannot sign with AES-GMAC: b and c have no GMAC row.
 */
#include <crypto/utils.h>
#include <linux/highmem.h>
#include <linux/iov_iter.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "bench.h"

static const char *const hash_name[SMBSIGN_ALG_COUNT] = {
	[SMBSIGN_ALG_HMAC_SHA256] = "hmac(sha256)",
	[SMBSIGN_ALG_AES_CMAC] = "cmac(aes)",
};

/*
 * ksmbd's crypto_ctx pool (ksmbd_find_crypto_ctx() and
 * ksmbd_release_crypto_ctx()), reduced to its per-message work: a
 * spinlock, a list of idle entries, a wait queue. Here it holds the one
 * descriptor of the keys.
 */
static struct smbsign_bench_pool_entry *pool_get(struct smbsign_bench_pool *pool)
{
	struct smbsign_bench_pool_entry *e;

	for (;;) {
		spin_lock(&pool->lock);
		if (!list_empty(&pool->idle)) {
			e = list_first_entry(&pool->idle,
					     struct smbsign_bench_pool_entry, list);
			list_del(&e->list);
			spin_unlock(&pool->lock);
			return e;
		}
		spin_unlock(&pool->lock);
		wait_event(pool->wait, !list_empty(&pool->idle));
	}
}

static void pool_put(struct smbsign_bench_pool *pool,
		     struct smbsign_bench_pool_entry *e)
{
	spin_lock(&pool->lock);
	list_add(&e->list, &pool->idle);
	spin_unlock(&pool->lock);
	wake_up(&pool->wait);
}

/**
 * smbsign_bench_has_path() - whether Linux 6.12 has path @p for @alg
 * @alg: the algorithm
 * @p: the path
 *
 * Context: any context.
 * Return: false for the cifs and ksmbd sequences of AES-GMAC.
 */
bool smbsign_bench_has_path(enum smbsign_alg alg, enum smbsign_bench_path p)
{
	return alg != SMBSIGN_ALG_AES_GMAC ||
	       (p != SMBSIGN_BENCH_CIFS && p != SMBSIGN_BENCH_KSMBD);
}

static struct shash_desc *desc_alloc(struct crypto_shash *tfm)
{
	struct shash_desc *d;

	d = kmalloc(sizeof(*d) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (d)
		d->tfm = tfm;
	return d;
}

static int raw_init(struct smbsign_bench_keys *k)
{
	int err;

	if (k->alg != SMBSIGN_ALG_AES_GMAC) {
		k->raw = crypto_alloc_shash(hash_name[k->alg], 0, 0);
		if (IS_ERR(k->raw))
			return PTR_ERR(k->raw);
		return crypto_shash_setkey(k->raw, k->key, SMBSIGN_KEY_SIZE);
	}
	/* As smbsign/mac.c: a synchronous gcm(aes), 16-byte tag. */
	k->aead = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(k->aead))
		return PTR_ERR(k->aead);
	err = crypto_aead_setkey(k->aead, k->key, SMBSIGN_KEY_SIZE);
	if (!err)
		err = crypto_aead_setauthsize(k->aead, SMBSIGN_SIG_SIZE);
	if (err)
		return err;
	k->req = aead_request_alloc(k->aead, GFP_KERNEL);
	k->tag = kzalloc(SMBSIGN_SIG_SIZE, GFP_KERNEL);
	if (!k->req || !k->tag)
		return -ENOMEM;
	return 0;
}

static int smbsign_init(struct smbsign_bench_keys *k)
{
	int err;

	err = smbsign_session_init(&k->sess_cli, SMBSIGN_CLIENT, NULL, NULL);
	if (err)
		return err;
	err = smbsign_session_init(&k->sess_srv, SMBSIGN_SERVER, NULL, NULL);
	if (err)
		return err;
	k->cli = smbsign_ctx_alloc(&k->sess_cli, k->alg, k->key,
				   SMBSIGN_KEY_SIZE);
	if (IS_ERR(k->cli))
		return PTR_ERR(k->cli);
	k->srv = smbsign_ctx_alloc(&k->sess_srv, k->alg, k->key,
				   SMBSIGN_KEY_SIZE);
	if (IS_ERR(k->srv))
		return PTR_ERR(k->srv);
	return 0;
}

/**
 * smbsign_bench_keys_init() - key every path of one algorithm
 * @k: the state, zeroed by the caller
 * @alg: the algorithm
 *
 * On error the caller still calls smbsign_bench_keys_free().
 *
 * Context: process context; may sleep.
 * Return: 0 or a negative errno.
 */
int smbsign_bench_keys_init(struct smbsign_bench_keys *k, enum smbsign_alg alg)
{
	int err;

	k->alg = alg;
	atomic64_set(&k->next_mid, 1);
	get_random_bytes(k->key, sizeof(k->key));
	err = smbsign_init(k);
	if (err)
		return err;
	err = raw_init(k);
	if (err)
		return err;
	if (alg == SMBSIGN_ALG_AES_GMAC)
		return 0;
	k->shash = crypto_alloc_shash(hash_name[alg], 0, 0);
	if (IS_ERR(k->shash))
		return PTR_ERR(k->shash);
	k->desc = desc_alloc(k->shash);
	if (!k->desc)
		return -ENOMEM;
	spin_lock_init(&k->pool.lock);
	INIT_LIST_HEAD(&k->pool.idle);
	init_waitqueue_head(&k->pool.wait);
	k->pool.entry.desc = k->desc;
	pool_put(&k->pool, &k->pool.entry);
	return 0;
}

/**
 * smbsign_bench_keys_free() - free what smbsign_bench_keys_init() made
 * @k: the state; partly initialised is fine
 *
 * Context: process context.
 */
void smbsign_bench_keys_free(struct smbsign_bench_keys *k)
{
	if (k->desc) {
		spin_lock(&k->pool.lock);
		list_del(&k->pool.entry.list);
		spin_unlock(&k->pool.lock);
	}
	kfree_sensitive(k->desc);
	if (!IS_ERR_OR_NULL(k->shash))
		crypto_free_shash(k->shash);
	kfree(k->tag);
	aead_request_free(k->req);
	if (!IS_ERR_OR_NULL(k->aead))
		crypto_free_aead(k->aead);
	if (!IS_ERR_OR_NULL(k->raw))
		crypto_free_shash(k->raw);
	if (!IS_ERR_OR_NULL(k->srv))
		smbsign_ctx_free(k->srv);
	if (!IS_ERR_OR_NULL(k->cli))
		smbsign_ctx_free(k->cli);
	if (k->sess_srv.rec)
		smbsign_session_exit(&k->sess_srv);
	if (k->sess_cli.rec)
		smbsign_session_exit(&k->sess_cli);
	memzero_explicit(k->key, sizeof(k->key));
}

/**
 * smbsign_bench_raw_mac() - path d: the primitive over a flat buffer
 * @k: the keys
 * @data: the bytes to authenticate
 * @len: their length
 * @mid: for AES-GMAC, the MessageId of the nonce
 * @server: for AES-GMAC, the nonce's role bit (MS-SMB2 3.1.4.1)
 * @out: SMBSIGN_SIG_SIZE bytes of result (32 for HMAC-SHA256)
 *
 * Context: process context; may sleep.
 * Return: 0 or the crypto API's error.
 */
int smbsign_bench_raw_mac(struct smbsign_bench_keys *k, const u8 *data,
			  size_t len, u64 mid, bool server, u8 *out)
{
	u8 iv[SMBSIGN_GMAC_NONCE_SIZE];
	int err;

	if (k->alg != SMBSIGN_ALG_AES_GMAC) {
		SHASH_DESC_ON_STACK(d, k->raw);

		d->tfm = k->raw;
		return crypto_shash_digest(d, data, len, out);
	}
	put_unaligned_le64(mid, iv);
	put_unaligned_le32(server ? SMBSIGN_NONCE_ROLE_SERVER : 0, iv + 8);
	sg_init_table(k->sg, 2);
	sg_set_buf(&k->sg[0], data, len);
	sg_set_buf(&k->sg[1], k->tag, SMBSIGN_SIG_SIZE);
	aead_request_set_callback(k->req, 0, NULL, NULL);
	aead_request_set_crypt(k->req, k->sg, k->sg, 0, iv);
	aead_request_set_ad(k->req, len);
	err = crypto_aead_encrypt(k->req);
	if (!err)
		memcpy(out, k->tag, SMBSIGN_SIG_SIZE);
	return err;
}

static size_t cifs_step(void *base, size_t progress, size_t len, void *priv,
			void *priv2)
{
	int err = crypto_shash_update(priv, base, len), *perr = priv2;

	if (err < 0) {
		*perr = err;
		return len;
	}
	return 0;
}

/* __cifs_calc_signature(): setkey, the kvecs, the pages, final. */
static int cifs_calc(struct smbsign_bench_buf *b, struct shash_desc *d,
		     const u8 *key, u8 *hdr_sig)
{
	u8 sig[SHA256_DIGEST_SIZE];
	struct iov_iter it;
	unsigned int i;
	int err;

	memset(sig, 0, sizeof(sig));
	memset(hdr_sig, 0, SMBSIGN_SIG_SIZE);
	err = crypto_shash_setkey(d->tfm, key, SMBSIGN_KEY_SIZE);
	if (!err)
		err = crypto_shash_init(d);
	for (i = 0; !err && i < b->nr_iov; i++)
		err = crypto_shash_update(d, b->iov[i].iov_base,
					  b->iov[i].iov_len);
	if (!err && b->nr_bv) {
		iov_iter_bvec(&it, ITER_SOURCE, b->bv, b->nr_bv, b->data_len);
		err = -EIO;
		if (iterate_and_advance_kernel(&it, b->data_len, d, &err,
					       cifs_step) == b->data_len)
			err = 0;
	}
	if (!err)
		err = crypto_shash_final(d, sig);
	if (!err)
		memcpy(hdr_sig, sig, SMBSIGN_SIG_SIZE);
	return err;
}

/* smb2_verify_signature() with allocate_crypto: a transform per response. */
static int cifs_verify(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b)
{
	u8 *hdr_sig = b->data + SMBSIGN_SIG_OFFSET, saved[SMBSIGN_SIG_SIZE];
	struct crypto_shash *tfm;
	struct shash_desc *d;
	int err;

	memcpy(saved, hdr_sig, sizeof(saved));
	memset(hdr_sig, 0, SMBSIGN_SIG_SIZE);
	tfm = crypto_alloc_shash(hash_name[k->alg], 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	d = desc_alloc(tfm);
	if (!d) {
		err = -ENOMEM;
		goto free_tfm;
	}
	err = cifs_calc(b, d, k->key, hdr_sig);
	kfree_sensitive(d);
free_tfm:
	crypto_free_shash(tfm);
	if (!err && crypto_memneq(saved, hdr_sig, SMBSIGN_SIG_SIZE))
		err = -EACCES;
	return err;
}

/* ksmbd_sign_smb2_pdu() / ksmbd_sign_smb3_pdu(). */
static int ksmbd_calc(struct smbsign_bench_keys *k, const struct kvec *iov,
		      unsigned int n, u8 *sig)
{
	struct smbsign_bench_pool_entry *e = pool_get(&k->pool);
	unsigned int i;
	int err;

	err = crypto_shash_setkey(e->desc->tfm, k->key, SMBSIGN_KEY_SIZE);
	if (!err)
		err = crypto_shash_init(e->desc);
	for (i = 0; !err && i < n; i++)
		err = crypto_shash_update(e->desc, iov[i].iov_base,
					  iov[i].iov_len);
	if (!err)
		err = crypto_shash_final(e->desc, sig);
	pool_put(&k->pool, e);
	return err;
}

/* smb2_set_sign_rsp(): the response's header, body and READ payload. */
static int ksmbd_sign(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b)
{
	u8 sig[SHA256_DIGEST_SIZE], *hdr_sig = b->data + SMBSIGN_SIG_OFFSET;
	int err;

	memset(hdr_sig, 0, SMBSIGN_SIG_SIZE);
	err = ksmbd_calc(k, b->kiov, b->kiov[1].iov_len ? 2 : 1, sig);
	if (!err)
		memcpy(hdr_sig, sig, SMBSIGN_SIG_SIZE);
	return err;
}

/*
 * smb2_check_sign_req(): a request is one kvec. ksmbd leaves the field
 * zeroed; it is put back so that every iteration checks a signed message.
 */
static int ksmbd_verify(struct smbsign_bench_keys *k,
			struct smbsign_bench_buf *b)
{
	u8 sig[SHA256_DIGEST_SIZE], saved[SMBSIGN_SIG_SIZE];
	u8 *hdr_sig = b->data + SMBSIGN_SIG_OFFSET;
	struct kvec iov = { .iov_base = b->data, .iov_len = b->size };
	int err;

	memcpy(saved, hdr_sig, sizeof(saved));
	memset(hdr_sig, 0, SMBSIGN_SIG_SIZE);
	err = ksmbd_calc(k, &iov, 1, sig);
	memcpy(hdr_sig, saved, sizeof(saved));
	/* ksmbd 6.12 compares with memcmp(), not crypto_memneq(). */
	if (!err && memcmp(sig, saved, SMBSIGN_SIG_SIZE))
		err = -EACCES;
	return err;
}

static int raw_verify(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b)
{
	u8 mac[SHA256_DIGEST_SIZE];
	int err;

	err = smbsign_bench_raw_mac(k, b->data, b->size, 1, true, mac);
	if (err)
		return err;
	/*
	 * The primitive and the comparison. Over the flat buffer the MAC
	 * covers the Signature field itself, so the outcome means nothing.
	 */
	(void)crypto_memneq(mac, b->data + SMBSIGN_SIG_OFFSET,
			    SMBSIGN_SIG_SIZE);
	return 0;
}

static int api_sign(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b)
{
	struct smbsign_msg msg;
	struct iov_iter it;

	smbsign_bench_msg(b, &msg, &it);
	return smbsign_sign(k->cli, &msg);
}

static int api_verify(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b)
{
	struct smbsign_msg msg;
	struct iov_iter it;

	smbsign_bench_msg(b, &msg, &it);
	return smbsign_verify(k->cli, &msg);
}

/**
 * smbsign_bench_sign() - sign the request in @b along path @p
 * @k: the keys
 * @b: a client message; its MessageId is replaced by a new one
 * @p: the path
 *
 * Context: process context; may sleep.
 * Return: 0, -EOPNOTSUPP for a path 6.12 does not have, or the error of
 * the path.
 */
int smbsign_bench_sign(struct smbsign_bench_keys *k,
		       struct smbsign_bench_buf *b, enum smbsign_bench_path p)
{
	u64 mid = atomic64_inc_return(&k->next_mid);
	u8 mac[SHA256_DIGEST_SIZE];
	u8 *h = b->data;

	put_unaligned_le64(mid, h + SMBSIGN_HDR_MESSAGE_ID);
	switch (p) {
	case SMBSIGN_BENCH_API:
		return api_sign(k, b);
	case SMBSIGN_BENCH_CIFS:
		if (k->alg == SMBSIGN_ALG_AES_GMAC)
			return -EOPNOTSUPP;
		/* The request was built with SMB2_FLAGS_SIGNED set. */
		h[SMBSIGN_HDR_FLAGS] |= SMBSIGN_FLAG_SIGNED;
		return cifs_calc(b, k->desc, k->key, h + SMBSIGN_SIG_OFFSET);
	case SMBSIGN_BENCH_KSMBD:
		if (k->alg == SMBSIGN_ALG_AES_GMAC)
			return -EOPNOTSUPP;
		h[SMBSIGN_HDR_FLAGS] |= SMBSIGN_FLAG_SIGNED;
		return ksmbd_sign(k, b);
	case SMBSIGN_BENCH_RAW:
		return smbsign_bench_raw_mac(k, h, b->size, mid, false, mac);
	default:
		return -EINVAL;
	}
}

/**
 * smbsign_bench_verify() - verify the signed response in @b along path @p
 * @k: the keys
 * @b: a message signed by @k->srv; unchanged on return
 * @p: the path
 *
 * Context: process context; may sleep.
 * Return: 0 when the signature verifies (path d: always, it measures the
 * primitive), -EOPNOTSUPP for a path 6.12 does not have, or an error.
 */
int smbsign_bench_verify(struct smbsign_bench_keys *k,
			 struct smbsign_bench_buf *b,
			 enum smbsign_bench_path p)
{
	switch (p) {
	case SMBSIGN_BENCH_API:
		return api_verify(k, b);
	case SMBSIGN_BENCH_CIFS:
		if (k->alg == SMBSIGN_ALG_AES_GMAC)
			return -EOPNOTSUPP;
		return cifs_verify(k, b);
	case SMBSIGN_BENCH_KSMBD:
		if (k->alg == SMBSIGN_ALG_AES_GMAC)
			return -EOPNOTSUPP;
		return ksmbd_verify(k, b);
	case SMBSIGN_BENCH_RAW:
		return raw_verify(k, b);
	default:
		return -EINVAL;
	}
}
