// SPDX-License-Identifier: GPL-2.0
/*
 * Known-answer self-tests run at load. smbsign fails closed: if any
 * algorithm or the KDF gives a wrong answer through the crypto driver the
 * kernel picked, the module does not load, so no consumer can ever sign
 * with it.
 */
#include <crypto/algapi.h>
#include <crypto/utils.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kat.h"
#include "smbsign.h"

static int kat_sig(const struct smbsign_kat_sig *kat, char *driver,
		   size_t driver_len)
{
	struct smbsign_ctx *ctx;
	struct kvec iov;
	struct smbsign_msg msg = { .iov = &iov, .nr_iov = 1 };
	u8 *buf;
	int err;

	buf = kmemdup(smbsign_kat_msg, sizeof(smbsign_kat_msg), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = sizeof(smbsign_kat_msg);
	memset(buf + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);

	/* The message is a response: a server context signs it. */
	ctx = smbsign_ctx_create(SMBSIGN_SERVER, NULL, kat->alg, kat->key,
				 SMBSIGN_KEY_SIZE);
	if (IS_ERR(ctx)) {
		err = PTR_ERR(ctx);
		goto free_buf;
	}
	strscpy(driver, smbsign_mac_driver(&ctx->mac), driver_len);

	err = smbsign_sign(ctx, &msg);
	if (!err && crypto_memneq(buf + SMBSIGN_SIG_OFFSET, kat->sig,
				  SMBSIGN_SIG_SIZE))
		err = -EBADMSG;
	if (!err)
		err = smbsign_verify(ctx, &msg);
	/*
	 * The nonce guard recorded the MessageId: a second signature under it
	 * would be refused (checked on the window itself, so that loading
	 * logs no refusal).
	 */
	if (!err && kat->alg == SMBSIGN_ALG_AES_GMAC &&
	    smbsign_nonce_claim(&ctx->guard->win[0],
				get_unaligned_le64(buf + SMBSIGN_HDR_MESSAGE_ID)) != -EEXIST)
		err = -EBADMSG;
	/* A flipped bit in the body, then in the signature, must fail. */
	if (!err) {
		buf[SMBSIGN_HDR_SIZE] ^= 1;
		if (smbsign_verify(ctx, &msg) != -EBADMSG)
			err = -EBADMSG;
		buf[SMBSIGN_HDR_SIZE] ^= 1;
	}
	if (!err) {
		buf[SMBSIGN_SIG_OFFSET] ^= 0x80;
		if (smbsign_verify(ctx, &msg) != -EBADMSG)
			err = -EBADMSG;
	}
	smbsign_ctx_free(ctx);
free_buf:
	kfree(buf);
	return err;
}

static int kat_kdf(void)
{
	u8 key[SMBSIGN_KEY_SIZE];
	int err;

	err = smbsign_derive_signing_key(SMBSIGN_KDF_SMB311,
					 smbsign_kat_session_key,
					 SMBSIGN_KEY_SIZE,
					 smbsign_kat_preauth_hash, key);
	if (!err && crypto_memneq(key, smbsign_kat_signing_key, sizeof(key)))
		err = -EBADMSG;
	if (!err)
		err = smbsign_derive_signing_key(SMBSIGN_KDF_SMB30,
						 smbsign_kat_smb30_session_key,
						 SMBSIGN_KEY_SIZE, NULL, key);
	if (!err && crypto_memneq(key, smbsign_kat_smb30_signing_key,
				  sizeof(key)))
		err = -EBADMSG;
	memzero_explicit(key, sizeof(key));
	return err;
}

/*
 * The fast path of @kat->alg, called directly (crypto_api_only may
 * already be set from modprobe.d): the message as it is, and with a
 * header image in place of a garbled header, must both give the answer.
 */
static int kat_fast(const struct smbsign_kat_sig *kat)
{
	const size_t len = sizeof(smbsign_kat_msg);
	struct kvec iov;
	struct smbsign_msg msg = { .iov = &iov, .nr_iov = 1 };
	u8 nonce[SMBSIGN_GMAC_NONCE_SIZE], sig[SMBSIGN_SIG_SIZE];
	struct smbsign_hdr hdr;
	struct smbsign_mac mac;
	u8 *buf, *image;
	int err;

	/* The message, then a copy of its header: the image. */
	buf = kmalloc(len + SMBSIGN_HDR_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, smbsign_kat_msg, len);
	memset(buf + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
	image = buf + len;
	memcpy(image, buf, SMBSIGN_HDR_SIZE);
	iov.iov_base = buf;
	iov.iov_len = len;
	err = smbsign_hdr_parse(buf, len, &hdr);
	if (err)
		goto free_buf;
	smbsign_gmac_nonce(&hdr, nonce);

	err = smbsign_mac_init(&mac, kat->alg, kat->key, SMBSIGN_KEY_SIZE);
	if (err)
		goto free_buf;
	err = mac.fast ? smbsign_fast_compute(&mac, NULL, &msg, 0, len, nonce,
					      sig) : -ENODEV;
	if (!err && crypto_memneq(sig, kat->sig, SMBSIGN_SIG_SIZE))
		err = -EBADMSG;
	if (!err) {
		memset(buf, 0xa5, SMBSIGN_HDR_SIZE);
		err = smbsign_fast_compute(&mac, image, &msg, 0, len, nonce,
					   sig);
	}
	if (!err && crypto_memneq(sig, kat->sig, SMBSIGN_SIG_SIZE))
		err = -EBADMSG;
	smbsign_mac_destroy(&mac);
free_buf:
	kfree(buf);
	return err;
}

/* CMAC: RFC 4493's example 4, the complete last block (K1). */
static int kat_fast_cmac_k1(void)
{
	const size_t len = sizeof(smbsign_kat_rfc4493_msg);
	struct kvec iov;
	struct smbsign_msg msg = { .iov = &iov, .nr_iov = 1 };
	struct smbsign_mac mac;
	u8 sig[SMBSIGN_SIG_SIZE];
	void *buf;
	int err;

	buf = kmemdup(smbsign_kat_rfc4493_msg, len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	iov.iov_base = buf;
	iov.iov_len = len;
	err = smbsign_mac_init(&mac, SMBSIGN_ALG_AES_CMAC,
			       smbsign_kat_rfc4493_key, SMBSIGN_KEY_SIZE);
	if (err)
		goto free_buf;
	err = mac.fast ? smbsign_fast_compute(&mac, NULL, &msg, 0, len, NULL,
					      sig) : -ENODEV;
	if (!err && crypto_memneq(sig, smbsign_kat_rfc4493_mac,
				  SMBSIGN_SIG_SIZE))
		err = -EBADMSG;
	smbsign_mac_destroy(&mac);
free_buf:
	kfree(buf);
	return err;
}

/*
 * Enable each fast path this CPU has whose known answers are right, both
 * called directly and through the public API (sign, verify, tampering,
 * nonce guard). One that fails is logged and never used: the crypto API,
 * tested above, serves that algorithm.
 */
static void selftest_fast(void)
{
	unsigned int mask = smbsign_fast_probe(), i;
	const struct smbsign_kat_sig *kat;
	char name[CRYPTO_MAX_ALG_NAME];
	int err;

	for (i = 0; i < SMBSIGN_ALG_COUNT; i++) {
		kat = &smbsign_kat_sigs[i];
		if (!(mask & BIT(kat->alg)))
			continue;
		smbsign_select_fast_enable(kat->alg, true);
		err = kat_fast(kat);
		if (!err && kat->alg == SMBSIGN_ALG_AES_CMAC)
			err = kat_fast_cmac_k1();
		if (!err)
			err = kat_sig(kat, name, sizeof(name));
		if (err) {
			smbsign_select_fast_enable(kat->alg, false);
			pr_warn("fast path self-test FAILED: %s (%s): %d; the crypto API serves it\n",
				smbsign_alg_name(kat->alg),
				smbsign_fast_driver(kat->alg), err);
			continue;
		}
		pr_info("fast path self-test passed: %s (%s)\n",
			smbsign_alg_name(kat->alg),
			smbsign_fast_driver(kat->alg));
	}
}

/* The driver behind each algorithm, as the self-test found it. */
static char driver[SMBSIGN_ALG_COUNT][CRYPTO_MAX_ALG_NAME];

/**
 * smbsign_selftest_driver() - the crypto driver that passed the self-test
 * @alg: the algorithm
 *
 * Context: any context, after smbsign_selftest() succeeded.
 * Return: e.g. "cmac(aes-aesni)", or "" for an unknown algorithm; the
 * crypto API's driver even where a fast path serves
 * (smbsign_select_driver()).
 */
const char *smbsign_selftest_driver(enum smbsign_alg alg)
{
	return (unsigned int)alg < SMBSIGN_ALG_COUNT ? driver[alg] : "";
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_selftest_driver);

/**
 * smbsign_selftest() - run the known-answer tests of every algorithm
 *
 * Signs, verifies and tamper-checks one message with each algorithm
 * through the public API, and derives the SMB 3.0 and 3.1.1 signing keys.
 * Logs the crypto driver behind each algorithm on success. Then enables
 * the fast paths (select.c) that pass the same tests; a fast path that
 * fails only falls back to the crypto API.
 *
 * Context: process context (module init); may sleep.
 * Return: 0 if every answer is right, otherwise the first error
 * (-EBADMSG for a wrong answer).
 */
int smbsign_selftest(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < SMBSIGN_ALG_COUNT; i++) {
		err = kat_sig(&smbsign_kat_sigs[i], driver[i],
			      sizeof(driver[i]));
		if (err) {
			pr_err("self-test FAILED: %s (%s): %d\n",
			       smbsign_alg_name(smbsign_kat_sigs[i].alg),
			       driver[i][0] ? driver[i] : "no driver", err);
			return err;
		}
	}
	err = kat_kdf();
	if (err) {
		pr_err("self-test FAILED: sp800-108 kdf: %d\n", err);
		return err;
	}
	pr_info("self-test passed: %s (%s), %s (%s), %s (%s), sp800-108 kdf\n",
		smbsign_alg_name(SMBSIGN_ALG_HMAC_SHA256),
		driver[SMBSIGN_ALG_HMAC_SHA256],
		smbsign_alg_name(SMBSIGN_ALG_AES_CMAC),
		driver[SMBSIGN_ALG_AES_CMAC],
		smbsign_alg_name(SMBSIGN_ALG_AES_GMAC),
		driver[SMBSIGN_ALG_AES_GMAC]);
	selftest_fast();
	return 0;
}
