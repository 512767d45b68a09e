/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): the synchronous hash API for "hmac(sha256)" and
 * "cmac(aes)", mapped onto OpenSSL's incremental EVP_MAC calls
 * (kshim_crypto.c). A descriptor holds its own EVP_MAC_CTX from
 * crypto_shash_init() to crypto_shash_final() or shash_desc_zero().
 */
#ifndef _KSHIM_CRYPTO_HASH_H
#define _KSHIM_CRYPTO_HASH_H

#include "../kshim.h"

#define HASH_MAX_DIGESTSIZE	64

struct crypto_shash;

struct shash_desc {
	struct crypto_shash *tfm;
	void *state;
};

#define SHASH_DESC_ON_STACK(name, tfm_)					\
	struct shash_desc __##name##_desc = { .tfm = (tfm_) };		\
	struct shash_desc *name = &__##name##_desc

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type,
					u32 mask);
void crypto_free_shash(struct crypto_shash *tfm);
int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen);
const char *crypto_shash_driver_name(struct crypto_shash *tfm);
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len);
int crypto_shash_final(struct shash_desc *desc, u8 *out);
void shash_desc_zero(struct shash_desc *desc);

#endif
