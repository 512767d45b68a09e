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

/* The driver behind each algorithm, as the self-test found it. */
static char driver[SMBSIGN_ALG_COUNT][CRYPTO_MAX_ALG_NAME];

/**
 * smbsign_selftest_driver() - the crypto driver that passed the self-test
 * @alg: the algorithm
 *
 * Context: any context, after smbsign_selftest() succeeded.
 * Return: e.g. "cmac(aes-aesni)", or "" for an unknown algorithm.
 */
const char *smbsign_selftest_driver(enum smbsign_alg alg)
{
	return (unsigned int)alg < SMBSIGN_ALG_COUNT ? driver[alg] : "";
}

/**
 * smbsign_selftest() - run the known-answer tests of every algorithm
 *
 * Signs, verifies and tamper-checks one message with each algorithm
 * through the public API, and derives the SMB 3.0 and 3.1.1 signing keys.
 * Logs the crypto driver behind each algorithm on success.
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
	return 0;
}
