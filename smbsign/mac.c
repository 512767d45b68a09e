// SPDX-License-Identifier: GPL-2.0
/*
 * The three signing primitives of MS-SMB2 3.1.4.1 through the kernel
 * crypto API, keyed once per context:
 *
 *  - HMAC-SHA256 (hmac(sha256)) and AES-128-CMAC (cmac(aes)) are hashes:
 *    the tfm is read-only after setkey, every message gets its own
 *    descriptor on the stack, so any number of threads share a context.
 *  - AES-128-GMAC is AES-128-GCM over an empty plaintext with the message
 *    as additional authenticated data (gcm(aes) AEAD, 12-byte nonce,
 *    16-byte tag). Its request and scatterlist are preallocated and used
 *    by one message at a time under mac->lock; the scatterlist grows to
 *    the largest message the session has seen and stays, so steady-state
 *    signing allocates nothing.
 *
 *    Only a synchronous gcm(aes) is accepted (CRYPTO_ALG_ASYNC masked
 *    out): the message may lie in memory no device may DMA from (the
 *    caller's stack, module data such as cifs' compound padding, vmalloc
 *    space), and a synchronous software implementation reads it through
 *    the CPU. An engine that needs DMA-able buffers would need bounce
 *    buffers and is not used.
 *
 * On x86_64 smbsign's own fast paths (fast_x86.c) sign AES-CMAC and
 * AES-GMAC instead when they passed their self-test, the FPU is usable
 * and crypto_api_only is off (select.c).
 *
 * A message is fed with its Signature field replaced by zeros (MS-SMB2
 * 3.1.4.1, step 1) from a header image, without writing to the caller's
 * buffer.
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/error-injection.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "smbsign.h"

static const char *const mac_cra_name[SMBSIGN_ALG_COUNT] = {
	[SMBSIGN_ALG_HMAC_SHA256] = "hmac(sha256)",
	[SMBSIGN_ALG_AES_CMAC] = "cmac(aes)",
	[SMBSIGN_ALG_AES_GMAC] = "gcm(aes)",
};

static int gmac_init(struct smbsign_mac *mac, const u8 *key,
		     unsigned int key_len)
{
	int err;

	mac->aead = crypto_alloc_aead(mac_cra_name[SMBSIGN_ALG_AES_GMAC], 0,
				      CRYPTO_ALG_ASYNC);
	if (IS_ERR(mac->aead))
		return PTR_ERR(mac->aead);
	err = crypto_aead_setkey(mac->aead, key, key_len);
	if (err)
		goto free_aead;
	err = crypto_aead_setauthsize(mac->aead, SMBSIGN_SIG_SIZE);
	if (err)
		goto free_aead;
	if (crypto_aead_ivsize(mac->aead) != SMBSIGN_GMAC_NONCE_SIZE) {
		err = -EINVAL;
		goto free_aead;
	}

	err = -ENOMEM;
	mac->req = aead_request_alloc(mac->aead, GFP_KERNEL);
	if (!mac->req)
		goto free_aead;
	mac->sg = kvmalloc_array(SMBSIGN_GMAC_SG_INLINE, sizeof(*mac->sg),
				 GFP_KERNEL);
	if (!mac->sg)
		goto free_req;
	mac->sg_max = SMBSIGN_GMAC_SG_INLINE;
	/* kmalloc'd, not on the stack: both are handed to the AEAD. */
	mac->buf = kzalloc(sizeof(*mac->buf), GFP_KERNEL);
	if (!mac->buf)
		goto free_sg;
	mutex_init(&mac->lock);
	return 0;

free_sg:
	kvfree(mac->sg);
free_req:
	aead_request_free(mac->req);
free_aead:
	crypto_free_aead(mac->aead);
	return err;
}

/**
 * smbsign_mac_init() - allocate and key the transform of one algorithm
 * @mac: the state to initialise
 * @alg: the algorithm
 * @key: the key
 * @key_len: its length; the public API only passes SMBSIGN_KEY_SIZE, the
 *	KUnit tests also pass the key lengths of RFC 4231
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for an unknown algorithm or a key the transform
 * refuses, -ENOENT if the crypto API has no implementation, -ENOMEM.
 */
