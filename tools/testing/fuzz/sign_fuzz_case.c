// SPDX-License-Identifier: GPL-2.0
/*
 * The sign fuzz harness (sign_fuzz.h): an input decoded into a test case.
 * The input's bytes are decisions (algorithm, side, shape, lengths,
 * flags, cut points, page offsets), taken in a fixed order; once it runs
 * out, and for every content byte (bodies, the junk around the pieces),
 * a generator seeded by the whole input takes over, so that every input
 * is a whole test case and a short one still varies its contents.
 */
#include "sign_fuzz.h"

/* Contents (bodies, junk around the pieces): from the generator only. */
static u8 noise(struct in *in)
{
	in->rng ^= in->rng << 13;
	in->rng ^= in->rng >> 7;
	in->rng ^= in->rng << 17;
	return in->rng >> 24;
}

/* @n bytes of noise at @p, a word at a time: bodies and pages are long. */
static void fill_noise(struct in *in, u8 *p, size_t n)
{
	size_t k;

	for (; n; p += k, n -= k) {
		noise(in);
		k = min(n, sizeof(in->rng));
		memcpy(p, &in->rng, k);
	}
}

/* Decisions: from the input while it lasts. */
static u8 byte(struct in *in)
{
	if (!in->left)
		return noise(in);
	in->left--;
	return *in->p++;
}

u64 sign_fuzz_take(struct in *in, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)byte(in) << (8 * i);
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

	memcpy(h, proto, 4);
	put_le(h + SMBSIGN_HDR_STRUCTURE_SIZE, SMBSIGN_HDR_SIZE, 2);
	/* CreditCharge, CreditRequest, TreeId or AsyncId: anything. */
	put_le(h + 6, sign_fuzz_take(in, 2), 2);
	put_le(h + SMBSIGN_HDR_STATUS, sign_fuzz_take(in, 4), 4);
	put_le(h + SMBSIGN_HDR_COMMAND, sign_fuzz_take(in, 1) % 0x13, 2);
	put_le(h + 14, sign_fuzz_take(in, 2), 2);
	put_le(h + SMBSIGN_HDR_FLAGS, flags, 4);
	put_le(h + SMBSIGN_HDR_MESSAGE_ID, mid, 8);
	put_le(h + 32, sign_fuzz_take(in, 8), 8);
	put_le(h + SMBSIGN_HDR_SESSION_ID, sid, 8);
	fill_noise(in, h + SMBSIGN_SIG_OFFSET, SMBSIGN_SIG_SIZE);
}

/* The message: its elements, headers and bodies, in t->flat. */
static void build_message(struct tc *t, struct in *in)
{
	u64 mid = sign_fuzz_take(in, 8), sid = sign_fuzz_take(in, 8), esid;
	size_t body, i, room;
	u32 flags;
	u8 *e;

	t->nelem = 1;
	if (t->shape == CHAIN)
		t->nelem += sign_fuzz_take(in, 1) % MAX_ELEMS;
	/* Distinct MessageIds, none of them 0 or 2^64-1 (elem_check()). */
	mid = mid ? mid : 1;
	if (mid > U64_MAX - 1 - MAX_ELEMS)
		mid = U64_MAX - 1 - MAX_ELEMS;
	room = MAX_TOTAL / t->nelem - SMBSIGN_HDR_SIZE - 8;
	for (i = 0; i < t->nelem; i++) {
		body = sign_fuzz_take(in, 2);
		body = body & 0x8000 ? (body & 0x7fff) % room : body % 300;
		flags = sign_fuzz_take(in, 4) & ~(SMBSIGN_FLAG_SERVER_TO_REDIR |
					SMBSIGN_FLAG_RELATED_OPERATIONS);
		if (t->side == SMBSIGN_SERVER)
			flags |= SMBSIGN_FLAG_SERVER_TO_REDIR;
		esid = sid;
		if (i && sign_fuzz_take(in, 1) & 1) {
			flags |= SMBSIGN_FLAG_RELATED_OPERATIONS;
			if (sign_fuzz_take(in, 1) & 1)
				esid = SMBSIGN_SESSION_ID_INHERIT;
		}
		t->eoff[i] = t->total;
		t->elen[i] = SMBSIGN_HDR_SIZE + body;
		if (i + 1 < t->nelem || t->shape == SINGLE_PADDED)
			t->elen[i] = round_up8(t->elen[i]);
		e = t->flat + t->total;
		build_header(in, e, mid + i, esid, flags);
		fill_noise(in, e + SMBSIGN_HDR_SIZE,
			   t->elen[i] - SMBSIGN_HDR_SIZE);
		if (i + 1 < t->nelem || t->shape == SINGLE_PADDED)
			put_le(e + SMBSIGN_HDR_NEXT_COMMAND, t->elen[i], 4);
		else
			put_le(e + SMBSIGN_HDR_NEXT_COMMAND, 0, 4);
		t->total += t->elen[i];
	}
}

