// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime registration of smbsign as the SMB signing provider.
 *
 * cifs and ksmbd must keep working when smbsign is not loaded, so they do
 * not link against it: smbsign_provider_find() (include/linux/smbsign.h)
 * looks up smbsign_provider_get() with symbol_request(), which loads the
 * module on demand and pins it while the lookup runs. The provider is
 * offered only between smbsign_provider_register(), after the self-tests
 * passed, and smbsign_provider_unregister(), first thing at unload.
 */
#include <linux/module.h>

#include "smbsign.h"

static const struct smbsign_provider provider = {
	.api_version = SMBSIGN_API_VERSION,
	.owner = THIS_MODULE,
	.ctx_alloc = smbsign_ctx_alloc,
	.ctx_free = smbsign_ctx_free,
	.ctx_driver = smbsign_ctx_driver,
	.sign = smbsign_sign,
	.verify = smbsign_verify,
	.sign_chain = smbsign_sign_chain,
	.verify_chain = smbsign_verify_chain,
	.derive_signing_key = smbsign_derive_signing_key,
	.preauth_hash_update = smbsign_preauth_hash_update,
	.policy_get = smbsign_policy_get,
	.policy_pick_alg = smbsign_policy_pick_alg,
	.session_init = smbsign_session_init,
	.decide = smbsign_decide,
};

/* Written only by module init and exit; read locklessly. */
static bool registered;

/**
 * smbsign_provider_get() - take a reference on the registered provider
 *
 * Called through smbsign_provider_find(); consumers do not call it by
 * name. The reference pins the module: drop it with
 * smbsign_provider_put() after freeing the last context.
 *
 * Context: any context.
 * Return: the provider, or NULL before registration or during unload.
 */
const struct smbsign_provider *smbsign_provider_get(void)
{
	if (!READ_ONCE(registered) || !try_module_get(THIS_MODULE))
		return NULL;
	return &provider;
}
EXPORT_SYMBOL_NS_GPL(smbsign_provider_get, SMBSIGN);

/**
 * smbsign_provider_register() - offer the provider to consumers
 *
 * Context: module init, after the self-tests passed.
 */
void smbsign_provider_register(void)
{
	WRITE_ONCE(registered, true);
}

/**
 * smbsign_provider_unregister() - stop offering the provider
 *
 * Runs only once no reference is left (module exit), so no consumer holds
 * the provider or a context.
 *
 * Context: module exit.
 */
void smbsign_provider_unregister(void)
{
	WRITE_ONCE(registered, false);
}
