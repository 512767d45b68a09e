// SPDX-License-Identifier: GPL-2.0
/*
 * x86_64 fast paths of AES-128-GMAC and AES-128-CMAC (MS-SMB2 3.1.4.1).
 *
 * The crypto API costs SMB signing most where it should cost least:
 * gcm(aes) reduces its additional data (for GMAC signing, the whole
 * message) one block at a time, and cmac(aes) opens an FPU section per
 * 16-byte block. Here each message is hashed in one FPU section by
 * ghash_clmul_x86_64.S (four blocks per reduction) or
 * cmac_aesni_x86_64.S (the CBC-MAC loop, round keys in registers).
 *
 * Per context, computed once at init and read-only after: the AES key
 * schedule of the kernel's AES library (aes_expandkey(), the layout AES-NI
 * takes), and either the GHASH key powers or the CMAC subkeys. Nothing
 * here allocates, sets a key or takes a lock per message, so any number
 * of threads share a context.
 *
 * The message is walked exactly as the crypto-API path feeds it (the
 * header image when given, then the rest of the range from the kvecs and
 * the data iterator) through a 16-byte carry buffer across segment
 * boundaries.
 */
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#include <crypto/aes.h>
#include <crypto/internal/simd.h>
#include <crypto/utils.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "fast.h"
#include "smbsign.h"

/*
 * kernel_fpu_begin() disables preemption and softirqs until
 * kernel_fpu_end(). A message is hashed in sections of at most this many
 * bytes, so a large one (SMB allows 8 MiB) cannot hold off the scheduler
 * for more than about 64 KiB worth of work (tens of microseconds); a
 * message up to this size takes exactly one section.
 */
#define FAST_FPU_CHUNK	SZ_64K

#define FAST_BLOCK	SMBSIGN_GHASH_BLOCK

/**
 * struct smbsign_fast_key - the key material of one fast-path context
 * @aes: the AES-128 key schedule (GMAC: for the J0 block; CMAC: the
 *	round keys of the CBC-MAC loop)
 * @ghash: GMAC: the powers of H = AES-K(0^128)
 * @k1: CMAC: subkey K1 (RFC 4493, 2.3)
 * @k2: CMAC: subkey K2
 */
struct smbsign_fast_key {
	struct crypto_aes_ctx aes;
	union {
		struct smbsign_ghash_key ghash;
		struct {
			u8 k1[FAST_BLOCK];
			u8 k2[FAST_BLOCK];
		};
	};
};

/**
 * smbsign_fast_probe() - the algorithms this CPU has a fast path for
 *
 * Context: any context.
 * Return: a mask of BIT(enum smbsign_alg).
 */
unsigned int smbsign_fast_probe(void)
{
	unsigned int mask = 0;

	if (boot_cpu_has(X86_FEATURE_PCLMULQDQ) &&
	    boot_cpu_has(X86_FEATURE_SSSE3))
		mask |= BIT(SMBSIGN_ALG_AES_GMAC);
	if (boot_cpu_has(X86_FEATURE_AES))
		mask |= BIT(SMBSIGN_ALG_AES_CMAC);
	return mask;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_fast_probe);

/**
 * smbsign_fast_driver() - the name drivers/<alg> shows for a fast path
 * @alg: the algorithm
 *
 * Context: any context.
 * Return: the name (names.h), or "" if @alg has no fast path.
 */
const char *smbsign_fast_driver(enum smbsign_alg alg)
{
	switch (alg) {
	case SMBSIGN_ALG_AES_GMAC:
		return SMBSIGN_FAST_GMAC_DRIVER;
	case SMBSIGN_ALG_AES_CMAC:
		return SMBSIGN_FAST_CMAC_DRIVER;
	default:
		return "";
	}
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_fast_driver);

/* RFC 4493, 2.3: doubling in GF(2^128), big-endian, constant time. */
static void cmac_double(u8 out[FAST_BLOCK], const u8 in[FAST_BLOCK])
{
	u64 hi = get_unaligned_be64(in), lo = get_unaligned_be64(in + 8);
	u64 mask = 0 - (hi >> 63);

	put_unaligned_be64(hi << 1 | lo >> 63, out);
	put_unaligned_be64(lo << 1 ^ (mask & 0x87), out + 8);
}

