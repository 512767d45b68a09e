// SPDX-License-Identifier: GPL-2.0
/*
 * Which implementation serves each algorithm: smbsign's own fast path
 * (fast_x86.c) or the kernel crypto API (mac.c).
 *
 * The fast paths are chosen once at load: the CPU must have the
 * instructions (smbsign_fast_probe()) and each fast path must pass its
 * known-answer self-test (selftest.c), or it is never used. The crypto
 * API stays the reference, the fallback (no usable FPU, e.g. in a
 * softirq) and the way to hardware engines; crypto_api_only forces it for
 * every message, from the next message on (each context keeps both).
 */
#include <linux/bitops.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "smbsign.h"

/* Algorithms whose fast path passed its self-test; written only at load. */
static unsigned long fast_ok;

/* crypto_api_only: read locklessly per message, one word. */
static bool crypto_api_only;

/**
 * smbsign_select_fast_enable() - let a fast path serve an algorithm
 * @alg: the algorithm, whose fast path passed its self-test
 * @on: true to enable, false to disable
 *
 * Context: process context, module init (before any consumer can sign).
 */
void smbsign_select_fast_enable(enum smbsign_alg alg, bool on)
{
	if ((unsigned int)alg >= SMBSIGN_ALG_COUNT)
		return;
	if (on)
		set_bit(alg, &fast_ok);
	else
		clear_bit(alg, &fast_ok);
}

/**
 * smbsign_select_fast_ok() - may the fast path of an algorithm serve?
 * @alg: the algorithm
 *
 * Context: any context.
 * Return: true if it passed its self-test at load; crypto_api_only and
 * whether the FPU is usable are checked per message (smbsign_fast_serves()).
 */
bool smbsign_select_fast_ok(enum smbsign_alg alg)
{
	return (unsigned int)alg < SMBSIGN_ALG_COUNT && test_bit(alg, &fast_ok);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_select_fast_ok);

/**
 * smbsign_select_crypto_api_only() - is the crypto API forced?
 *
 * Context: any context.
 * Return: the value of crypto_api_only.
 */
bool smbsign_select_crypto_api_only(void)
{
	return READ_ONCE(crypto_api_only);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_select_crypto_api_only);

/**
 * smbsign_select_set_crypto_api_only() - parse and set crypto_api_only
 * @buf: the value written
 * @len: its length
 *
 * Context: any context.
 * Return: 0, or -EINVAL (nothing changed) if @buf is not a boolean as
 * smbsign_parse_bool() accepts it.
 */
int smbsign_select_set_crypto_api_only(const char *buf, size_t len)
{
	bool v;
	int err;

	err = smbsign_parse_bool(buf, len, &v);
	if (err)
		return err;
	WRITE_ONCE(crypto_api_only, v);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_select_set_crypto_api_only);

/**
 * smbsign_select_driver() - the implementation that serves an algorithm
 * @alg: the algorithm
 *
 * Context: any context, after the self-test.
 * Return: smbsign's fast path (e.g. "smbsign-gmac-pclmul") when it
 * serves, otherwise the crypto API driver the self-test used.
 */
const char *smbsign_select_driver(enum smbsign_alg alg)
{
	if (smbsign_select_fast_ok(alg) && !smbsign_select_crypto_api_only())
		return smbsign_fast_driver(alg);
	return smbsign_selftest_driver(alg);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_select_driver);

static int crypto_api_only_param_set(const char *val,
				     const struct kernel_param *kp)
{
	/* A bare "smbsign.crypto_api_only" means true, as for bool. */
	if (!val)
		val = "1";
	return smbsign_select_set_crypto_api_only(val, strlen(val));
}

static int crypto_api_only_param_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%d\n",
			 smbsign_select_crypto_api_only());
}

static const struct kernel_param_ops crypto_api_only_param_ops = {
	.set = crypto_api_only_param_set,
	.get = crypto_api_only_param_get,
};

/* Named SMBSIGN_CRYPTO_API_ONLY_NAME (names.h); the macro needs a token. */
module_param_cb(crypto_api_only, &crypto_api_only_param_ops, NULL, 0444);
MODULE_PARM_DESC(crypto_api_only,
		 "Sign through the kernel crypto API only, never smbsign's fast paths (default 0)");
