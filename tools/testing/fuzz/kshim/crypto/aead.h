/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): the AEAD API for "gcm(aes)", mapped onto
 * OpenSSL's incremental AES-GCM (kshim_crypto.c). The request's
 * scatterlists are walked as the kernel's AEAD walks them: assoclen bytes
 * of additional data from src, then the tag written into dst right after
 * the additional data; a list that ends early aborts. Only what GMAC
 * needs is modelled: encryption of an empty plaintext.
 */
#ifndef _KSHIM_CRYPTO_AEAD_H
#define _KSHIM_CRYPTO_AEAD_H

#include "../kshim.h"

#define CRYPTO_ALG_ASYNC		0x00000080
#define CRYPTO_TFM_REQ_MAY_SLEEP	0x00000200

struct crypto_aead;
struct scatterlist;
typedef void (*crypto_completion_t)(void *data, int err);

struct aead_request {
	struct crypto_aead *tfm;
	u32 flags;
	struct scatterlist *src;
	struct scatterlist *dst;
	unsigned int assoclen;
	unsigned int cryptlen;
	u8 *iv;
};

struct crypto_aead *crypto_alloc_aead(const char *alg_name, u32 type,
				      u32 mask);
void crypto_free_aead(struct crypto_aead *tfm);
int crypto_aead_setkey(struct crypto_aead *tfm, const u8 *key,
		       unsigned int keylen);
int crypto_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize);
unsigned int crypto_aead_ivsize(struct crypto_aead *tfm);
const char *crypto_aead_driver_name(struct crypto_aead *tfm);
struct aead_request *aead_request_alloc(struct crypto_aead *tfm, gfp_t gfp);
void aead_request_free(struct aead_request *req);
int crypto_aead_encrypt(struct aead_request *req);

static inline void aead_request_set_callback(struct aead_request *req,
					     u32 flags,
					     crypto_completion_t compl,
					     void *data)
{
	(void)compl;
	(void)data;
	req->flags = flags;
}

static inline void aead_request_set_ad(struct aead_request *req,
				       unsigned int assoclen)
{
	req->assoclen = assoclen;
}

static inline void aead_request_set_crypt(struct aead_request *req,
					  struct scatterlist *src,
					  struct scatterlist *dst,
					  unsigned int cryptlen, u8 *iv)
{
	req->src = src;
	req->dst = dst;
	req->cryptlen = cryptlen;
	req->iv = iv;
}

#endif
