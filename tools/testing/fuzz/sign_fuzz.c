// SPDX-License-Identifier: GPL-2.0
/*
 * Differential fuzz target for smbsign's signing path: smbsign/sign.c,
 * msg.c, mac.c, ctx.c and stats.c (with walker.c, nonce.c and parse.c),
 * compiled unmodified for userspace against the kernel API shim of
 * tools/testing/fuzz/kshim/, checked against OpenSSL.
 *
 * The shim maps the crypto API onto OpenSSL's incremental calls (EVP_MAC
 * for hmac(sha256) and cmac(aes), EVP AES-GCM with additional data per
 * scatterlist entry for gcm(aes)); the oracle here computes every
 * expected signature with OpenSSL's one-shot calls (HMAC(), EVP_Q_mac()
 * with CMAC and GMAC) over a flat copy of the message that it builds
 * itself. So the target does not test OpenSSL: it tests smbsign's own
 * logic, which is everything between the caller's buffers and the
 * primitive: walking a message split into kvecs and page fragments,
 * the header image and the zeroed Signature field, the offsets and
 * lengths of compound elements, the AES-GMAC nonce (MS-SMB2 3.1.4.1),
 * truncating the tag to 16 bytes, the scatterlist the AEAD walks, the
 * comparison in verify and its promise not to write.
 *
 * Each input is decoded into a key, an algorithm, a side (client or
 * server), a message (one SMB2 header and body, the same padded with
 * NextCommand equal to its length as cifs signs a compound element, or a
 * compound chain of up to five elements following NextCommand, related
 * or not) and a split of it: the kvecs (holding every header) in pieces
 * at random page offsets, the rest as page fragments of a bvec or kvec
 * data iterator, possibly advanced into its first fragment. Then:
 *  1. signing through smbsign (smbsign_sign() or smbsign_sign_chain())
 *     must succeed and leave exactly the bytes the oracle expects: every
 *     element with SMB2_FLAGS_SIGNED set and its signature computed on
 *     its own, padding included (MS-SMB2 3.2.4.1.4, 3.3.4.1.3), and no
 *     byte around the pieces touched;
 *  2. verifying through a context of the other side with the same key
 *     must succeed, every element alone too, and write nothing;
 *  3. signing again must change nothing: AES-GMAC refuses the used
 *     nonce (-EEXIST), the others write the same signature;
 *  4. with one bit flipped anywhere in the message, verify must fail:
 *     -EBADMSG naming the flipped element, or -EINVAL where the bit is in
 *     a field whose change makes the message malformed (ProtocolId,
 *     StructureSize, NextCommand; the MessageId under AES-GMAC; Flags
 *     and SessionId in a chain), and write nothing;
 *  5. one input in sixteen is spoilt first (the wrong direction for the
 *     context, MessageId 0 or 2^64-1 under AES-GMAC, an element of
 *     another session): signing must fail with -EINVAL and write nothing.
 * The counters (stats.c) must count exactly what was signed, verified
 * and refused. Any disagreement aborts, for libFuzzer and for the gcc
 * harness (-DSTANDALONE) alike.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "../../../smbsign/smbsign.h"

#define MAX_ELEMS	5
#define MAX_TOTAL	16384
#define MAX_PIECES	8
#define MAX_FRAGS	6
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

static void fail(const struct tc *t, const char *what, long a, long b)
{
	fprintf(stderr,
		"sign oracle broken: %s (%ld, %ld); alg %d side %d shape %d, %u elements, %zu bytes\n",
		what, a, b, t->alg, t->side, t->shape, t->nelem, t->total);
	abort();
}

/* Never given a session record: ctx.c's only call passes NULL. */
void smbsign_sess_rec_put(struct smbsign_sess_rec *rec)
{
	if (rec)
		abort();
}

/* Contents (bodies, junk around the pieces): from the generator only. */
static u8 noise(struct in *in)
{
	in->rng ^= in->rng << 13;
	in->rng ^= in->rng >> 7;
	in->rng ^= in->rng << 17;
	return in->rng >> 24;
}

