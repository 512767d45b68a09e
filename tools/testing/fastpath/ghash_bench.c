// SPDX-License-Identifier: GPL-2.0
/*
 * Native cycles per byte of GCM's GHASH over additional data only, as
 * AES-128-GMAC signing (MS-SMB2 3.1.4.1) uses it, in one process on this
 * CPU, side by side:
 *
 *   smbsign   smbsign/ghash_clmul_x86_64.S (four blocks per reduction)
 *   openssl   OpenSSL 3 AES-128-GCM with additional data only and an
 *             empty plaintext (a whole tag: GHASH plus one AES block and
 *             the EVP calls, negligible from 64 KiB on)
 *   kernel    Linux 6.12's arch/x86/crypto/ghash-clmulni-intel_asm.S
 *             (one block per reduction), assembled from linux-source
 *
 * Each trial times every contender once, alternating; the minimum and
 * the median of the trials (TSC ticks per byte) and the ratios of the
 * medians are printed. Before timing, the kernel's GHASH and smbsign's
 * must agree on the same data. Only the ratios mean anything on another
 * machine.
 *
 * Usage: ghash_bench [TRIALS]  (default 31; the smoke run of make check
 * passes 3)
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include <openssl/evp.h>

#include "../../../smbsign/fast.h"

/* Linux 6.12, arch/x86/crypto/ghash-clmulni-intel_glue.c. */
void clmul_ghash_update(char *dst, const char *src, unsigned int srclen,
			const u64 shash[2]);

static const size_t sizes[] = { 4096, 65536, 1 << 20 };

enum { SMBSIGN, OPENSSL, KERNEL, NR };
static const char *const names[NR] = { "smbsign", "openssl", "kernel" };

static u8 key[16], nonce[12], h[16];
static struct smbsign_ghash_key gk;
static u64 kshash[2];
static EVP_CIPHER_CTX *gcm;

static void die(const char *what)
{
	fprintf(stderr, "ghash_bench: %s\n", what);
	exit(2);
}

/* The key as the kernel's ghash_setkey() prepares it (H times x^-1). */
static void kernel_setkey(void)
{
	u64 a = smbsign_fast_be64(h), b = smbsign_fast_be64(h + 8);

	kshash[0] = (b << 1) | (a >> 63);
	kshash[1] = (a << 1) | (b >> 63);
	if (a >> 63)
		kshash[1] ^= (u64)0xc2 << 56;
}

static void run_smbsign(const u8 *data, size_t len, u8 *out)
{
	u8 lenblk[16] = { 0 };
	u64 bits = (u64)len * 8;
	int i;

	memset(out, 0, 16);
	smbsign_ghash_clmul(out, &gk, data, len / 16);
	for (i = 0; i < 8; i++)
		lenblk[7 - i] = (u8)(bits >> (8 * i));
	smbsign_ghash_clmul(out, &gk, lenblk, 1);
}

static void run_kernel(const u8 *data, size_t len, u8 *out)
{
	u8 lenblk[16] = { 0 };
	u64 bits = (u64)len * 8;
	int i;

	memset(out, 0, 16);
	clmul_ghash_update((char *)out, (const char *)data,
			   (unsigned int)len, kshash);
	for (i = 0; i < 8; i++)
		lenblk[7 - i] = (u8)(bits >> (8 * i));
	clmul_ghash_update((char *)out, (const char *)lenblk, 16, kshash);
}

static void run_openssl(const u8 *data, size_t len, u8 *out)
{
	int n;

	if (!EVP_EncryptInit_ex(gcm, NULL, NULL, NULL, nonce) ||
	    !EVP_EncryptUpdate(gcm, NULL, &n, data, (int)len) ||
	    !EVP_EncryptFinal_ex(gcm, out, &n) ||
	    !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_GET_TAG, 16, out))
		die("AES-128-GCM failed");
}

static double time_one(int who, const u8 *data, size_t len)
{
	unsigned int aux;
	u64 t0, t1;
	u8 out[16];

	t0 = __rdtscp(&aux);
	switch (who) {
	case SMBSIGN:
		run_smbsign(data, len, out);
		break;
	case OPENSSL:
		run_openssl(data, len, out);
		break;
	default:
		run_kernel(data, len, out);
		break;
	}
	t1 = __rdtscp(&aux);
	return (double)(t1 - t0) / (double)len;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void setup(void)
{
	static const u8 zero[16];
	EVP_CIPHER_CTX *ecb = EVP_CIPHER_CTX_new();
	int n;
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (u8)(i * 37 + 11);
	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (u8)(i * 5 + 1);
	if (!ecb || !EVP_EncryptInit_ex(ecb, EVP_aes_128_ecb(), NULL, key, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ecb, 0) ||
	    !EVP_EncryptUpdate(ecb, h, &n, zero, 16) || n != 16)
		die("AES-128-ECB failed");
	EVP_CIPHER_CTX_free(ecb);
	smbsign_ghash_key_set(&gk, h);
	kernel_setkey();
	gcm = EVP_CIPHER_CTX_new();
	if (!gcm || !EVP_EncryptInit_ex(gcm, EVP_aes_128_gcm(), NULL, NULL, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(gcm, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) ||
	    !EVP_EncryptInit_ex(gcm, NULL, NULL, key, nonce))
		die("AES-128-GCM setup failed");
}

int main(int argc, char **argv)
{
	int trials = argc > 1 ? atoi(argv[1]) : 31;
	unsigned int a, b, c, d, s;
	double *t[NR], med[NR];
	u8 *data, x[16], y[16];
	size_t i, len;
	int k, who;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_PCLMUL)) {
		printf("ghash_bench: SKIP: the CPU has no PCLMULQDQ\n");
		return 77;
	}
	if (trials < 1)
		die("TRIALS must be at least 1");
	setup();
	data = malloc(sizes[sizeof(sizes) / sizeof(sizes[0]) - 1]);
	for (k = 0; k < NR; k++)
		t[k] = malloc(sizeof(double) * (size_t)trials);
	if (!data || !t[0] || !t[1] || !t[2])
		die("out of memory");
	for (i = 0; i < sizes[2]; i++)
		data[i] = (u8)(i * 131 + (i >> 8));

	/* The same GHASH, or the comparison means nothing. */
	run_smbsign(data, 65536, x);
	run_kernel(data, 65536, y);
	if (memcmp(x, y, 16))
		die("smbsign's GHASH differs from the kernel's");

	printf("%-8s %-8s %8s %8s %8s   ratio of medians\n", "size", "who",
	       "min", "median", "");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		len = sizes[s];
		for (k = 0; k < 3; k++)	/* warm up */
			for (who = 0; who < NR; who++)
				time_one(who, data, len);
		for (k = 0; k < trials; k++)
			for (who = 0; who < NR; who++)
				t[who][k] = time_one(who, data, len);
		for (who = 0; who < NR; who++) {
			qsort(t[who], (size_t)trials, sizeof(double), cmp_double);
			med[who] = t[who][trials / 2];
			printf("%-8zu %-8s %8.3f %8.3f\n", len, names[who],
			       t[who][0], med[who]);
		}
		printf("%-8zu smbsign/openssl %.2f  kernel/smbsign %.2f\n", len,
		       med[SMBSIGN] / med[OPENSSL], med[KERNEL] / med[SMBSIGN]);
	}
	printf("(TSC ticks per byte; min and median of %d alternating trials)\n",
	       trials);
	return 0;
}
