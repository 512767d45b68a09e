// SPDX-License-Identifier: GPL-2.0
/*
 * kshim (see kshim.h): the kernel crypto API calls of smbsign/mac.c on
 * OpenSSL's incremental interfaces:
 *  - "hmac(sha256)" and "cmac(aes)" shash: EVP_MAC "HMAC" (SHA256) and
 *    "CMAC" (AES-128/192/256-CBC), keyed once by setkey, one
 *    EVP_MAC_CTX_dup() per descriptor, one EVP_MAC_update() per
 *    crypto_shash_update();
 *  - "gcm(aes)" AEAD: EVP AES-GCM, one EVP_EncryptUpdate() of additional
 *    data per scatterlist entry, the tag written after the additional
 *    data in the destination list.
 * The fuzz target's oracle uses OpenSSL's one-shot calls over a flat copy
 * instead (HMAC(), EVP_Q_mac()), so the two agree only if smbsign fed
 * exactly the right bytes in the right order.
 * Errors follow the kernel's: -ENOENT for an unknown algorithm, -EINVAL
 * for a bad key length or tag size, -ENOKEY before setkey.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

struct crypto_shash {
	bool cmac;
	EVP_MAC_CTX *keyed;
};

struct crypto_aead {
	u8 key[32];
	unsigned int keylen;
	unsigned int authsize;
};

static const EVP_CIPHER *aes_cbc(unsigned int keylen)
{
	switch (keylen) {
	case 16: return EVP_aes_128_cbc();
	case 24: return EVP_aes_192_cbc();
	case 32: return EVP_aes_256_cbc();
	}
	return NULL;
}

static const EVP_CIPHER *aes_gcm(unsigned int keylen)
{
	switch (keylen) {
	case 16: return EVP_aes_128_gcm();
	case 24: return EVP_aes_192_gcm();
	case 32: return EVP_aes_256_gcm();
	}
	return NULL;
}

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type,
					u32 mask)
{
	struct crypto_shash *tfm;
	bool cmac;

	(void)type;
	(void)mask;
	if (!strcmp(alg_name, "cmac(aes)"))
		cmac = true;
	else if (!strcmp(alg_name, "hmac(sha256)"))
		cmac = false;
	else
		return ERR_PTR(-ENOENT);
	tfm = kzalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->cmac = cmac;
	return tfm;
}

void crypto_free_shash(struct crypto_shash *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	EVP_MAC_CTX_free(tfm->keyed);
	kfree_sensitive(tfm);
}

int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen)
{
	char cbc[] = "AES-128-CBC", sha[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	EVP_MAC *mac;
	int ok;

	if (tfm->cmac) {
		if (!aes_cbc(keylen))
			return -EINVAL;
		snprintf(cbc, sizeof(cbc), "AES-%u-CBC", keylen * 8);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_CIPHER, cbc, 0);
	} else {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, sha, 0);
	}
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, tfm->cmac ? "CMAC" : "HMAC", NULL);
	if (!mac)
		return -ENOENT;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (!ctx)
		return -ENOMEM;
	ok = EVP_MAC_init(ctx, key, keylen, params);
	if (!ok) {
		EVP_MAC_CTX_free(ctx);
		return -EINVAL;
	}
	EVP_MAC_CTX_free(tfm->keyed);
	tfm->keyed = ctx;
	return 0;
}

const char *crypto_shash_driver_name(struct crypto_shash *tfm)
{
	return tfm->cmac ? "cmac(aes-openssl)" : "hmac(sha256-openssl)";
}

int crypto_shash_init(struct shash_desc *desc)
{
	if (!desc->tfm->keyed)
		return -ENOKEY;
	if (desc->state)
		KSHIM_BUG("crypto_shash_init() on a live descriptor");
	desc->state = EVP_MAC_CTX_dup(desc->tfm->keyed);
	return desc->state ? 0 : -ENOMEM;
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len)
{
	if (!desc->state)
		KSHIM_BUG("crypto_shash_update() before init");
	return EVP_MAC_update(desc->state, data, len) ? 0 : -EINVAL;
}

int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	size_t outl = 0;
	int ok;

	if (!desc->state)
		KSHIM_BUG("crypto_shash_final() before init");
	ok = EVP_MAC_final(desc->state, out, &outl, HASH_MAX_DIGESTSIZE);
	EVP_MAC_CTX_free(desc->state);
	desc->state = NULL;
	return ok ? 0 : -EINVAL;
}

void shash_desc_zero(struct shash_desc *desc)
{
	EVP_MAC_CTX_free(desc->state);
	memzero_explicit(desc, sizeof(*desc));
}

struct crypto_aead *crypto_alloc_aead(const char *alg_name, u32 type,
				      u32 mask)
{
	struct crypto_aead *tfm;

	(void)type;
	(void)mask;
	if (strcmp(alg_name, "gcm(aes)"))
		return ERR_PTR(-ENOENT);
	tfm = kzalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->authsize = 16;
	return tfm;
}

void crypto_free_aead(struct crypto_aead *tfm)
{
	if (!IS_ERR_OR_NULL(tfm))
		kfree_sensitive(tfm);
}

int crypto_aead_setkey(struct crypto_aead *tfm, const u8 *key,
		       unsigned int keylen)
{
	if (!aes_gcm(keylen))
		return -EINVAL;
	memcpy(tfm->key, key, keylen);
	tfm->keylen = keylen;
	return 0;
}

/* gcm(aes) takes 4, 8 and 12..16 bytes (crypto_gcm_check_authsize()). */
int crypto_aead_setauthsize(struct crypto_aead *tfm, unsigned int authsize)
{
	if (authsize != 4 && authsize != 8 && (authsize < 12 || authsize > 16))
		return -EINVAL;
	tfm->authsize = authsize;
	return 0;
}