/*
 * Spoil element @k so that signing must refuse the message, before it
 * writes anything: -EINVAL from sign.c's elem_check() (the other side's
 * direction; MessageId 0 or 2^64-1 under AES-GMAC), from the session
 * check of a chain (an element of another session), from the NextCommand
 * checks (misaligned, short, or not the length of a single message) or
 * from the header check (not an SMB2 ProtocolId).
 */
static void spoil(struct tc *t, struct in *in)
{
	unsigned int k = sign_fuzz_take(in, 1) % t->nelem;
	unsigned int kind = sign_fuzz_take(in, 1) % 5;
	u8 *e = t->flat + t->eoff[k];
	u64 sid = get_le(t->flat + SMBSIGN_HDR_SESSION_ID, 8);
	u32 next = get_le(e + SMBSIGN_HDR_NEXT_COMMAND, 4);

	if (kind == 1 && t->alg == SMBSIGN_ALG_AES_GMAC) {
		put_le(e + SMBSIGN_HDR_MESSAGE_ID,
		       sign_fuzz_take(in, 1) & 1 ? 0 : U64_MAX, 8);
	} else if (kind == 2 && k) {
		sid ^= sid == SMBSIGN_SESSION_ID_INHERIT - 1 ? 2 : 1;
		put_le(e + SMBSIGN_HDR_SESSION_ID, sid, 8);
	} else if (kind == 3) {
		put_le(e + SMBSIGN_HDR_NEXT_COMMAND, next ? next + 1 : 8, 4);
	} else if (kind == 4) {
		e[SMBSIGN_HDR_PROTOCOL_ID] ^= 1;
	} else {
		e[SMBSIGN_HDR_FLAGS] ^= SMBSIGN_FLAG_SERVER_TO_REDIR;
	}
}

