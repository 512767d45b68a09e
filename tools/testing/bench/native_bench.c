// SPDX-License-Identifier: GPL-2.0
/*
 * The native table of make bench: per message size, the cost per byte
 * of each signing primitive on the host CPU, in one process:
 *
 *   openssl-hmac   OpenSSL 3 EVP_MAC HMAC-SHA256, keyed once
 *   openssl-cmac   OpenSSL 3 EVP_MAC CMAC over AES-128-CBC, keyed once
 *   openssl-gmac   OpenSSL 3 AES-128-GCM, the message as AAD only (what
 *                  SMB's AES-GMAC signing computes), a new nonce each time
 *   kernel-ghash   GHASH of the message with Linux 6.12's
 *                  arch/x86/crypto/ghash-clmulni-intel_asm.S, assembled
 *                  from linux-source-6.12 with tools/testing/asmshim/ (one
 *                  PCLMULQDQ multiply and reduction per 16-byte block);
 *                  GHASH only: GMAC adds one AES block
 *   smbsign-ghash  GHASH of the message with smbsign's own fast path,
 *                  smbsign/ghash_clmul_x86_64.S (four blocks per
 *                  reduction), keyed by smbsign/fast.h as the module keys it
 *   smbsign-cbcmac the CBC-MAC loop of smbsign's AES-CMAC fast path,
 *                  smbsign/cmac_aesni_x86_64.S (CMAC adds one block and
 *                  the subkey XOR), over an AES-128 key schedule expanded
 *                  with AES-NI here (the module takes it from the kernel's
 *                  aes_expandkey(), in the same layout)
 *
 * Trials alternate between the implementations (each trial times every
 * implementation once, in turn); per implementation and size the least
 * and the median of the trials are printed, in TSC cycles per byte
 * (rdtsc: the constant-rate TSC, not core cycles under turbo).
 *
 * Usage: native_bench TRIALS BYTES
 *   TRIALS  trials per size (at least 1; make bench uses 31)
 *   BYTES   bytes hashed per trial and implementation (message size times
 *           repetitions; at least one message)
 *
 * Output, one line per implementation and size:
 *   native impl=NAME size=S trials=T min=CPB med=CPB
 *
 * The smbsign rows are the module's own assembly, built natively from
 * the same files; their results are checked against OpenSSL elsewhere
 * (tools/testing/fastpath/run, KUnit), only their speed is measured here.
 */
#include <wmmintrin.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "../../../smbsign/fast.h"

#define NR_SIZES	6
#define MAX_TRIALS	1001

static const size_t sizes[NR_SIZES] = {
	64, 256, 1024, 4096, 65536, 1 << 20
};

static const unsigned char key[16] = "smbsign-bench-k";

/* Linux 6.12 arch/x86/crypto/ghash-clmulni-intel_asm.S */
struct le128 {
	uint64_t b, a;
};
void clmul_ghash_update(char *dst, const char *src, unsigned int srclen,
			const struct le128 *shash);

struct impl {
	const char *name;
	int (*init)(void);
	int (*run)(const unsigned char *msg, size_t len, unsigned char *tag);
};

static EVP_MAC_CTX *hmac, *cmac;
static EVP_CIPHER_CTX *gcm;
static struct le128 ghash_key;
static uint64_t gcm_counter;

static EVP_MAC_CTX *mac_new(const char *alg, OSSL_PARAM *params)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, alg, NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;

	EVP_MAC_free(mac);
	if (ctx && !EVP_MAC_init(ctx, key, sizeof(key), params)) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static int hmac_init(void)
{
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
		OSSL_PARAM_construct_end()
	};

	hmac = mac_new("HMAC", p);
	return hmac ? 0 : -1;
}

static int cmac_init(void)
{
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						 "AES-128-CBC", 0),
		OSSL_PARAM_construct_end()
	};

	cmac = mac_new("CMAC", p);
	return cmac ? 0 : -1;
}

/* Keyed once: EVP_MAC_init() with no key restarts with the same key. */
static int mac_run(EVP_MAC_CTX *ctx, const unsigned char *msg, size_t len,
		   unsigned char *tag)
{
	size_t outl;

	return EVP_MAC_init(ctx, NULL, 0, NULL) &&
	       EVP_MAC_update(ctx, msg, len) &&
	       EVP_MAC_final(ctx, tag, &outl, 32) ? 0 : -1;
}

static int hmac_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	return mac_run(hmac, msg, len, tag);
}

static int cmac_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	return mac_run(cmac, msg, len, tag);
}

static int gmac_init(void)
{
	gcm = EVP_CIPHER_CTX_new();
	return gcm && EVP_EncryptInit_ex(gcm, EVP_aes_128_gcm(), NULL, key,
					 NULL) ? 0 : -1;
}

static int gmac_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	unsigned char iv[12] = { 0 };
	int outl;

	/* Every message has its own nonce, as a MessageId gives it. */
	gcm_counter++;
	memcpy(iv, &gcm_counter, sizeof(gcm_counter));
	return EVP_EncryptInit_ex(gcm, NULL, NULL, NULL, iv) &&
	       EVP_EncryptUpdate(gcm, NULL, &outl, msg, (int)len) &&
	       EVP_EncryptFinal_ex(gcm, tag, &outl) &&
	       EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_GET_TAG, 16, tag) ? 0 : -1;
}

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * The hash key H as the 6.12 glue's ghash_setkey() hands it to the
 * assembly: byte-reversed and multiplied by x modulo the reflected
 * polynomial (x^128 + x^127 + x^126 + x^121 + 1), for its Montgomery
 * multiplication. H is a fixed value here: only the speed is measured.
 */