/**
 * smbsign_fast_key_init() - the key material of a fast path
 * @mac: the state being initialised; @mac->fast is set on success
 * @key: the key
 * @key_len: its length; only AES-128 keys have a fast path
 *
 * Leaves @mac->fast NULL (and returns 0) when no fast path may serve
 * @mac->alg: the crypto API then serves every message.
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int smbsign_fast_key_init(struct smbsign_mac *mac, const u8 *key,
			  unsigned int key_len)
{
	static const u8 zero[FAST_BLOCK];
	struct smbsign_fast_key *fk;
	u8 l[FAST_BLOCK];
	int err;

	mac->fast = NULL;
	if (key_len != AES_KEYSIZE_128 || !smbsign_select_fast_ok(mac->alg))
		return 0;
	fk = kzalloc(sizeof(*fk), GFP_KERNEL);
	if (!fk)
		return -ENOMEM;
	err = aes_expandkey(&fk->aes, key, key_len);
	if (err)
		goto free_key;
	/* GMAC: H; CMAC: L (RFC 4493, 2.3 step 1). Both AES-K(0^128). */
	aes_encrypt(&fk->aes, l, zero);
	if (mac->alg == SMBSIGN_ALG_AES_GMAC) {
		kernel_fpu_begin();
		smbsign_ghash_key_set(&fk->ghash, l);
		kernel_fpu_end();
	} else {
		cmac_double(fk->k1, l);
		cmac_double(fk->k2, fk->k1);
	}
	memzero_explicit(l, sizeof(l));
	mac->fast = fk;
	return 0;

free_key:
	kfree_sensitive(fk);
	return err;
}

/**
 * smbsign_fast_key_free() - wipe and free the key material of a fast path
 * @mac: the state; @mac->fast may be NULL
 *
 * Context: any context.
 */
void smbsign_fast_key_free(struct smbsign_mac *mac)
{
	kfree_sensitive(mac->fast);
	mac->fast = NULL;
}

/**
 * smbsign_fast_serves() - does the fast path sign this message?
 * @mac: the keyed state
 *
 * Context: any context.
 * Return: true if @mac has a fast path, crypto_api_only is off and the
 * FPU is usable here; otherwise the crypto API signs it.
 */
bool smbsign_fast_serves(const struct smbsign_mac *mac)
{
	return mac->fast && !smbsign_select_crypto_api_only() &&
	       crypto_simd_usable();
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_fast_serves);

/* One message on its way through the assembly. */
struct fast_walk {
	const struct smbsign_fast_key *key;
	bool cmac;
	unsigned int fill;
	size_t section;
	u8 state[FAST_BLOCK];
	u8 carry[FAST_BLOCK];
};

static void fast_blocks(struct fast_walk *w, const u8 *src, size_t nblocks)
{
	if (w->cmac)
		smbsign_cbcmac_aesni(w->state, w->key->aes.key_enc, src,
				     nblocks);
	else
		smbsign_ghash_clmul(w->state, &w->key->ghash, src, nblocks);
}

/*
 * Hash @len bytes, keeping the tail in the carry: GMAC keeps only a
 * partial block, CMAC also a full one, since the last block of the
 * message is XORed with K1 or K2 before it is encrypted (RFC 4493, 2.4
 * step 4) and only the end of the message tells which block is last.
 */
static void fast_feed(struct fast_walk *w, const u8 *p, size_t len)
{
	size_t n, keep, nblocks;

	if (!len)
		return;
	if (w->fill) {
		n = min_t(size_t, len, FAST_BLOCK - w->fill);
		memcpy(w->carry + w->fill, p, n);
		w->fill += n;
		p += n;
		len -= n;
		if (w->fill < FAST_BLOCK || (!len && w->cmac))
			return;
		fast_blocks(w, w->carry, 1);
		w->fill = 0;
		if (!len)
			return;
	}
	keep = w->cmac ? (len - 1) % FAST_BLOCK + 1 : len % FAST_BLOCK;
	nblocks = (len - keep) / FAST_BLOCK;
	if (nblocks)
		fast_blocks(w, p, nblocks);
	memcpy(w->carry, p + nblocks * FAST_BLOCK, keep);
	w->fill = keep;
}