int smbsign_mac_init(struct smbsign_mac *mac, enum smbsign_alg alg,
		     const u8 *key, unsigned int key_len)
{
	int err;

	memset(mac, 0, sizeof(*mac));
	if ((unsigned int)alg >= SMBSIGN_ALG_COUNT || !key || !key_len)
		return -EINVAL;
	mac->alg = alg;
	if (alg == SMBSIGN_ALG_AES_GMAC) {
		err = gmac_init(mac, key, key_len);
		if (err)
			return err;
	} else {
		mac->shash = crypto_alloc_shash(mac_cra_name[alg], 0, 0);
		if (IS_ERR(mac->shash))
			return PTR_ERR(mac->shash);
		err = crypto_shash_setkey(mac->shash, key, key_len);
		if (err) {
			crypto_free_shash(mac->shash);
			return err;
		}
	}
	/*
	 * The crypto API transform is keyed even when a fast path serves:
	 * it signs whenever the FPU is not usable or crypto_api_only is set.
	 */
	err = smbsign_fast_key_init(mac, key, key_len);
	if (err)
		goto free_crypto;
	return 0;

free_crypto:
	smbsign_mac_destroy(mac);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_mac_init);
/*
 * The transform's allocation and setkey (and the GMAC request, sg and
 * buffers): smbsign_ctx_create() must unwind the context and its nonce
 * guard when it fails.
 */
ALLOW_ERROR_INJECTION(smbsign_mac_init, ERRNO);

/**
 * smbsign_mac_destroy() - free a transform and wipe its key material
 * @mac: the state from smbsign_mac_init()
 *
 * The crypto API frees transforms with kfree_sensitive(), which wipes the
 * expanded key; the GMAC header, tag and nonce buffers and the fast
 * path's key material are wiped here.
 *
 * Context: process context.
 */
void smbsign_mac_destroy(struct smbsign_mac *mac)
{
	smbsign_fast_key_free(mac);
	if (mac->alg == SMBSIGN_ALG_AES_GMAC) {
		mutex_destroy(&mac->lock);
		kfree_sensitive(mac->buf);
		kvfree(mac->sg);
		aead_request_free(mac->req);
		crypto_free_aead(mac->aead);
	} else {
		crypto_free_shash(mac->shash);
	}
	memzero_explicit(mac, sizeof(*mac));
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_mac_destroy);

/**
 * smbsign_mac_driver() - the crypto driver behind a transform
 * @mac: the state from smbsign_mac_init()
 *
 * Context: any context.
 * Return: the driver name, e.g. "cmac(aes-aesni)", or smbsign's own fast
 * path (e.g. "smbsign-cmac-aesni") when it serves.
 */
const char *smbsign_mac_driver(const struct smbsign_mac *mac)
{
	if (mac->fast && !smbsign_select_crypto_api_only())
		return smbsign_fast_driver(mac->alg);
	if (mac->alg == SMBSIGN_ALG_AES_GMAC)
		return crypto_aead_driver_name(mac->aead);
	return crypto_shash_driver_name(mac->shash);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_mac_driver);

