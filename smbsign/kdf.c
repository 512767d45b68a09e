// SPDX-License-Identifier: GPL-2.0
/*
 * Key derivation (MS-SMB2 3.1.4.2) and the SMB 3.1.1 preauth integrity
 * hash (MS-SMB2 3.2.5.2, 3.3.5.4).
 *
 * The KDF is SP800-108 in counter mode with HMAC-SHA256 as the PRF, a
 * 32-bit counter and a 32-bit length: K(i) = HMAC-SHA256(Ki, [i]_4 ||
 * Label || 0x00 || Context || [L]_4). It runs once per session or channel,
 * so a transform is allocated per derivation and never shared between
 * keys (CVE-2024-50047). The preauth hash is unkeyed, so one SHA-512
 * transform serves every caller.
 */
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/err.h>
#include <linux/error-injection.h>
#include <linux/string.h>

#include "smbsign.h"

/* SHA-512 is read-only after allocation: shared by all callers. */
static struct crypto_shash *smbsign_sha512;

struct kdf_piece {
	const u8 *p;
	unsigned int len;
};

static int kdf_core(const u8 *ki, unsigned int ki_len,
		    const struct kdf_piece *pieces, unsigned int n, u8 *out,
		    unsigned int out_len)
{
	u8 block[SHA256_DIGEST_SIZE];
	struct crypto_shash *tfm;
	unsigned int i, done;
	__be32 counter;
	int err;

	/* Session keys are 16 or 32 bytes; anything longer is a bug. */
	if (!ki || !ki_len || ki_len > SHA512_DIGEST_SIZE || !out ||
	    (out_len != 16 && out_len != 32))
		return -EINVAL;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, ki, ki_len);
	if (err)
		goto free_tfm;

	for (done = 0, counter = cpu_to_be32(1); done < out_len;
	     counter = cpu_to_be32(be32_to_cpu(counter) + 1)) {
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, (u8 *)&counter,
					  sizeof(counter));
		for (i = 0; !err && i < n; i++)
			err = crypto_shash_update(desc, pieces[i].p,
						  pieces[i].len);
		if (!err)
			err = crypto_shash_final(desc, block);
		shash_desc_zero(desc);
		if (err)
			break;
		i = min_t(unsigned int, out_len - done, sizeof(block));
		memcpy(out + done, block, i);
		done += i;
	}
	memzero_explicit(block, sizeof(block));
free_tfm:
	crypto_free_shash(tfm);
	return err;
}

/**
 * smbsign_kdf_fixed() - SP800-108 counter-mode KDF over a fixed input
 * @ki: the key derivation key
 * @ki_len: its length, 1 to 64 bytes
 * @fixed: the fixed input data that follows the counter
 * @fixed_len: its length
 * @out: the derived key
 * @out_len: 16 or 32
 *
 * The form the NIST CAVP vectors use; smbsign_kdf() builds the SMB fixed
 * input on top of the same core.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad length, or the crypto API's error.
 */
int smbsign_kdf_fixed(const u8 *ki, unsigned int ki_len, const u8 *fixed,
		      unsigned int fixed_len, u8 *out, unsigned int out_len)
{
	struct kdf_piece piece = { fixed, fixed_len };

	return kdf_core(ki, ki_len, &piece, 1, out, out_len);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_kdf_fixed);

/**
 * smbsign_kdf() - the SMB3 key derivation function (MS-SMB2 3.1.4.2)
 * @ki: the key derivation key (the session key)
 * @ki_len: its length, 1 to 64 bytes
 * @label: the label, with its terminating NUL as MS-SMB2 spells it
 *	(e.g. "SMBSigningKey\0", 14 bytes)
 * @label_len: its length
 * @context: the context (e.g. the preauth integrity hash)
 * @context_len: its length
 * @out: the derived key
 * @out_len: L / 8: 16 for signing keys, 32 for AES-256 cipher keys
 *
 * Computes HMAC-SHA256(Ki, [1]_4 || Label || 0x00 || Context || [L]_4)
 * and keeps the first @out_len bytes.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad length or a NULL pointer, or the crypto
 * API's error.
 */
noinline int smbsign_kdf(const u8 *ki, unsigned int ki_len, const u8 *label,
			 unsigned int label_len, const u8 *context,
			 unsigned int context_len, u8 *out,
			 unsigned int out_len)
{
	static const u8 separator;
	__be32 l_bits = cpu_to_be32(out_len * 8);
	struct kdf_piece pieces[] = {
		{ label, label_len },
		{ &separator, 1 },
		{ context, context_len },
		{ (const u8 *)&l_bits, sizeof(l_bits) },
	};

	if ((!label && label_len) || (!context && context_len))
		return -EINVAL;
	return kdf_core(ki, ki_len, pieces, ARRAY_SIZE(pieces), out, out_len);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_kdf);
/*
 * The HMAC-SHA256 transform kdf_core() allocates per derivation, at the
 * end of every SESSION_SETUP of SMB 3.x. noinline: called from this file
 * (smbsign_derive_signing_key()).
 */
ALLOW_ERROR_INJECTION(smbsign_kdf, ERRNO);

