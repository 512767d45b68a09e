/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sign fuzz harness (the sign target of targets.sh): what its files
 * share. sign_fuzz.c says what the harness checks.
 *
 * sign_fuzz.c         the entry points, the checks through smbsign, the
 *                     generator of -DSTANDALONE
 * sign_fuzz_case.c    an input decoded into a test case: the message,
 *                     its split into kvecs and page fragments, and the
 *                     memory that holds it and what that must hold
 * sign_fuzz_oracle.c  the expected signatures, by OpenSSL's one-shot
 *                     calls over a flat copy
 */
#ifndef _SIGN_FUZZ_H
#define _SIGN_FUZZ_H

#include "../../../smbsign/smbsign.h"

#define MAX_ELEMS	5
#define MAX_TOTAL	16384
#define MAX_PIECES	8
/*
 * Up to 96 page fragments: more than the 64 scatterlist entries mac.c
 * preallocates for AES-GMAC (SMBSIGN_GMAC_SG_INLINE), so that it grows.
 */
#define MAX_FRAGS	96
#define NR_REGIONS	(MAX_PIECES + MAX_FRAGS)

enum shape { SINGLE, SINGLE_PADDED, CHAIN };

/* Memory holding pieces of the message, and what it must hold. */
struct region {
	u8 *mem;
	u8 *expect;
	size_t size;
};

/* Bytes [off, off + len) of the flat message live at addr. */
struct piece {
	size_t off;
	size_t len;
	u8 *addr;
	struct region *r;
};

struct tc {
	enum smbsign_alg alg;
	enum smbsign_side side;
	enum shape shape;
	u8 key[SMBSIGN_KEY_SIZE];
	u8 flat[MAX_TOTAL];
	size_t total;
	unsigned int nelem;
	size_t eoff[MAX_ELEMS];
	size_t elen[MAX_ELEMS];
	struct region reg[NR_REGIONS];
	unsigned int nreg;
	struct piece pc[NR_REGIONS];
	unsigned int npc;
	struct kvec kv[MAX_PIECES];
	struct bio_vec bv[MAX_FRAGS];
	struct kvec dkv[MAX_FRAGS];
	struct iov_iter data;
	struct smbsign_msg msg;
};

/* The input, then a generator seeded by it once the input runs out. */
struct in {
	const u8 *p;
	size_t left;
	u64 rng;
};

bool sign_fuzz_decode(struct tc *t, struct in *in, const u8 *data,
		      size_t len);
u64 sign_fuzz_take(struct in *in, unsigned int n);
void sign_fuzz_expect(struct tc *t, const u8 *flat);
void sign_fuzz_check_memory(const struct tc *t, const char *what);
u8 *sign_fuzz_flat_addr(const struct tc *t, size_t off);
void sign_fuzz_free(struct tc *t);
void sign_fuzz_oracle(const struct tc *t, u8 *out);
void sign_fuzz_fail(const struct tc *t, const char *what, long a, long b);

static inline void put_le(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

static inline u64 get_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#endif /* _SIGN_FUZZ_H */