static int shash_compute(struct smbsign_mac *mac, const u8 *hdr,
			 const struct smbsign_msg *msg, size_t off, size_t len,
			 u8 *out)
{
	SHASH_DESC_ON_STACK(desc, mac->shash);
	u8 digest[HASH_MAX_DIGESTSIZE];
	int err;

	desc->tfm = mac->shash;
	err = crypto_shash_init(desc);
	if (!err && hdr) {
		err = crypto_shash_update(desc, hdr, SMBSIGN_HDR_SIZE);
		off += SMBSIGN_HDR_SIZE;
		len -= SMBSIGN_HDR_SIZE;
	}
	if (!err)
		err = smbsign_msg_hash(msg, off, len, desc);
	if (!err)
		err = crypto_shash_final(desc, digest);
	if (!err)
		memcpy(out, digest, SMBSIGN_SIG_SIZE);
	shash_desc_zero(desc);
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/*
 * The AAD is the header image (when given) and the rest of the range; the
 * AEAD writes the tag right after the AAD, into mac->buf->tag.
 */
static int gmac_fill_sg(struct smbsign_mac *mac, struct scatterlist *sg,
			unsigned int sg_max, const u8 *hdr,
			const struct smbsign_msg *msg, size_t off, size_t len)
{
	unsigned int n = 0;
	int err;

	lockdep_assert_held(&mac->lock);
	sg_init_table(sg, sg_max);
	if (hdr) {
		memcpy(mac->buf->hdr, hdr, SMBSIGN_HDR_SIZE);
		sg_set_buf(&sg[n++], mac->buf->hdr, SMBSIGN_HDR_SIZE);
		off += SMBSIGN_HDR_SIZE;
		len -= SMBSIGN_HDR_SIZE;
	}
	err = smbsign_msg_to_sg(msg, off, len, sg, &n, sg_max);
	if (err || n >= sg_max)
		return err ?: -EINVAL;
	sg_set_buf(&sg[n++], mac->buf->tag, SMBSIGN_SIG_SIZE);
	sg_mark_end(&sg[n - 1]);
	return 0;
}

/*
 * Make mac->sg hold at least @need entries. It only grows, so a session
 * reaches its largest message once and then signs every later one
 * without allocating.
 */
static int gmac_reserve_sg(struct smbsign_mac *mac, unsigned int need)
{
	struct scatterlist *sg;

	lockdep_assert_held(&mac->lock);
	if (need <= mac->sg_max)
		return 0;
	/* Round up so a slowly growing payload does not reallocate often. */
	need = roundup_pow_of_two(need);
	sg = kvmalloc_array(need, sizeof(*sg), GFP_NOFS);
	if (!sg)
		return -ENOMEM;
	kvfree(mac->sg);
	mac->sg = sg;
	mac->sg_max = need;
	return 0;
}

static int gmac_compute(struct smbsign_mac *mac, const u8 *hdr,
			const struct smbsign_msg *msg, size_t off, size_t len,
			const u8 *nonce, u8 *out)
{
	unsigned int need;
	int err;

	if (!nonce)
		return -EINVAL;
	/* Header image, the message's pages and the tag: gmac_fill_sg(). */
	need = smbsign_msg_sg_count(msg, off, len) + 2;

	mutex_lock(&mac->lock);
	err = gmac_reserve_sg(mac, need);
	if (err)
		goto unlock;
	/* Only the entries this message needs are initialised. */
	err = gmac_fill_sg(mac, mac->sg, need, hdr, msg, off, len);
	if (err)
		goto wipe;
	memcpy(mac->buf->iv, nonce, SMBSIGN_GMAC_NONCE_SIZE);
	aead_request_set_callback(mac->req, CRYPTO_TFM_REQ_MAY_SLEEP, NULL,
				  NULL);
	aead_request_set_ad(mac->req, len);
	aead_request_set_crypt(mac->req, mac->sg, mac->sg, 0, mac->buf->iv);
	/* Synchronous (gmac_init()): done when it returns. */
	err = crypto_aead_encrypt(mac->req);
	if (!err)
		memcpy(out, mac->buf->tag, SMBSIGN_SIG_SIZE);
wipe:
	memzero_explicit(mac->buf, sizeof(*mac->buf));
unlock:
	mutex_unlock(&mac->lock);
	return err;
}

/**
 * smbsign_mac_compute() - compute the signature of a byte range
 * @mac: the keyed state
 * @hdr: SMBSIGN_HDR_SIZE bytes fed in place of the first header-sized
 *	bytes of the range (the header with its Signature field zeroed), or
 *	NULL to feed the range exactly as it is
 * @msg: the message
 * @off: offset of the range
 * @len: length of the range; at least SMBSIGN_HDR_SIZE when @hdr is given
 * @nonce: the 12-byte GMAC nonce; ignored by the other algorithms
 * @out: the 16-byte signature
 *
 * Feeding a header image rather than the caller's header is how verify
 * leaves the message untouched and sign writes nothing until the
 * signature is known. HMAC-SHA256 is truncated to its first 16 bytes
 * (MS-SMB2 3.1.4.1).
 *
 * Context: process context; may sleep (GMAC through the crypto API
 * waits for the AEAD and takes mac->lock; the fast path does neither).
 * Return: 0, -EINVAL for a range outside the message or a missing nonce,
 * -ENOMEM, or the crypto API's error.
 */
int smbsign_mac_compute(struct smbsign_mac *mac, const u8 *hdr,
			const struct smbsign_msg *msg, size_t off, size_t len,
			const u8 *nonce, u8 out[SMBSIGN_SIG_SIZE])
{
	if (hdr && len < SMBSIGN_HDR_SIZE)
		return -EINVAL;
	/* No lock, no allocation: the fast path's key is read-only. */
	if (smbsign_fast_serves(mac))
		return smbsign_fast_compute(mac, hdr, msg, off, len, nonce,
					    out);
	if (mac->alg == SMBSIGN_ALG_AES_GMAC)
		return gmac_compute(mac, hdr, msg, off, len, nonce, out);
	return shash_compute(mac, hdr, msg, off, len, out);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_mac_compute);
/*
 * The one failure of the per-message path: a GMAC scatterlist that must
 * grow (gmac_reserve_sg()) or a crypto error, while signing or verifying.
 */
ALLOW_ERROR_INJECTION(smbsign_mac_compute, ERRNO);
