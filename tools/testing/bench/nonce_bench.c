// SPDX-License-Identifier: GPL-2.0
/*
 * What the AES-GMAC nonce guard costs a signature: smbsign_nonce_claim()
 * (smbsign/nonce.c, the very file the module builds) against an AES-128-GMAC
 * tag of the same message computed by OpenSSL on the same CPU, in one run.
 * Only the ratio carries over to another machine.
 *
 * Usage: nonce_bench [ITERATIONS]
 *
 * Prints, per pattern of MessageIds and message size, the nanoseconds per
 * claim and per tag (the minimum of several trials) and claim / tag.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../../smbsign/nonce.h"

#define TRIALS 7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* MessageIds as a server signs them: mostly in order, some out of order. */
static unsigned long long pattern_mid(int pattern, unsigned long i)
{
	if (pattern == 0)
		return i + 1;
	/* blocks of 8 answered in reverse, credit charges of 1 to 4 */
	return (i & ~7UL) * 2 + (7 - (i & 7)) * 2 + 1;
}

static double bench_claims(int pattern, unsigned long n)
{
	struct smbsign_nonce_window *w = calloc(1, sizeof(*w));
	double t0, best = 1e30, t;
	unsigned long i;
	int trial, bad = 0;

	if (!w)
		abort();
	for (trial = 0; trial < TRIALS; trial++) {
		memset(w, 0, sizeof(*w));
		t0 = now_ns();
		for (i = 0; i < n; i++)
			bad |= smbsign_nonce_claim(w, pattern_mid(pattern, i) +
						   (unsigned long long)trial * 4 * n);
		t = (now_ns() - t0) / n;
		if (t < best)
			best = t;
	}
	free(w);
	if (bad) {
		fprintf(stderr, "nonce_bench: a fresh MessageId was refused\n");
		exit(1);
	}
	return best;
}

static double bench_gmac(size_t len, unsigned long n)
{
	static const unsigned char key[16] = "0123456789abcdef";
	unsigned char iv[12] = { 0 }, tag[16], *msg = calloc(1, len);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	double t0, best = 1e30, t;
	unsigned long i;
	int trial, outl;

	if (!msg || !c ||
	    !EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, NULL))
		abort();
	for (trial = 0; trial < TRIALS; trial++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			memcpy(iv, &i, sizeof(i));
			if (!EVP_EncryptInit_ex(c, NULL, NULL, NULL, iv) ||
			    !EVP_EncryptUpdate(c, NULL, &outl, msg, len) ||
			    !EVP_EncryptFinal_ex(c, tag, &outl) ||
			    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag))
				abort();
		}
		t = (now_ns() - t0) / n;
		if (t < best)
			best = t;
	}
	EVP_CIPHER_CTX_free(c);
	free(msg);
	return best;
}

int main(int argc, char **argv)
{
	static const char *const pattern_name[] = { "in order", "out of order" };
	static const size_t sizes[] = { 64, 4096 };
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	double claim[2], tag;
	unsigned int p, s;

	for (p = 0; p < 2; p++)
		claim[p] = bench_claims(p, n);
	printf("%-14s %6s %10s %10s %12s\n", "MessageIds", "bytes",
	       "claim ns", "gmac ns", "claim/gmac");
	for (s = 0; s < 2; s++) {
		tag = bench_gmac(sizes[s], n / (sizes[s] / 64));
		for (p = 0; p < 2; p++)
			printf("%-14s %6zu %10.2f %10.2f %12.3f\n",
			       pattern_name[p], sizes[s], claim[p], tag,
			       claim[p] / tag);
	}
	return 0;
}