/* Decisions: from the input while it lasts. */
static u8 byte(struct in *in)
{
	if (!in->left)
		return noise(in);
	in->left--;
	return *in->p++;
}

static u64 take(struct in *in, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)byte(in) << (8 * i);
	return v;
}

static void put_le(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		*p++ = v;
		v >>= 8;
	}
}

static u64 get_le(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static size_t round_up8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* One SMB2 header (MS-SMB2 2.2.1) at @h; the Signature is junk. */
static void build_header(struct in *in, u8 *h, u64 mid, u64 sid,
			 u32 flags)
{
	static const u8 proto[4] = { 0xfe, 'S', 'M', 'B' };
	unsigned int i;

	memcpy(h, proto, 4);
	put_le(h + SMBSIGN_HDR_STRUCTURE_SIZE, SMBSIGN_HDR_SIZE, 2);
	put_le(h + 6, take(in, 2), 2);			/* CreditCharge */
	put_le(h + SMBSIGN_HDR_STATUS, take(in, 4), 4);
	put_le(h + SMBSIGN_HDR_COMMAND, take(in, 1) % 0x13, 2);
	put_le(h + 14, take(in, 2), 2);			/* CreditRequest */
	put_le(h + SMBSIGN_HDR_FLAGS, flags, 4);
	put_le(h + SMBSIGN_HDR_MESSAGE_ID, mid, 8);
	put_le(h + 32, take(in, 8), 8);			/* TreeId or AsyncId */
	put_le(h + SMBSIGN_HDR_SESSION_ID, sid, 8);
	for (i = 0; i < SMBSIGN_SIG_SIZE; i++)
		h[SMBSIGN_SIG_OFFSET + i] = noise(in);
}

/* The message: its elements, headers and bodies, in t->flat. */
static void build_message(struct tc *t, struct in *in)
{
	u64 mid = take(in, 8), sid = take(in, 8), esid;
	size_t body, i, room;
	u32 flags;
	u8 *e;

	t->nelem = t->shape == CHAIN ? 1 + take(in, 1) % MAX_ELEMS : 1;
	/* Distinct MessageIds, none of them 0 or 2^64-1 (elem_check()). */
	mid = mid ? mid : 1;
	if (mid > U64_MAX - 1 - MAX_ELEMS)
		mid = U64_MAX - 1 - MAX_ELEMS;
	room = MAX_TOTAL / t->nelem - SMBSIGN_HDR_SIZE - 8;
	for (i = 0; i < t->nelem; i++) {
		body = take(in, 2);
		body = body & 0x8000 ? (body & 0x7fff) % room : body % 300;
		flags = take(in, 4) & ~(SMBSIGN_FLAG_SERVER_TO_REDIR |
					SMBSIGN_FLAG_RELATED_OPERATIONS);
		if (t->side == SMBSIGN_SERVER)
			flags |= SMBSIGN_FLAG_SERVER_TO_REDIR;
		esid = sid;
		if (i && take(in, 1) & 1) {
			flags |= SMBSIGN_FLAG_RELATED_OPERATIONS;
			if (take(in, 1) & 1)
				esid = SMBSIGN_SESSION_ID_INHERIT;
		}
		t->eoff[i] = t->total;
		t->elen[i] = SMBSIGN_HDR_SIZE + body;
		if (i + 1 < t->nelem || t->shape == SINGLE_PADDED)
			t->elen[i] = round_up8(t->elen[i]);
		e = t->flat + t->total;
		build_header(in, e, mid + i, esid, flags);
		for (body = SMBSIGN_HDR_SIZE; body < t->elen[i]; body++)
			e[body] = noise(in);
		if (i + 1 < t->nelem || t->shape == SINGLE_PADDED)
			put_le(e + SMBSIGN_HDR_NEXT_COMMAND, t->elen[i], 4);
		else
			put_le(e + SMBSIGN_HDR_NEXT_COMMAND, 0, 4);
		t->total += t->elen[i];
	}
}

/*
 * Spoil element @k so that signing must refuse the message (sign.c's
 * elem_check() and the session check of a chain): -EINVAL, nothing
 * written.
 */
static void spoil(struct tc *t, struct in *in)
{
	unsigned int k = take(in, 1) % t->nelem, kind = take(in, 1) % 3;
	u8 *e = t->flat + t->eoff[k];
	u64 sid = get_le(t->flat + SMBSIGN_HDR_SESSION_ID, 8);

	if (kind == 1 && t->alg == SMBSIGN_ALG_AES_GMAC) {
		put_le(e + SMBSIGN_HDR_MESSAGE_ID, take(in, 1) & 1 ? 0 : U64_MAX,
		       8);
	} else if (kind == 2 && k) {
		sid ^= sid == SMBSIGN_SESSION_ID_INHERIT - 1 ? 2 : 1;
		put_le(e + SMBSIGN_HDR_SESSION_ID, sid, 8);
	} else {
		e[SMBSIGN_HDR_FLAGS] ^= SMBSIGN_FLAG_SERVER_TO_REDIR;
	}
}

/* Memory for @len bytes at @off bytes into fresh pages of junk. */
static struct region *new_region(struct tc *t, struct in *in, size_t off,
				 size_t len)
{
	struct region *r = &t->reg[t->nreg++];
	size_t i;

	r->size = (off + len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	r->size = r->size ? r->size : PAGE_SIZE;
	r->mem = aligned_alloc(PAGE_SIZE, r->size);
	r->expect = malloc(r->size);
	if (!r->mem || !r->expect)
		abort();
	for (i = 0; i < r->size; i++)
		r->mem[i] = noise(in);
	return r;
}

static struct piece *add_piece(struct tc *t, struct region *r, u8 *addr,
			       size_t off, size_t len)
{
	struct piece *p = &t->pc[t->npc++];

	p->r = r;
	p->addr = addr;
	p->off = off;
	p->len = len;
	memcpy(addr, t->flat + off, len);
	return p;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* @n - 1 sorted cut points in [0, len], so @n pieces (some may be empty). */
static void cuts(struct in *in, size_t *cut, unsigned int n, size_t len)
{
	unsigned int i;

	cut[0] = 0;
	for (i = 1; i < n; i++)
		cut[i] = take(in, 2) % (len + 1);
	qsort(cut + 1, n - 1, sizeof(*cut), cmp_size);
	cut[n] = len;
}

/* The kvecs: every header, in pieces that may cross a page boundary. */
static void split_kvecs(struct tc *t, struct in *in, size_t iov_len,
			unsigned int *nkv)
{
	size_t cut[MAX_PIECES + 1], off, len;
	unsigned int i, n = 1 + take(in, 1) % MAX_PIECES;
	struct region *r;

	cuts(in, cut, n, iov_len);
	for (i = 0; i < n; i++) {
		len = cut[i + 1] - cut[i];
		off = take(in, 2) % PAGE_SIZE;
		/* Often close to the end of a page, to cross it. */
		if (off & 1)
			off = PAGE_SIZE - 1 - (off >> 1) % 64;
		r = new_region(t, in, off, len);
		add_piece(t, r, r->mem + off, cut[i], len);
		t->kv[i].iov_base = r->mem + off;
		t->kv[i].iov_len = len;
	}
	*nkv = n;
}

/*
 * The data iterator: page fragments (a bvec, multi-page or not) or kvecs,
 * the first preceded by @skip bytes the iterator was advanced past.
 */
static void split_data(struct tc *t, struct in *in, size_t from)
{
	size_t cut[MAX_FRAGS + 1], off, len, skip, total = t->total - from;
	unsigned int i, n = 0, want = 1 + take(in, 1) % MAX_FRAGS;
	bool bvec = take(in, 1) & 1, flat_page = take(in, 1) & 1;
	struct region *r;
	struct page *pg;

	skip = take(in, 1) & 1 ? take(in, 1) % 100 : 0;
	cuts(in, cut, want, total);
	for (i = 0; i < want; i++) {
		len = cut[i + 1] - cut[i];
		if (!len)
			continue;	/* no empty fragments: callers have none */
		off = take(in, 2) % (2 * PAGE_SIZE);
		len += n ? 0 : skip;
		r = new_region(t, in, off, len);
		add_piece(t, r, r->mem + off + (n ? 0 : skip), from + cut[i],
			  len - (n ? 0 : skip));
		pg = (struct page *)r->mem;
		t->bv[n].bv_page = flat_page ? pg : pg + off / PAGE_SIZE;
		t->bv[n].bv_offset = flat_page ? off : off % PAGE_SIZE;
		t->bv[n].bv_len = len;
		t->dkv[n].iov_base = r->mem + off;
		t->dkv[n].iov_len = len;
		n++;
	}
	if (bvec)
		iov_iter_bvec(&t->data, ITER_SOURCE, t->bv, n, total + skip);
	else
		iov_iter_kvec(&t->data, ITER_SOURCE, t->dkv, n, total + skip);
	iov_iter_advance(&t->data, skip);
	t->msg.data = &t->data;
}

static void split(struct tc *t, struct in *in)
{
	size_t min_iov = t->eoff[t->nelem - 1] + SMBSIGN_HDR_SIZE, iov_len;
	u64 x = take(in, 2);
	unsigned int i, nkv;

	iov_len = x & 1 ? t->total :
		  min_iov + (x >> 1) % (t->total - min_iov + 1);
	split_kvecs(t, in, iov_len, &nkv);
	t->msg.iov = t->kv;
	t->msg.nr_iov = nkv;
	if (iov_len < t->total)
		split_data(t, in, iov_len);
	for (i = 0; i < t->nreg; i++)
		memcpy(t->reg[i].expect, t->reg[i].mem, t->reg[i].size);
}

/* What the caller's memory must hold when the message is @flat. */
static void expect_message(struct tc *t, const u8 *flat)
{
	unsigned int i;

	for (i = 0; i < t->npc; i++)
		memcpy(t->pc[i].r->expect + (t->pc[i].addr - t->pc[i].r->mem),
		       flat + t->pc[i].off, t->pc[i].len);
}

static void check_memory(const struct tc *t, const char *what)
{
	unsigned int i;
	size_t j;

	if (kshim_kmap_depth)
		fail(t, "a page left mapped", kshim_kmap_depth, 0);
	for (i = 0; i < t->nreg; i++) {
		if (!memcmp(t->reg[i].mem, t->reg[i].expect, t->reg[i].size))
			continue;
		for (j = 0; t->reg[i].mem[j] == t->reg[i].expect[j]; j++)
			;
		fail(t, what, i, j);
	}
}

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
			fail(t, "OpenSSL HMAC()", mdlen, 0);
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
		fail(t, "OpenSSL EVP_Q_mac()", outlen, t->alg);
}

/* The message as it must be once signed: each element on its own. */
static void oracle_sign(const struct tc *t, u8 *out)
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

struct counts {
	u64 v[SMBSIGN_SIDE_COUNT][SMBSIGN_CNT_COUNT];
};

static void read_counts(const struct tc *t, struct counts *c)
{
	unsigned int side, cnt;

	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++)
		for (cnt = 0; cnt < SMBSIGN_CNT_COUNT; cnt++)
			c->v[side][cnt] = smbsign_stats_read(side, t->alg, cnt);
}

/* Counter @cnt of @side moved by exactly @by since @before. */
static void check_count(const struct tc *t, const struct counts *before,
			enum smbsign_side side, enum smbsign_counter cnt,
			u64 by)
{
	u64 now = smbsign_stats_read(side, t->alg, cnt);

	if (now - before->v[side][cnt] != by)
		fail(t, "counter", cnt, (long)(now - before->v[side][cnt]));
}

static int do_sign(struct tc *t, struct smbsign_ctx *ctx)
{
	return t->shape == CHAIN ? smbsign_sign_chain(ctx, &t->msg) :
				   smbsign_sign(ctx, &t->msg);
}

static int do_verify(struct tc *t, struct smbsign_ctx *ctx,
		     unsigned int *bad)
{
	*bad = ~0U;
	return t->shape == CHAIN ? smbsign_verify_chain(ctx, &t->msg, bad) :
				   smbsign_verify(ctx, &t->msg);
}

/* Each element verifies alone, from a buffer of its own. */
static void verify_each(struct tc *t, struct smbsign_ctx *ctx, const u8 *flat)
{
	struct smbsign_msg m = { .nr_iov = 1 };
	struct kvec kv;
	unsigned int i;
	int err;

	for (i = 0; t->nelem > 1 && i < t->nelem; i++) {
		kv.iov_len = t->elen[i];
		kv.iov_base = malloc(kv.iov_len);
		if (!kv.iov_base)
			abort();
		memcpy(kv.iov_base, flat + t->eoff[i], kv.iov_len);
		m.iov = &kv;
		err = smbsign_verify(ctx, &m);
		if (err || memcmp(kv.iov_base, flat + t->eoff[i], kv.iov_len))
			fail(t, "an element alone does not verify", i, err);
		free(kv.iov_base);
	}
}

static u8 *flat_addr(const struct tc *t, size_t off)
{
	unsigned int i;

	for (i = 0; i < t->npc; i++)
		if (off >= t->pc[i].off && off - t->pc[i].off < t->pc[i].len)
			return t->pc[i].addr + (off - t->pc[i].off);
	abort();
}

/*
 * Flip one bit of the signed message: verify must refuse it, naming the
 * element, and write nothing. A bit in a field that shapes the message
 * may make it malformed instead (-EINVAL).
 */
static void check_flip(struct tc *t, struct in *in, struct smbsign_ctx *ctx,
		       u8 *flat)
{
	size_t bit = take(in, 4) % (t->total * 8), off = bit / 8, r;
	unsigned int j = t->nelem - 1, bad;
	bool shaping;
	struct counts c;
	int err;

	while (off < t->eoff[j])
		j--;
	r = off - t->eoff[j];
	shaping = r < SMBSIGN_HDR_STRUCTURE_SIZE + 2 ||
		  (r >= SMBSIGN_HDR_NEXT_COMMAND && r < SMBSIGN_HDR_MESSAGE_ID) ||
		  (t->alg == SMBSIGN_ALG_AES_GMAC &&
		   r >= SMBSIGN_HDR_MESSAGE_ID && r < SMBSIGN_HDR_MESSAGE_ID + 8) ||
		  (t->nelem > 1 &&
		   ((r >= SMBSIGN_HDR_FLAGS && r < SMBSIGN_HDR_NEXT_COMMAND) ||
		    (r >= SMBSIGN_HDR_SESSION_ID && r < SMBSIGN_SIG_OFFSET)));
	flat[off] ^= 1 << (bit % 8);
	*flat_addr(t, off) ^= 1 << (bit % 8);
	expect_message(t, flat);
	read_counts(t, &c);
	err = do_verify(t, ctx, &bad);
	check_memory(t, "verify of a flipped message wrote to it");
	if (err == -EBADMSG && (t->shape != CHAIN || bad >= j)) {
		check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFY_FAILED, 1);
		if (!shaping && t->shape == CHAIN && bad != j)
			fail(t, "verify named the wrong element", bad, j);
		if (!shaping)
			check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFIED, j);
	} else if (!(err == -EINVAL && shaping)) {
		fail(t, "a flipped bit was not refused", err, (long)bit);
	}
	flat[off] ^= 1 << (bit % 8);
	*flat_addr(t, off) ^= 1 << (bit % 8);
	expect_message(t, flat);
}