unsigned int crypto_aead_ivsize(struct crypto_aead *tfm)
{
	(void)tfm;
	return 12;
}

const char *crypto_aead_driver_name(struct crypto_aead *tfm)
{
	(void)tfm;
	return "gcm(aes-openssl)";
}

struct aead_request *aead_request_alloc(struct crypto_aead *tfm, gfp_t gfp)
{
	struct aead_request *req = kzalloc(sizeof(*req), gfp);

	if (req)
		req->tfm = tfm;
	return req;
}

void aead_request_free(struct aead_request *req)
{
	kfree_sensitive(req);
}

/*
 * Hand @len bytes from byte @skip of the list @sg to @fn, one piece per
 * entry (the bytes an entry describes are contiguous here: its pages are
 * plain memory). A list that ends first is a bug in its builder.
 */
static int sg_walk(struct scatterlist *sg, size_t skip, size_t len,
		   int (*fn)(u8 *p, size_t n, void *arg), void *arg)
{
	size_t n;
	int err;

	for (; len; sg = sg_next(sg)) {
		if (!sg)
			KSHIM_BUG("scatterlist shorter than the AEAD request");
		if (skip >= sg->length) {
			skip -= sg->length;
			continue;
		}
		n = min(len, sg->length - skip);
		err = fn((u8 *)sg_virt(sg) + skip, n, arg);
		if (err)
			return err;
		len -= n;
		skip = 0;
	}
	return 0;
}

static int aad_piece(u8 *p, size_t n, void *arg)
{
	int outl;

	return EVP_EncryptUpdate(arg, NULL, &outl, p, n) ? 0 : -EINVAL;
}

struct tag_out {
	const u8 *tag;
	size_t done;
};

static int tag_piece(u8 *p, size_t n, void *arg)
{
	struct tag_out *t = arg;

	memcpy(p, t->tag + t->done, n);
	t->done += n;
	return 0;
}

int crypto_aead_encrypt(struct aead_request *req)
{
	struct crypto_aead *tfm = req->tfm;
	struct tag_out out = { 0 };
	u8 tag[16], fin[16];
	EVP_CIPHER_CTX *c;
	int outl, err = -EINVAL;

	if (!tfm->keylen)
		return -ENOKEY;
	if (!req->iv || !req->src || !req->dst)
		KSHIM_BUG("AEAD request without iv or scatterlists");
	if (req->cryptlen)
		KSHIM_BUG("the shim models AES-GMAC only: no plaintext");
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return -ENOMEM;
	if (!EVP_EncryptInit_ex(c, aes_gcm(tfm->keylen), NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) ||
	    !EVP_EncryptInit_ex(c, NULL, NULL, tfm->key, req->iv))
		goto free;
	err = sg_walk(req->src, 0, req->assoclen, aad_piece, c);
	if (err)
		goto free;
	err = -EINVAL;
	if (!EVP_EncryptFinal_ex(c, fin, &outl) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, tfm->authsize, tag))
		goto free;
	out.tag = tag;
	err = sg_walk(req->dst, req->assoclen, tfm->authsize, tag_piece, &out);
free:
	EVP_CIPHER_CTX_free(c);
	memzero_explicit(tag, sizeof(tag));
	return err;
}

/*
 * select.c chooses between smbsign's x86_64 fast paths and the crypto
 * API. A userspace build has no fast path (smbsign.h's stubs without
 * CONFIG_X86_64): the crypto API above serves every algorithm, as in the
 * kernel with crypto_api_only set, which is what mac.c asks when it names
 * its driver.
 */
bool smbsign_select_crypto_api_only(void)
{
	return true;
}
