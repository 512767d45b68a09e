// SPDX-License-Identifier: GPL-2.0
/*
 * Per-session signing contexts: one algorithm, one key, one transform,
 * allocated and keyed once (MS-SMB2 3.2.5.3.1: Session.SigningKey and
 * Channel.SigningKey are fixed for the life of the session or channel).
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "smbsign.h"

static const char *const alg_names[SMBSIGN_ALG_COUNT] = {
	[SMBSIGN_ALG_HMAC_SHA256] = "hmac-sha256",
	[SMBSIGN_ALG_AES_CMAC] = "aes-cmac",
	[SMBSIGN_ALG_AES_GMAC] = "aes-gmac",
};

/**
 * smbsign_alg_name() - the name of an algorithm as sysfs and logs show it
 * @alg: the algorithm
 *
 * Context: any context.
 * Return: "hmac-sha256", "aes-cmac", "aes-gmac", or NULL if @alg is not an
 * algorithm.
 */
const char *smbsign_alg_name(enum smbsign_alg alg)
{
	if ((unsigned int)alg >= SMBSIGN_ALG_COUNT)
		return NULL;
	return alg_names[alg];
}
EXPORT_SYMBOL_NS_GPL(smbsign_alg_name, SMBSIGN);

/**
 * smbsign_ctx_alloc() - allocate a keyed signing context for one session
 * @side: SMBSIGN_CLIENT (cifs) or SMBSIGN_SERVER (ksmbd): where the
 *	messages signed and verified through the context are counted
 * @alg: the negotiated signing algorithm
 * @key: the signing key: Session.SigningKey or Channel.SigningKey
 *	(MS-SMB2 3.2.5.3.1, 3.3.5.5.3); for SMB 2.0.2 and 2.1 the first 16
 *	bytes of the session key
 * @key_len: must be SMBSIGN_KEY_SIZE (16)
 *
 * The transform is allocated and keyed here, once; signing and verifying
 * through the context never allocate a transform or set a key. The
 * caller's copy of @key is not retained. The context holds a reference on
 * the smbsign module until smbsign_ctx_free().
 *
 * Context: process context; may sleep.
 * Return: the context, or ERR_PTR(-EINVAL) for an unknown side or
 * algorithm or a key that is not 16 bytes, ERR_PTR(-ENOENT) if the crypto API has no
 * implementation of the algorithm, ERR_PTR(-ENODEV) while the module is
 * being unloaded, ERR_PTR(-ENOMEM).
 */
struct smbsign_ctx *smbsign_ctx_alloc(enum smbsign_side side,
				      enum smbsign_alg alg, const u8 *key,
				      unsigned int key_len)
{
	struct smbsign_ctx *ctx;
	int err;

	/* Never trust a length that may come from the wire (CVE-2023-52440). */
	if ((unsigned int)side >= SMBSIGN_SIDE_COUNT ||
	    (unsigned int)alg >= SMBSIGN_ALG_COUNT || !key ||
	    key_len != SMBSIGN_KEY_SIZE)
		return ERR_PTR(-EINVAL);
	if (!try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx) {
		err = -ENOMEM;
		goto put_module;
	}
	ctx->side = side;
	err = smbsign_mac_init(&ctx->mac, alg, key, key_len);
	if (err)
		goto free_ctx;
	return ctx;

free_ctx:
	kfree_sensitive(ctx);
put_module:
	module_put(THIS_MODULE);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_alloc, SMBSIGN);

/**
 * smbsign_ctx_free() - free a context and wipe its key material
 * @ctx: the context, or NULL
 *
 * The caller must make sure no sign or verify on @ctx is in progress and
 * must hold a reference on the module other than the context's own (a
 * link-time dependency, or the provider reference): see
 * include/linux/smbsign.h.
 *
 * Context: process context.
 */
void smbsign_ctx_free(struct smbsign_ctx *ctx)
{
	if (IS_ERR_OR_NULL(ctx))
		return;
	smbsign_mac_destroy(&ctx->mac);
	kfree_sensitive(ctx);
	module_put(THIS_MODULE);
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_free, SMBSIGN);

/**
 * smbsign_ctx_alg() - the algorithm of a context
 * @ctx: the context
 *
 * Context: any context.
 * Return: the algorithm the context was allocated with.
 */
enum smbsign_alg smbsign_ctx_alg(const struct smbsign_ctx *ctx)
{
	return ctx->mac.alg;
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_alg, SMBSIGN);

/**
 * smbsign_ctx_driver() - the crypto driver serving a context
 * @ctx: the context
 *
 * Lets an administrator see whether signing runs on AES-NI, a generic C
 * implementation or a hardware engine.
 *
 * Context: any context.
 * Return: the crypto driver name, e.g. "cmac(aes-aesni)"; valid as long as
 * @ctx is.
 */
const char *smbsign_ctx_driver(const struct smbsign_ctx *ctx)
{
	return smbsign_mac_driver(&ctx->mac);
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_driver, SMBSIGN);