/**
 * smbsign_derive_signing_key() - derive Session.SigningKey or
 *	Channel.SigningKey
 * @which: SMBSIGN_KDF_SMB30 (3.0, 3.0.2) or SMBSIGN_KDF_SMB311
 * @session_key: the session key from authentication (for a channel: the
 *	key of the binding authentication)
 * @session_key_len: its length, 1 to 64 bytes
 * @preauth_hash: for 3.1.1, the session's (or channel's) preauth
 *	integrity hash after the last SESSION_SETUP request; ignored for 3.0
 * @out: the 16-byte signing key
 *
 * MS-SMB2 3.2.5.3.1: the KDF key is the first 16 bytes of the session
 * key, right-padded with zeros if it is shorter. 3.0 uses label
 * "SMB2AESCMAC" and context "SmbSign"; 3.1.1 uses label "SMBSigningKey"
 * and the preauth hash as context. SMB 2.x signs with the session key
 * itself and needs no derivation.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad argument, or the crypto API's error.
 */
int smbsign_derive_signing_key(enum smbsign_kdf_label which,
			       const u8 *session_key,
			       unsigned int session_key_len,
			       const u8 preauth_hash[SMBSIGN_PREAUTH_HASH_SIZE],
			       u8 out[SMBSIGN_KEY_SIZE])
{
	static const u8 label30[] = "SMB2AESCMAC";
	static const u8 context30[] = "SmbSign";
	static const u8 label311[] = "SMBSigningKey";
	u8 ki[SMBSIGN_KEY_SIZE] = { 0 };
	int err;

	if (!session_key || !session_key_len ||
	    session_key_len > SHA512_DIGEST_SIZE)
		return -EINVAL;
	memcpy(ki, session_key, min_t(unsigned int, session_key_len,
				      sizeof(ki)));

	switch (which) {
	case SMBSIGN_KDF_SMB30:
		err = smbsign_kdf(ki, sizeof(ki), label30, sizeof(label30),
				  context30, sizeof(context30), out,
				  SMBSIGN_KEY_SIZE);
		break;
	case SMBSIGN_KDF_SMB311:
		err = -EINVAL;
		if (preauth_hash)
			err = smbsign_kdf(ki, sizeof(ki), label311,
					  sizeof(label311), preauth_hash,
					  SMBSIGN_PREAUTH_HASH_SIZE, out,
					  SMBSIGN_KEY_SIZE);
		break;
	default:
		err = -EINVAL;
	}
	memzero_explicit(ki, sizeof(ki));
	return err;
}
EXPORT_SYMBOL_NS_GPL(smbsign_derive_signing_key, SMBSIGN);

/**
 * smbsign_preauth_hash_update() - extend the preauth integrity hash
 * @hash: H(n-1) on entry, H(n) = SHA-512(H(n-1) || message) on return;
 *	H(0) is 64 zero bytes
 * @msg: a NEGOTIATE or SESSION_SETUP message, whole
 *
 * MS-SMB2 3.2.5.2 and 3.3.5.4: the connection hash covers NEGOTIATE, the
 * session hash every SESSION_SETUP request and response except the final
 * successful response. @hash is unchanged on error.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a malformed message or a NULL @hash, -EMSGSIZE,
 * or the crypto API's error.
 */
int smbsign_preauth_hash_update(u8 hash[SMBSIGN_PREAUTH_HASH_SIZE],
				const struct smbsign_msg *msg)
{
	SHASH_DESC_ON_STACK(desc, smbsign_sha512);
	u8 next[SHA512_DIGEST_SIZE];
	size_t total;
	int err;

	if (!hash)
		return -EINVAL;
	err = smbsign_msg_check(msg, &total);
	if (err)
		return err;
	desc->tfm = smbsign_sha512;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, hash, SMBSIGN_PREAUTH_HASH_SIZE) ?:
	      smbsign_msg_hash(msg, 0, total, desc) ?:
	      crypto_shash_final(desc, next);
	if (!err)
		memcpy(hash, next, SMBSIGN_PREAUTH_HASH_SIZE);
	shash_desc_zero(desc);
	memzero_explicit(next, sizeof(next));
	return err;
}
EXPORT_SYMBOL_NS_GPL(smbsign_preauth_hash_update, SMBSIGN);
/* A crypto error on NEGOTIATE or SESSION_SETUP of SMB 3.1.1. */
ALLOW_ERROR_INJECTION(smbsign_preauth_hash_update, ERRNO);

/**
 * smbsign_hash_init() - allocate the shared SHA-512 transform
 *
 * Context: process context (module init); may sleep.
 * Return: 0, or the crypto API's error.
 */
int smbsign_hash_init(void)
{
	smbsign_sha512 = crypto_alloc_shash("sha512", 0, 0);
	return PTR_ERR_OR_ZERO(smbsign_sha512);
}

/**
 * smbsign_hash_exit() - free the shared SHA-512 transform
 *
 * Context: process context (module exit).
 */
void smbsign_hash_exit(void)
{
	crypto_free_shash(smbsign_sha512);
}