static void run(struct tc *t, struct in *in, bool spoilt)
{
	struct smbsign_ctx *signer, *verifier;
	static u8 want[MAX_TOTAL];
	struct counts c;
	unsigned int bad;
	int err;

	signer = smbsign_ctx_create(t->side, NULL, t->alg, t->key,
				    sizeof(t->key));
	verifier = smbsign_ctx_create(!t->side, NULL, t->alg, t->key,
				      sizeof(t->key));
	if (IS_ERR(signer) || IS_ERR(verifier))
		fail(t, "no context", PTR_ERR(signer), PTR_ERR(verifier));

	read_counts(t, &c);
	err = do_sign(t, signer);
	if (spoilt) {
		check_memory(t, "a refused sign wrote to the message");
		if (err != -EINVAL)
			fail(t, "a spoilt message was signed", err, 0);
		check_count(t, &c, t->side, SMBSIGN_CNT_SIGNED, 0);
		goto out;
	}
	if (err)
		fail(t, "sign failed", err, 0);
	check_count(t, &c, t->side, SMBSIGN_CNT_SIGNED, t->nelem);
	check_count(t, &c, t->side, SMBSIGN_CNT_BYTES_SIGNED, t->total);

	/* Now the memory must hold what OpenSSL says, byte for byte. */
	oracle_sign(t, want);
	expect_message(t, want);
	check_memory(t, "signature differs from OpenSSL's");

	read_counts(t, &c);
	err = do_verify(t, verifier, &bad);
	check_memory(t, "verify wrote to the message");
	if (err)
		fail(t, "a signed message does not verify", err, bad);
	check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFIED, t->nelem);
	check_count(t, &c, !t->side, SMBSIGN_CNT_BYTES_VERIFIED, t->total);
	verify_each(t, verifier, want);

	err = do_sign(t, signer);
	check_memory(t, "signing again changed the message");
	if (err != (t->alg == SMBSIGN_ALG_AES_GMAC ? -EEXIST : 0))
		fail(t, "signing again", err, 0);

	check_flip(t, in, verifier, want);
