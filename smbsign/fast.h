/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86_64 signing fast paths (fast_x86.c): GHASH with PCLMULQDQ four
 * blocks per reduction (ghash_clmul_x86_64.S) and the AES-128 CBC-MAC
 * loop with AES-NI (cmac_aesni_x86_64.S).
 *
 * The GHASH key preparation below is plain C with no kernel-only types,
 * so tools/testing/fastpath/ builds the same code natively and checks it
 * against OpenSSL.
 */
#ifndef _SMBSIGN_FAST_H
#define _SMBSIGN_FAST_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stddef.h>
#include <string.h>
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
#endif

#define SMBSIGN_GHASH_BLOCK	16
/* Blocks per reduction in ghash_clmul_x86_64.S. */
#define SMBSIGN_GHASH_POWERS	4

/**
 * struct smbsign_ghash_key - the GHASH key as ghash_clmul_x86_64.S uses it
 * @pow: H^1..H^4, each multiplied by x^-1 and held as the byte-reversed
 *	block (a little-endian 128-bit number: low word first)
 * @kar: for each power, its two 64-bit halves XORed, in both halves: the
 *	third multiplicand of Karatsuba
 */
struct smbsign_ghash_key {
	u64 pow[SMBSIGN_GHASH_POWERS][2];
	u64 kar[SMBSIGN_GHASH_POWERS][2];
};

void smbsign_ghash_clmul(u8 state[SMBSIGN_GHASH_BLOCK],
			 const struct smbsign_ghash_key *key, const u8 *src,
			 size_t nblocks);
void smbsign_cbcmac_aesni(u8 state[SMBSIGN_GHASH_BLOCK], const u32 *key_enc,
			  const u8 *src, size_t nblocks);

static inline u64 smbsign_fast_be64(const u8 *p)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Set power @n (1-based) from the GCM-order block @h: byte reversed, then
 * times x^-1. In the reflected register a left shift divides by x; the
 * x^0 coefficient (bit 127) shifted out comes back as x^-1 = x^127 + x^6
 * + x + 1 (bits 0, 121, 126, 127). Constant time: a mask, no branch.
 */
static inline void smbsign_ghash_key_pow(struct smbsign_ghash_key *key,
					 unsigned int n, const u8 *h)
{
	u64 hi = smbsign_fast_be64(h), lo = smbsign_fast_be64(h + 8);
	u64 mask = 0 - (hi >> 63);

	hi = (hi << 1 | lo >> 63) ^ (mask & 0xc200000000000000ULL);
	lo = (lo << 1) ^ (mask & 1);
	key->pow[n - 1][0] = lo;
	key->pow[n - 1][1] = hi;
	key->kar[n - 1][0] = lo ^ hi;
	key->kar[n - 1][1] = lo ^ hi;
}

/**
 * smbsign_ghash_key_set() - the key powers for ghash_clmul_x86_64.S
 * @key: filled
 * @h: the hash key H = AES-K(0^128), in GCM byte order
 *
 * H^(n+1) = GHASH of the one block H^n from a zero state, with the powers
 * known so far: the tail loop of the assembly only uses H^1.
 *
 * Context: the caller holds the FPU (kernel_fpu_begin() in the kernel).
 */
static inline void smbsign_ghash_key_set(struct smbsign_ghash_key *key,
					 const u8 h[SMBSIGN_GHASH_BLOCK])
{
	u8 prev[SMBSIGN_GHASH_BLOCK], next[SMBSIGN_GHASH_BLOCK];
	unsigned int n;

	memset(key, 0, sizeof(*key));
	smbsign_ghash_key_pow(key, 1, h);
	memcpy(prev, h, sizeof(prev));
	for (n = 2; n <= SMBSIGN_GHASH_POWERS; n++) {
		memset(next, 0, sizeof(next));
		smbsign_ghash_clmul(next, key, prev, 1);
		smbsign_ghash_key_pow(key, n, next);
		memcpy(prev, next, sizeof(prev));
	}
#ifdef __KERNEL__
	memzero_explicit(prev, sizeof(prev));
	memzero_explicit(next, sizeof(next));
#else
	memset(prev, 0, sizeof(prev));
	memset(next, 0, sizeof(next));
#endif
}

#endif /* _SMBSIGN_FAST_H */
