/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsign - SMB2/SMB3 message signing for the in-kernel SMB client and server.
 *
 * This is the interface cifs and ksmbd call. See
 * Documentation/smbsign/api.rst for the lifetime rules; in short:
 *
 *  - A consumer that links against smbsign calls the functions below
 *    directly. A consumer that must keep working when smbsign is absent
 *    uses smbsign_provider_find() / smbsign_provider_put() instead and
 *    calls through the returned &struct smbsign_provider.
 *  - Every live &struct smbsign_ctx holds a reference on the smbsign
 *    module, so the module cannot be unloaded while a session still owns
 *    a context; it unloads once the last context is freed. A consumer
 *    that used smbsign_provider_find() keeps its provider reference until
 *    it has freed its last context: no call into smbsign, ctx_free
 *    included, may rely on the context's own reference alone.
 *  - A context is keyed once, at allocation. Signing and verifying never
 *    allocate a transform, never call setkey and may run concurrently on
 *    the same context from several threads.
 */
#ifndef _LINUX_SMBSIGN_H
#define _LINUX_SMBSIGN_H

#include <linux/module.h>
#include <linux/types.h>
#include <linux/uio.h>

/**
 * enum smbsign_alg - signing algorithms
 * @SMBSIGN_ALG_HMAC_SHA256: HMAC-SHA256 truncated to 16 bytes (SMB 2.0.2, 2.1)
 * @SMBSIGN_ALG_AES_CMAC: AES-128-CMAC (SMB 3.0, 3.0.2, 3.1.1)
 * @SMBSIGN_ALG_AES_GMAC: AES-128-GMAC (SMB 3.1.1 with signing capabilities)
 * @SMBSIGN_ALG_COUNT: number of algorithms
 *
 * The values are the SigningAlgorithms identifiers of the
 * SMB2_SIGNING_CAPABILITIES negotiate context (MS-SMB2 2.2.3.1.7), so a
 * value read from the wire can be range-checked and used directly.
 */
enum smbsign_alg {
	SMBSIGN_ALG_HMAC_SHA256 = 0,
	SMBSIGN_ALG_AES_CMAC = 1,
	SMBSIGN_ALG_AES_GMAC = 2,
	SMBSIGN_ALG_COUNT
};

/* Sizes fixed by MS-SMB2 2.2.1 and 3.1.4.1. */
#define SMBSIGN_KEY_SIZE		16
#define SMBSIGN_SIG_SIZE		16
#define SMBSIGN_HDR_SIZE		64
#define SMBSIGN_SIG_OFFSET		48
#define SMBSIGN_PREAUTH_HASH_SIZE	64

/* Bumped when struct smbsign_provider changes incompatibly. */
#define SMBSIGN_API_VERSION		1

struct smbsign_ctx;

/**
 * struct smbsign_msg - one SMB2 message (or compound chain) to sign or verify
 * @iov: kvecs holding the message from the first byte of the SMB2 header
 *	(no RFC 1002 length), in order; header, body and padding may be split
 *	at any byte. Every SMB2 header of the message must lie in @iov.
 * @nr_iov: number of entries in @iov
 * @data: optional payload that follows the bytes of @iov, for example the
 *	pages of a READ response or WRITE request (ITER_KVEC, ITER_BVEC,
 *	ITER_FOLIOQ or ITER_XARRAY); never advanced or written. May be NULL.
 *
 * The message length is the sum of the @iov lengths plus
 * iov_iter_count(@data).
 */
struct smbsign_msg {
	const struct kvec *iov;
	unsigned int nr_iov;
	const struct iov_iter *data;
};

/**
 * enum smbsign_kdf_label - the SP800-108 labels used for SMB signing keys
 * @SMBSIGN_KDF_SMB30: SMB 3.0 / 3.0.2, label "SMB2AESCMAC", context "SmbSign"
 * @SMBSIGN_KDF_SMB311: SMB 3.1.1, label "SMBSigningKey", context = the
 *	preauth integrity hash (MS-SMB2 3.2.5.3.1, 3.3.5.5.3)
 */
enum smbsign_kdf_label {
	SMBSIGN_KDF_SMB30,
	SMBSIGN_KDF_SMB311,
};

struct smbsign_ctx *smbsign_ctx_alloc(enum smbsign_alg alg, const u8 *key,
				      unsigned int key_len);