/* Feed a piece in slices of the FPU section (FAST_FPU_CHUNK). */
static int fast_piece(const void *base, size_t len, void *arg)
{
	struct fast_walk *w = arg;
	const u8 *p = base;
	size_t n;

	while (len) {
		if (w->section >= FAST_FPU_CHUNK) {
			/* A preemption point between two sections. */
			kernel_fpu_end();
			kernel_fpu_begin();
			w->section = 0;
		}
		n = min_t(size_t, len, FAST_FPU_CHUNK - w->section);
		fast_feed(w, p, n);
		w->section += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* NIST SP 800-38D, 7.1 with an empty plaintext: the last blocks of GMAC. */
static void gmac_final(struct fast_walk *w, size_t len, const u8 *nonce,
		       u8 *out)
{
	u8 blk[FAST_BLOCK];

	if (w->fill) {
		memset(w->carry + w->fill, 0, FAST_BLOCK - w->fill);
		fast_blocks(w, w->carry, 1);
	}
	/* len(A) || len(C), in bits. */
	put_unaligned_be64((u64)len * 8, blk);
	put_unaligned_be64(0, blk + 8);
	fast_blocks(w, blk, 1);
	/* J0 = nonce || 0^31 || 1 (12-byte nonce); tag = GHASH ^ AES-K(J0). */
	memcpy(blk, nonce, SMBSIGN_GMAC_NONCE_SIZE);
	put_unaligned_be32(1, blk + SMBSIGN_GMAC_NONCE_SIZE);
	aes_encrypt(&w->key->aes, blk, blk);
	crypto_xor_cpy(out, w->state, blk, SMBSIGN_SIG_SIZE);
	memzero_explicit(blk, sizeof(blk));
}

/* RFC 4493, 2.4 steps 4-6: the last block, with K1 or padded with K2. */
static void cmac_final(struct fast_walk *w)
{
	if (w->fill == FAST_BLOCK) {
		crypto_xor(w->carry, w->key->k1, FAST_BLOCK);
	} else {
		w->carry[w->fill] = 0x80;
		memset(w->carry + w->fill + 1, 0, FAST_BLOCK - w->fill - 1);
		crypto_xor(w->carry, w->key->k2, FAST_BLOCK);
	}
	fast_blocks(w, w->carry, 1);
}

/**
 * smbsign_fast_compute() - compute a signature on the fast path
 * @mac: the keyed state, with @mac->fast set
 * @hdr: the header image, or NULL (as for smbsign_mac_compute())
 * @msg: the message
 * @off: offset of the range
 * @len: length of the range; at least SMBSIGN_HDR_SIZE when @hdr is given
 * @nonce: GMAC: the 12-byte nonce; ignored by CMAC
 * @out: the 16-byte signature
 *
 * Context: any context where smbsign_fast_serves() said true; runs in
 * FPU sections (no sleeping inside), maps pages with kmap_local.
 * Return: 0, or -EINVAL for a range outside the message or a missing
 * GMAC nonce.
 */
int smbsign_fast_compute(struct smbsign_mac *mac, const u8 *hdr,
			 const struct smbsign_msg *msg, size_t off,
			 size_t len, const u8 *nonce, u8 *out)
{
	struct fast_walk w = {
		.key = mac->fast,
		.cmac = mac->alg == SMBSIGN_ALG_AES_CMAC,
	};
	size_t total = len;
	int err = 0;

	if (!w.key || (!w.cmac && !nonce))
		return -EINVAL;
	kernel_fpu_begin();
	if (hdr) {
		fast_piece(hdr, SMBSIGN_HDR_SIZE, &w);
		off += SMBSIGN_HDR_SIZE;
		len -= SMBSIGN_HDR_SIZE;
	}
	err = smbsign_msg_walk(msg, off, len, fast_piece, &w);
	if (!err) {
		if (w.cmac) {
			cmac_final(&w);
			memcpy(out, w.state, SMBSIGN_SIG_SIZE);
		} else {
			gmac_final(&w, total, nonce, out);
		}
	}
	kernel_fpu_end();
	memzero_explicit(&w, sizeof(w));
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_fast_compute);