/* Memory for @len bytes at @off bytes into fresh pages of junk. */
static struct region *new_region(struct tc *t, struct in *in, size_t off,
				 size_t len)
{
	struct region *r = &t->reg[t->nreg++];

	r->size = (off + len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	r->size = r->size ? r->size : PAGE_SIZE;
	r->mem = aligned_alloc(PAGE_SIZE, r->size);
	r->expect = malloc(r->size);
	if (!r->mem || !r->expect)
		abort();
	/*
	 * One junk byte: a read past a piece gets it instead of the
	 * message's byte, a write anywhere changes it (noise over every page
	 * would cost more than the rest of the test).
	 */
	memset(r->mem, noise(in), r->size);
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
		cut[i] = sign_fuzz_take(in, 2) % (len + 1);
	qsort(cut + 1, n - 1, sizeof(*cut), cmp_size);
	cut[n] = len;
}

/* The kvecs: every header, in pieces that may cross a page boundary. */
static void split_kvecs(struct tc *t, struct in *in, size_t iov_len,
			unsigned int *nkv)
{
	size_t cut[MAX_PIECES + 1], off, len;
	unsigned int i, n = 1 + sign_fuzz_take(in, 1) % MAX_PIECES;
	struct region *r;

	cuts(in, cut, n, iov_len);
	for (i = 0; i < n; i++) {
		len = cut[i + 1] - cut[i];
		off = sign_fuzz_take(in, 2) % PAGE_SIZE;
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
	unsigned int i, n = 0, want = sign_fuzz_take(in, 1);
	bool bvec = sign_fuzz_take(in, 1) & 1;
	bool flat_page = sign_fuzz_take(in, 1) & 1;
	struct region *r;
	struct page *pg;

	/* Mostly a few fragments; with bit 7, up to MAX_FRAGS. */
	want = 1 + (want & 0x80 ? (want & 0x7f) % MAX_FRAGS : want % 6);
	skip = sign_fuzz_take(in, 1) & 1 ? sign_fuzz_take(in, 1) % 100 : 0;
	cuts(in, cut, want, total);
	for (i = 0; i < want; i++) {
		len = cut[i + 1] - cut[i];
		if (!len)
			continue;	/* callers have no empty fragments */
		off = sign_fuzz_take(in, 2) % (2 * PAGE_SIZE);
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
	u64 x = sign_fuzz_take(in, 2);
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

u8 *sign_fuzz_flat_addr(const struct tc *t, size_t off)
{
	unsigned int i;

	for (i = 0; i < t->npc; i++)
		if (off >= t->pc[i].off && off - t->pc[i].off < t->pc[i].len)
			return t->pc[i].addr + (off - t->pc[i].off);
	abort();
}

/*
 * Decode @data into @t: an algorithm, a side, a key, a message and its
 * split. Returns whether the message was spoilt (sign must refuse it).
 */
bool sign_fuzz_decode(struct tc *t, struct in *in, const u8 *data,
		      size_t len)
{
	unsigned int i;
	bool spoilt;
	u8 b;

	in->p = data;
	in->left = len;
	/* The generator is seeded by the whole input (FNV-1a); never 0. */
	in->rng = 0xcbf29ce484222325ULL;
	for (i = 0; i < len; i++)
		in->rng = (in->rng ^ data[i]) * 0x100000001b3ULL;
	in->rng |= 1;
	/* Bits 0-1 algorithm, 2 side, 3-4 shape (3: a chain), 5-7 spoil. */
	b = byte(in);
	t->alg = (b & 3) == 3 ? SMBSIGN_ALG_AES_GMAC :
				(enum smbsign_alg)(b & 3);
	t->side = b >> 2 & 1;
	t->shape = (b >> 3 & 3) == 3 ? CHAIN : (enum shape)(b >> 3 & 3);
	spoilt = (b >> 5) == 0 && !(byte(in) & 1);
	for (i = 0; i < sizeof(t->key); i++)
		t->key[i] = byte(in);
	build_message(t, in);
	if (spoilt)
		spoil(t, in);
	split(t, in);
	return spoilt;
}

void sign_fuzz_free(struct tc *t)
{
	unsigned int i;

	for (i = 0; i < t->nreg; i++) {
		free(t->reg[i].mem);
		free(t->reg[i].expect);
	}
	free(t);
}

/* What the caller's memory must hold when the message is @flat. */
void sign_fuzz_expect(struct tc *t, const u8 *flat)
{
	unsigned int i;

	for (i = 0; i < t->npc; i++)
		memcpy(t->pc[i].r->expect + (t->pc[i].addr - t->pc[i].r->mem),
		       flat + t->pc[i].off, t->pc[i].len);
}

void sign_fuzz_check_memory(const struct tc *t, const char *what)
{
	unsigned int i;
	size_t j;

	if (kshim_kmap_depth)
		sign_fuzz_fail(t, "a page left mapped", kshim_kmap_depth, 0);
	for (i = 0; i < t->nreg; i++) {
		if (!memcmp(t->reg[i].mem, t->reg[i].expect, t->reg[i].size))
			continue;
		for (j = 0; t->reg[i].mem[j] == t->reg[i].expect[j]; j++)
			;
		sign_fuzz_fail(t, what, i, j);
	}
}