out:
	smbsign_ctx_free(signer);
	smbsign_ctx_free(verifier);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static bool ready;
	struct in in = { data, len, 0xcbf29ce484222325ULL };
	struct tc *t;
	unsigned int i;
	bool spoilt;
	u8 b;

	if (!ready) {
		if (smbsign_stats_init())
			abort();
		ready = true;
	}
	/* The generator is seeded by the whole input (FNV-1a); never 0. */
	for (i = 0; i < len; i++)
		in.rng = (in.rng ^ data[i]) * 0x100000001b3ULL;
	in.rng |= 1;
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	/* Bits 0-1 algorithm, 2 side, 3-4 shape (3: a chain), 5-7 spoil. */
	b = byte(&in);
	t->alg = (b & 3) == 3 ? SMBSIGN_ALG_AES_GMAC : (enum smbsign_alg)(b & 3);
	t->side = b >> 2 & 1;
	t->shape = (b >> 3 & 3) == 3 ? CHAIN : (enum shape)(b >> 3 & 3);
	spoilt = (b >> 5) == 0 && !(byte(&in) & 1);
	for (i = 0; i < sizeof(t->key); i++)
		t->key[i] = byte(&in);
	build_message(t, &in);
	if (spoilt)
		spoil(t, &in);
	split(t, &in);
	run(t, &in, spoilt);
	for (i = 0; i < t->nreg; i++) {
		free(t->reg[i].mem);
		free(t->reg[i].expect);
	}
	free(t);
	return 0;
}

#ifdef STANDALONE
int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned long long rng = 0x2545f4914f6cdd1dULL;
	unsigned char buf[1024];
	unsigned long i;
	size_t len, j;

	/* Each input signs, verifies and checks a whole message. */
	iters /= 20;
	for (i = 0; i < iters; i++) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		len = rng % sizeof(buf);
		for (j = 0; j < len; j++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			buf[j] = rng >> 32;
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("sign: %lu messages, smbsign and OpenSSL agree\n", iters);
	return 0;
}
#endif