static int ghash_init(void)
{
	static const unsigned char h[16] = "0123456789abcdef";
	uint64_t a = be64(h), b = be64(h + 8);

	ghash_key.a = (a << 1) | (b >> 63);
	ghash_key.b = (b << 1) | (a >> 63);
	if (a >> 63)
		ghash_key.a ^= (uint64_t)0xc2 << 56;
	return 0;
}

static int ghash_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	memset(tag, 0, 16);
	clmul_ghash_update((char *)tag, (const char *)msg, (unsigned int)len,
			   &ghash_key);
	return 0;
}

static struct smbsign_ghash_key sghash_key;
static u32 scbc_rk[44] __attribute__((aligned(16)));

static int sghash_init(void)
{
	static const unsigned char h[16] = "0123456789abcdef";

	smbsign_ghash_key_set(&sghash_key, h);
	return 0;
}

static int sghash_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	memset(tag, 0, 16);
	smbsign_ghash_clmul(tag, &sghash_key, msg, len / 16);
	return 0;
}

/* One step of the AES-128 key expansion (FIPS 197 5.2) with AES-NI. */
static __m128i expand_step(__m128i k, __m128i assist)
{
	assist = _mm_shuffle_epi32(assist, 0xff);
	k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
	k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
	k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
	return _mm_xor_si128(k, assist);
}

#define EXPAND(i, rcon) \
	(rk[i] = expand_step(rk[(i) - 1], \
			     _mm_aeskeygenassist_si128(rk[(i) - 1], rcon)))

static int scbc_init(void)
{
	__m128i *rk = (__m128i *)scbc_rk;

	rk[0] = _mm_loadu_si128((const __m128i *)key);
	EXPAND(1, 0x01); EXPAND(2, 0x02); EXPAND(3, 0x04); EXPAND(4, 0x08);
	EXPAND(5, 0x10); EXPAND(6, 0x20); EXPAND(7, 0x40); EXPAND(8, 0x80);
	EXPAND(9, 0x1b); EXPAND(10, 0x36);
	return 0;
}

static int scbc_run(const unsigned char *msg, size_t len, unsigned char *tag)
{
	memset(tag, 0, 16);
	smbsign_cbcmac_aesni(tag, scbc_rk, msg, len / 16);
	return 0;
}

static const struct impl impls[] = {
	{ "openssl-hmac", hmac_init, hmac_run },
	{ "openssl-cmac", cmac_init, cmac_run },
	{ "openssl-gmac", gmac_init, gmac_run },
	{ "kernel-ghash", ghash_init, ghash_run },
	{ "smbsign-ghash", sghash_init, sghash_run },
	{ "smbsign-cbcmac", scbc_init, scbc_run },
};

#define NR_IMPLS	(sizeof(impls) / sizeof(impls[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Cycles per byte of @reps messages of @len bytes. */
static double one_trial(const struct impl *im, const unsigned char *msg,
			size_t len, unsigned long reps)
{
	unsigned char tag[32];
	unsigned long i;
	uint64_t t0;

	t0 = __rdtsc();
	for (i = 0; i < reps; i++) {
		if (im->run(msg, len, tag)) {
			fprintf(stderr, "native_bench: %s failed\n", im->name);
			exit(1);
		}
	}
	return (double)(__rdtsc() - t0) / ((double)len * reps);
}

int main(int argc, char **argv)
{
	static double cpb[NR_IMPLS][MAX_TRIALS];
	unsigned long trials, bytes, reps;
	unsigned char *msg;
	unsigned int s, t, i;
	size_t k;

	if (argc != 3 || (trials = strtoul(argv[1], NULL, 0)) < 1 ||
	    trials > MAX_TRIALS || (bytes = strtoul(argv[2], NULL, 0)) < 1) {
		fprintf(stderr, "usage: native_bench TRIALS(1-%d) BYTES\n",
			MAX_TRIALS);
		return 2;
	}
	msg = malloc(sizes[NR_SIZES - 1]);
	if (!msg)
		return 1;
	for (k = 0; k < sizes[NR_SIZES - 1]; k++)
		msg[k] = (unsigned char)(k * 131 + 7);
	for (i = 0; i < NR_IMPLS; i++) {
		if (impls[i].init()) {
			fprintf(stderr, "native_bench: cannot set up %s\n",
				impls[i].name);
			return 1;
		}
	}
	for (s = 0; s < NR_SIZES; s++) {
		reps = bytes / sizes[s] ? bytes / sizes[s] : 1;
		for (i = 0; i < NR_IMPLS; i++)	/* warm-up */
			one_trial(&impls[i], msg, sizes[s], reps);
		for (t = 0; t < trials; t++)
			for (i = 0; i < NR_IMPLS; i++)
				cpb[i][t] = one_trial(&impls[i], msg, sizes[s],
						      reps);
		for (i = 0; i < NR_IMPLS; i++) {
			qsort(cpb[i], trials, sizeof(double), cmp_double);
			printf("native impl=%s size=%zu trials=%lu min=%.3f med=%.3f\n",
			       impls[i].name, sizes[s], trials, cpb[i][0],
			       cpb[i][trials / 2]);
		}
	}
	free(msg);
	return 0;
}
