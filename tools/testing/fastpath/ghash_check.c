// SPDX-License-Identifier: GPL-2.0
/*
 * Native check of smbsign's GHASH (smbsign/ghash_clmul_x86_64.S and the
 * key preparation in smbsign/fast.h): AES-128-GMAC built from it must
 * equal OpenSSL's AES-128-GCM tag over the same additional data and an
 * empty plaintext, on random keys, nonces and lengths (0 to 9000 bytes,
 * plus a few long ones that run the four-block loop for long).
 *
 * Usage: ghash_check [TRIALS [SEED]]. Prints one line per failure and a
 * summary; exits 0 only if every trial matched. Skips (exit 77) on a CPU
 * without PCLMULQDQ.
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../../../smbsign/fast.h"

#define NONCE_SIZE	12
#define TAG_SIZE	16
#define MAX_LEN		(1 << 20)

static void die(const char *what)
{
	fprintf(stderr, "ghash_check: %s\n", what);
	exit(2);
}

/* One AES-128 block with OpenSSL: H and the J0 block. */
static void aes_block(const u8 *key, const u8 *in, u8 *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;

	if (!c || !EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, key, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0) ||
	    !EVP_EncryptUpdate(c, out, &n, in, 16) || n != 16)
		die("AES-128-ECB failed");
	EVP_CIPHER_CTX_free(c);
}

static void openssl_gmac(const u8 *key, const u8 *nonce, const u8 *aad,
			 size_t len, u8 *tag)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;

	if (!c || !EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_SIZE, NULL) ||
	    !EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) ||
	    (len && !EVP_EncryptUpdate(c, NULL, &n, aad, (int)len)) ||
	    !EVP_EncryptFinal_ex(c, tag, &n) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_SIZE, tag))
		die("AES-128-GCM failed");
	EVP_CIPHER_CTX_free(c);
}

/* GMAC as smbsign/fast_x86.c computes it, over one flat buffer. */
static void fast_gmac(const u8 *key, const u8 *nonce, const u8 *aad,
		      size_t len, u8 *tag)
{
	static const u8 zero[16];
	struct smbsign_ghash_key gk;
	u8 h[16], j0[16], ej0[16], s[16] = { 0 }, last[16] = { 0 };
	u64 bits = (u64)len * 8;
	size_t full = len / 16;
	unsigned int i;

	aes_block(key, zero, h);
	smbsign_ghash_key_set(&gk, h);
	smbsign_ghash_clmul(s, &gk, aad, full);
	if (len % 16) {
		memcpy(last, aad + full * 16, len % 16);
		smbsign_ghash_clmul(s, &gk, last, 1);
	}
	memset(last, 0, sizeof(last));
	for (i = 0; i < 8; i++)
		last[7 - i] = (u8)(bits >> (8 * i));
	smbsign_ghash_clmul(s, &gk, last, 1);
	memcpy(j0, nonce, NONCE_SIZE);
	j0[12] = 0;
	j0[13] = 0;
	j0[14] = 0;
	j0[15] = 1;
	aes_block(key, j0, ej0);
	for (i = 0; i < 16; i++)
		tag[i] = s[i] ^ ej0[i];
}

static void fill(u8 *p, size_t n)
{
	while (n--)
		*p++ = (u8)(random() >> 7);
}

int main(int argc, char **argv)
{
	unsigned int trials = argc > 1 ? (unsigned int)atoi(argv[1]) : 2000;
	unsigned int seed = argc > 2 ? (unsigned int)atoi(argv[2]) : 1;
	unsigned int a, b, c, d, t, bad = 0;
	u8 key[16], nonce[NONCE_SIZE], want[16], got[16];
	u8 *aad = malloc(MAX_LEN);
	size_t len;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_PCLMUL)) {
		printf("ghash_check: SKIP: the CPU has no PCLMULQDQ\n");
		return 77;
	}
	if (!aad)
		die("out of memory");
	srandom(seed);
	for (t = 0; t < trials; t++) {
		fill(key, sizeof(key));
		fill(nonce, sizeof(nonce));
		/* Mostly SMB-sized messages; every 50th one long. */
		len = t % 50 == 49 ? (size_t)random() % MAX_LEN :
				     (size_t)random() % 9001;
		if (t < 70)
			len = t;	/* every tail and loop boundary */
		fill(aad, len);
		openssl_gmac(key, nonce, aad, len, want);
		fast_gmac(key, nonce, aad, len, got);
		if (memcmp(want, got, sizeof(got))) {
			printf("ghash_check: MISMATCH trial %u length %zu\n",
			       t, len);
			bad++;
		}
	}
	printf("ghash_check: %u trials, %u mismatches (seed %u)\n", trials,
	       bad, seed);
	free(aad);
	return bad ? 1 : 0;
}
