// SPDX-License-Identifier: GPL-2.0
/*
 * The sign fuzz harness (sign_fuzz.h): the oracle. Every signature is
 * computed with OpenSSL's one-shot calls, HMAC() and EVP_Q_mac(), over a
 * flat copy of the message built here, never through the kernel API shim
 * (which maps smbsign's crypto API calls onto OpenSSL's incremental
 * calls), so that only smbsign's own handling of the message is compared.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "sign_fuzz.h"

/* The oracle: one element's signature by OpenSSL's one-shot calls. */
static void oracle_mac(const struct tc *t, const u8 *e, size_t len,
		       u8 sig[SMBSIGN_SIG_SIZE])
{
	u8 md[EVP_MAX_MD_SIZE], nonce[12];
	unsigned int mdlen = 0;
	OSSL_PARAM params[2];
	size_t outlen = 0;
	u8 *ok;

	switch (t->alg) {
	case SMBSIGN_ALG_HMAC_SHA256:
		ok = HMAC(EVP_sha256(), t->key, sizeof(t->key), e, len, md,
			  &mdlen);
		if (!ok || mdlen != 32)
			sign_fuzz_fail(t, "OpenSSL HMAC()", mdlen, 0);
		memcpy(sig, md, SMBSIGN_SIG_SIZE);
		return;
	case SMBSIGN_ALG_AES_CMAC:
		ok = EVP_Q_mac(NULL, "CMAC", NULL, "AES-128-CBC", NULL, t->key,
			       sizeof(t->key), e, len, sig, SMBSIGN_SIG_SIZE,
			       &outlen);
		break;
	default:
		/* MS-SMB2 3.1.4.1: MessageId, then the role as a le32. */
		memcpy(nonce, e + SMBSIGN_HDR_MESSAGE_ID, 8);
		put_le(nonce + 8,
		       (e[SMBSIGN_HDR_FLAGS] & SMBSIGN_FLAG_SERVER_TO_REDIR ?
			1 : 0) |
		       (get_le(e + SMBSIGN_HDR_COMMAND, 2) == 0x0c ? 2 : 0), 4);
		params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_MAC_PARAM_IV, nonce, sizeof(nonce));
		params[1] = OSSL_PARAM_construct_end();
		ok = EVP_Q_mac(NULL, "GMAC", NULL, "AES-128-GCM", params,
			       t->key, sizeof(t->key), e, len, sig,
			       SMBSIGN_SIG_SIZE, &outlen);
		break;
	}
	if (!ok || outlen != SMBSIGN_SIG_SIZE)
		sign_fuzz_fail(t, "OpenSSL EVP_Q_mac()", outlen, t->alg);
}

/* The message as it must be once signed: each element on its own. */
void sign_fuzz_oracle(const struct tc *t, u8 *out)
{
	u8 sig[SMBSIGN_SIG_SIZE];
	unsigned int i;
	u8 *e;

	memcpy(out, t->flat, t->total);
	for (i = 0; i < t->nelem; i++) {
		e = out + t->eoff[i];
		e[SMBSIGN_HDR_FLAGS] |= SMBSIGN_FLAG_SIGNED;
		memset(e + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
		oracle_mac(t, e, t->elen[i], sig);
		memcpy(e + SMBSIGN_SIG_OFFSET, sig, SMBSIGN_SIG_SIZE);
	}
}