void smbsign_ctx_free(struct smbsign_ctx *ctx);
enum smbsign_alg smbsign_ctx_alg(const struct smbsign_ctx *ctx);
const char *smbsign_ctx_driver(const struct smbsign_ctx *ctx);
const char *smbsign_alg_name(enum smbsign_alg alg);

int smbsign_sign(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
int smbsign_verify(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
int smbsign_sign_chain(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
int smbsign_verify_chain(struct smbsign_ctx *ctx,
			 const struct smbsign_msg *msg, unsigned int *bad_elem);

int smbsign_kdf(const u8 *ki, unsigned int ki_len, const u8 *label,
		unsigned int label_len, const u8 *context,
		unsigned int context_len, u8 *out, unsigned int out_len);
int smbsign_derive_signing_key(enum smbsign_kdf_label which,
			       const u8 *session_key,
			       unsigned int session_key_len,
			       const u8 preauth_hash[SMBSIGN_PREAUTH_HASH_SIZE],
			       u8 out[SMBSIGN_KEY_SIZE]);
int smbsign_preauth_hash_update(u8 hash[SMBSIGN_PREAUTH_HASH_SIZE],
				const struct smbsign_msg *msg);

/**
 * struct smbsign_provider - what smbsign offers a consumer found at runtime
 * @api_version: SMBSIGN_API_VERSION of the provider; a consumer built
 *	against another version must not use it
 * @owner: the module implementing the provider
 * @ctx_alloc: smbsign_ctx_alloc()
 * @ctx_free: smbsign_ctx_free()
 * @ctx_driver: smbsign_ctx_driver()
 * @sign: smbsign_sign()
 * @verify: smbsign_verify()
 * @sign_chain: smbsign_sign_chain()
 * @verify_chain: smbsign_verify_chain()
 * @derive_signing_key: smbsign_derive_signing_key()
 * @preauth_hash_update: smbsign_preauth_hash_update()
 *
 * A consumer that must not depend on the smbsign module at link time (cifs
 * and ksmbd keep their built-in signing when smbsign is absent) calls
 * smbsign_provider_find() and then only these pointers.
 */
struct smbsign_provider {
	unsigned int api_version;
	struct module *owner;
	struct smbsign_ctx *(*ctx_alloc)(enum smbsign_alg alg, const u8 *key,
					 unsigned int key_len);
	void (*ctx_free)(struct smbsign_ctx *ctx);
	const char *(*ctx_driver)(const struct smbsign_ctx *ctx);
	int (*sign)(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
	int (*verify)(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
	int (*sign_chain)(struct smbsign_ctx *ctx,
			  const struct smbsign_msg *msg);
	int (*verify_chain)(struct smbsign_ctx *ctx,
			    const struct smbsign_msg *msg,
			    unsigned int *bad_elem);
	int (*derive_signing_key)(enum smbsign_kdf_label which,
				  const u8 *session_key,
				  unsigned int session_key_len,
				  const u8 *preauth_hash, u8 *out);
	int (*preauth_hash_update)(u8 *hash, const struct smbsign_msg *msg);
};

const struct smbsign_provider *smbsign_provider_get(void);

/**
 * smbsign_provider_find() - find the smbsign provider at runtime
 *
 * Looks the provider up without a link-time dependency on the smbsign
 * module, loading the module on demand. The result holds a reference on
 * the provider's module; drop it with smbsign_provider_put(), and only
 * after the last context allocated through the provider has been freed.
 *
 * Context: process context; may sleep (it may load the module).
 * Return: the provider, or NULL if smbsign is not available, has not
 * passed its self-tests, is being unloaded, or implements another
 * SMBSIGN_API_VERSION.
 */
static inline const struct smbsign_provider *smbsign_provider_find(void)
{
	const struct smbsign_provider *(*get)(void);
	const struct smbsign_provider *prov;

	get = symbol_request(smbsign_provider_get);
	if (!get)
		return NULL;
	prov = get();
	symbol_put(smbsign_provider_get);
	if (prov && prov->api_version != SMBSIGN_API_VERSION) {
		module_put(prov->owner);
		return NULL;
	}
	return prov;
}

/**
 * smbsign_provider_put() - drop a reference taken by smbsign_provider_find()
 * @prov: the provider, or NULL
 *
 * Context: any context.
 */
static inline void smbsign_provider_put(const struct smbsign_provider *prov)
{
	if (prov)
		module_put(prov->owner);
}

#endif /* _LINUX_SMBSIGN_H */
