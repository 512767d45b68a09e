// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: no copy of a key, or of a secret derived from it, survives any
 * way smbsign lets go of it: a context freed (before or after its
 * session's smbsign_session_exit()), a channel's new key taking over from
 * the old one, a context whose allocation fails after the key reached the
 * transform, the KDF's temporaries, the GMAC scratch buffer and the MAC
 * state.
 *
 * Memory cannot be read once it is freed, so the heap is watched while it
 * is being freed: probes on the kmalloc, kmem_cache_alloc, kfree and
 * kmem_cache_free tracepoints record every object the test's own thread
 * allocates while the watch is on, and read each object at the moment it
 * is handed to kfree() (after kfree_sensitive() wiped it, before the
 * allocator takes it back). Before the teardown the live objects are
 * searched for the key, so the test knows which objects held it (the
 * transforms of the crypto API, not smbsign's own structures); after the
 * teardown each of them must have been freed, and no freed object may
 * still have held the key when it was freed. The real teardown code runs,
 * unchanged.
 *
 * What is searched for ("witnesses"): the raw key, which the AES key
 * schedule of cmac(aes) and gcm(aes) starts with; for HMAC-SHA256, whose
 * transform keeps no raw key, the inner and outer hash states it keeps
 * instead; for AES-GMAC also the GHASH key H = AES-K(0^128); on x86_64
 * also the fast paths' key material (GMAC's key power H * x^-1 as the
 * assembly holds it, CMAC's subkey K1). Every case
 * that searches also shows the search finding them where they are (the
 * live transforms, a transform being released, a copy planted on the
 * stack): a pass is not a blind search.
 *
 * The KDF's temporaries live on the stack: the dead part of the stack,
 * below the frame of the function that called the KDF, is searched right
 * after it returns (each KUnit case runs in a new thread, on a stack that
 * starts zeroed).
 */
#include <crypto/aes.h>
#include <crypto/hash.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/hash.h>
#include <crypto/sha2.h>
#include <kunit/test.h>
#include <linux/scatterlist.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/unaligned.h>
#include <trace/events/kmem.h>

#include "../fast.h"
#include "kunit_util.h"

/* Keys found nowhere else in the suites: 0xa5, 0xa6, ... and 0xc3, ... */
static const u8 wipe_key_a[SMBSIGN_KEY_SIZE] = {
	0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac,
	0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4,
};

static const u8 wipe_key_b[SMBSIGN_KEY_SIZE] = {
	0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca,
	0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2,
};

/* Only the watch's self-test plants this one, in memory it frees badly. */
static const u8 wipe_key_planted[SMBSIGN_KEY_SIZE] = {
	0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41, 0x42, 0x43,
	0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b,
};

/* A 32-byte session key, as Kerberos gives: the KDF keys with 16. */
static const u8 wipe_session_key[32] = {
	0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61,
	0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
	0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71,
	0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79,
};

#define WIPE_MAX_ALLOCS		512
#define WIPE_MAX_WITNESSES	8
#define WIPE_WITNESS_MAX	SHA256_DIGEST_SIZE
/*
 * Larger than the frame of any function that runs between the KDF and
 * the stack search, so the search never overwrites the KDF's frames.
 */
#define WIPE_STACK_PAD		512

#define WIPE_SET(n)		BIT(n)
#define WIPE_ALL_SETS		(~0U)

struct wipe_witness {
	char what[64];
	unsigned int set;
	unsigned int len;
	u8 bytes[WIPE_WITNESS_MAX];
};

/*
 * One object allocated while the watch was on. @held and @dirty are the
 * witness found in it (index + 1, or 0): @held before the teardown,
 * @dirty when it was freed. @zeroed: every byte of it (ksize()) was zero
 * when it was freed, as kfree_sensitive() leaves it. The call site of a
 * free is where kfree_sensitive() was called from, or kfree(): the
 * former ends in a tail call to kfree().
 */
struct wipe_alloc {
	const void *ptr;
	size_t size;
	unsigned long alloc_site;
	unsigned long free_site;
	bool freed;
	bool zeroed;
	int held;
	int dirty;
};

enum {
	WIPE_PROBE_KMALLOC,
	WIPE_PROBE_CACHE_ALLOC,
	WIPE_PROBE_KFREE,
	WIPE_PROBE_CACHE_FREE,
};

struct wipe_watch {
	struct task_struct *task;
	bool on;
	unsigned long probes;
	struct wipe_witness wit[WIPE_MAX_WITNESSES];
	unsigned int nwit;
	struct wipe_alloc a[WIPE_MAX_ALLOCS];
	unsigned int na;
	bool overflow;
	/* An object allocated before the watch, freed holding a witness. */
	int stray;
	unsigned long stray_site;
	/* Set by the fake transforms of wipe_failed_create(). */
	const void *fake_ctx;
	bool fake_keyed;
	int fake_held;
	/* Scratch for computing witnesses; wiped after each use. */
	struct crypto_aes_ctx aes;
	u8 state[HASH_MAX_DESCSIZE];	/* the export of a SHA-256 descriptor */
	u8 block[SHA256_BLOCK_SIZE];
};

/*
 * Search @len bytes at @mem for the witnesses of @sets. Not instrumented
 * by KASAN: it reads the slack of kmalloc'd objects and the dead part of
 * the stack, both valid memory that KASAN marks unaddressable. It calls
 * nothing, not even memcmp(), which is instrumented.
 *
 * Return: the index + 1 of the first witness found, or 0.
 */
static noinline __no_sanitize_address int
wipe_find(const struct wipe_watch *w, const void *mem, size_t len,
	  unsigned int sets)
{
	const u8 *p = mem;
	unsigned int j;
	size_t i, k;

	for (j = 0; j < w->nwit; j++) {
		const struct wipe_witness *wt = &w->wit[j];

		if (!(sets & WIPE_SET(wt->set)) || wt->len > len)
			continue;
		for (i = 0; i + wt->len <= len; i++) {
			for (k = 0; k < wt->len && p[i + k] == wt->bytes[k]; k++)
				;
			if (k == wt->len)
				return j + 1;
		}
	}
	return 0;
}

/* Not instrumented either: past the requested size is KASAN's redzone. */
static noinline __no_sanitize_address bool
wipe_is_zero(const void *mem, size_t len)
{
	const u8 *p = mem;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static const char *wipe_what(const struct wipe_watch *w, int hit)
{
	return hit ? w->wit[hit - 1].what : "nothing";
}

/*
 * The search of the dead stack: from the lowest word of the thread's
 * stack up to this function's frame, i.e. every frame of the functions
 * its caller called and that have returned.
 */
static noinline __no_sanitize_address int
wipe_find_dead_stack(const struct wipe_watch *w, unsigned int sets)
{
	const u8 *lo = (const u8 *)(end_of_stack(current) + 1);
	const u8 *hi = __builtin_frame_address(0);

	return wipe_find(w, lo, hi - lo, sets);
}

/*
 * Call @fn below a frame of WIPE_STACK_PAD bytes: what @fn's frames leave
 * on the stack survives the small calls the caller makes next.
 */
static noinline int wipe_call_below(int (*fn)(void *), void *arg)
{
	u8 pad[WIPE_STACK_PAD];
	int ret;

	memset(pad, 0, sizeof(pad));
	barrier_data(pad);
	ret = fn(arg);
	barrier_data(pad);
	return ret;
}

/* ------------------------------------------------------------ the watch */

static bool wipe_watching(const struct wipe_watch *w)
{
	return READ_ONCE(w->on) && current == w->task && in_task();
}

static struct wipe_alloc *wipe_lookup(struct wipe_watch *w, const void *ptr)
{
	unsigned int i;

	/* The newest first: an address may be freed and handed out again. */
	for (i = w->na; i-- > 0;)
		if (w->a[i].ptr == ptr && !w->a[i].freed)
			return &w->a[i];
	return NULL;
}

static void wipe_track(struct wipe_watch *w, unsigned long site,
		       const void *ptr, size_t size)
{
	struct wipe_alloc *a;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	/*
	 * A kmalloc() above KMALLOC_MAX_CACHE_SIZE is traced twice, the
	 * second time with the caller's call site.
	 */
	a = wipe_lookup(w, ptr);
	if (a) {
		a->alloc_site = site;
		return;
	}
	if (w->na == WIPE_MAX_ALLOCS) {
		w->overflow = true;
		return;
	}
	w->a[w->na++] = (struct wipe_alloc){
		.ptr = ptr, .size = size, .alloc_site = site,
	};
}

/*
 * The object is still allocated here: kfree() and kmem_cache_free() call
 * their tracepoint first. kfree_sensitive() has already wiped it.
 */
static void wipe_untrack(struct wipe_watch *w, unsigned long site,
			 const void *ptr, size_t size)
{
	struct wipe_alloc *a = wipe_lookup(w, ptr);
	int hit;

	if (a) {
		a->freed = true;
		a->free_site = site;
		a->dirty = wipe_find(w, ptr, a->size, WIPE_ALL_SETS);
		a->zeroed = wipe_is_zero(ptr, size);
		return;
	}
	hit = wipe_find(w, ptr, size, WIPE_ALL_SETS);
	if (hit && !w->stray) {
		w->stray = hit;
		w->stray_site = site;
	}
}

static void wipe_on_kmalloc(void *data, unsigned long site, const void *ptr,
			    size_t bytes_req, size_t bytes_alloc, gfp_t gfp,
			    int node)
{
	struct wipe_watch *w = data;

	if (wipe_watching(w))
		wipe_track(w, site, ptr, bytes_req);
}

static void wipe_on_cache_alloc(void *data, unsigned long site,
				const void *ptr, struct kmem_cache *s,
				gfp_t gfp, int node)
{
	struct wipe_watch *w = data;

	if (wipe_watching(w))
		wipe_track(w, site, ptr, kmem_cache_size(s));
}

static void wipe_on_kfree(void *data, unsigned long site, const void *ptr)
{
	struct wipe_watch *w = data;

	if (wipe_watching(w) && !ZERO_OR_NULL_PTR(ptr))
		wipe_untrack(w, site, ptr, ksize(ptr));
}

static void wipe_on_cache_free(void *data, unsigned long site,
			       const void *ptr, const struct kmem_cache *s)
{
	struct wipe_watch *w = data;

	if (wipe_watching(w) && !ZERO_OR_NULL_PTR(ptr))
		wipe_untrack(w, site, ptr,
			     kmem_cache_size((struct kmem_cache *)s));
}

static void wipe_watch_release(void *arg)
{
	struct wipe_watch *w = arg;

	WRITE_ONCE(w->on, false);
	if (test_bit(WIPE_PROBE_KMALLOC, &w->probes))
		unregister_trace_kmalloc(wipe_on_kmalloc, w);
	if (test_bit(WIPE_PROBE_CACHE_ALLOC, &w->probes))
		unregister_trace_kmem_cache_alloc(wipe_on_cache_alloc, w);
	if (test_bit(WIPE_PROBE_KFREE, &w->probes))
		unregister_trace_kfree(wipe_on_kfree, w);
	if (test_bit(WIPE_PROBE_CACHE_FREE, &w->probes))
		unregister_trace_kmem_cache_free(wipe_on_cache_free, w);
	if (w->probes)
		tracepoint_synchronize_unregister();
	/* It holds the witnesses: a plain kfree() would leave them around. */
	kfree_sensitive(w);
}

/* A watch with its probes registered, off, released when the test ends. */
static struct wipe_watch *wipe_watch_new(struct kunit *test)
{
	struct wipe_watch *w = kzalloc(sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							wipe_watch_release,
							w), 0);
	if (!register_trace_kmalloc(wipe_on_kmalloc, w))
		__set_bit(WIPE_PROBE_KMALLOC, &w->probes);
	if (!register_trace_kmem_cache_alloc(wipe_on_cache_alloc, w))
		__set_bit(WIPE_PROBE_CACHE_ALLOC, &w->probes);
	if (!register_trace_kfree(wipe_on_kfree, w))
		__set_bit(WIPE_PROBE_KFREE, &w->probes);
	if (!register_trace_kmem_cache_free(wipe_on_cache_free, w))
		__set_bit(WIPE_PROBE_CACHE_FREE, &w->probes);
	if (w->probes != GENMASK(WIPE_PROBE_CACHE_FREE, 0))
		kunit_skip(test, "the kmem tracepoints are not available (CONFIG_TRACEPOINTS)");
	return w;
}

/* No KUNIT_* between on and off: a failing one would allocate. */
static void wipe_watch_on(struct wipe_watch *w)
{
	w->task = current;
	WRITE_ONCE(w->on, true);
}

static void wipe_watch_off(struct wipe_watch *w)
{
	WRITE_ONCE(w->on, false);
}

static __printf(6, 7) void wipe_add(struct kunit *test, struct wipe_watch *w,
				    unsigned int set, const void *bytes,
				    unsigned int len, const char *fmt, ...)
{
	struct wipe_witness *wt;
	va_list args;

	KUNIT_ASSERT_LT(test, w->nwit, WIPE_MAX_WITNESSES);
	KUNIT_ASSERT_LE(test, len, WIPE_WITNESS_MAX);
	wt = &w->wit[w->nwit++];
	va_start(args, fmt);
	vsnprintf(wt->what, sizeof(wt->what), fmt, args);
	va_end(args);
	wt->set = set;
	wt->len = len;
	memcpy(wt->bytes, bytes, len);
}

/*
 * The inner and outer hash states that hmac(sha256) keeps in its
 * transform in place of @key (crypto/hmac.c: the exported state after one
 * block of key ^ ipad, key ^ opad); the first SHA256_DIGEST_SIZE bytes of
 * the export are the chaining value, the rest a partial block that
 * setkey leaves undefined.
 */
static void wipe_add_hmac_states(struct kunit *test, struct wipe_watch *w,
				 unsigned int set, const u8 *key,
				 unsigned int len, const char *name)
{
	struct crypto_shash *sha = crypto_alloc_shash("sha256", 0, 0);
	static const u8 pads[] = { 0x36, 0x5c };
	unsigned int i, j;
	int err = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sha);
	KUNIT_ASSERT_LE(test, crypto_shash_statesize(sha), sizeof(w->state));
	for (i = 0; i < ARRAY_SIZE(pads) && !err; i++) {
		SHASH_DESC_ON_STACK(desc, sha);

		memset(w->block, 0, sizeof(w->block));
		memcpy(w->block, key, len);
		for (j = 0; j < sizeof(w->block); j++)
			w->block[j] ^= pads[i];
		desc->tfm = sha;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, w->block, sizeof(w->block)) ?:
		      crypto_shash_export(desc, w->state);
		shash_desc_zero(desc);
		if (!err)
			wipe_add(test, w, set, w->state, SHA256_DIGEST_SIZE,
				 "the HMAC %s state of %s",
				 i ? "outer" : "inner", name);
	}
	memzero_explicit(w->block, sizeof(w->block));
	memzero_explicit(w->state, sizeof(w->state));
	crypto_free_shash(sha);
	KUNIT_ASSERT_EQ(test, err, 0);
}

/*
 * The fast paths' own key material (smbsign/fast_x86.c), derived from
 * @l = AES-K(0^128): GMAC's first key power as the assembly holds it
 * (H times x^-1, byte-reversed), CMAC's subkey K1 (RFC 4493, 2.3).
 */
static void wipe_add_fast_key(struct kunit *test, struct wipe_watch *w,
			      unsigned int set, enum smbsign_alg alg,
			      const u8 *l, const char *name)
{
#ifdef CONFIG_X86_64
	struct smbsign_ghash_key gk;
	u8 k1[AES_BLOCK_SIZE];
	u64 hi, lo;

	if (alg == SMBSIGN_ALG_AES_GMAC) {
		smbsign_ghash_key_pow(&gk, 1, l);
		wipe_add(test, w, set, gk.pow[0], sizeof(gk.pow[0]),
			 "the fast GHASH key power of %s", name);
		memzero_explicit(&gk, sizeof(gk));
	} else {
		hi = get_unaligned_be64(l);
		lo = get_unaligned_be64(l + 8);
		put_unaligned_be64(hi << 1 | lo >> 63, k1);
		put_unaligned_be64(lo << 1 ^ ((hi >> 63) ? 0x87 : 0), k1 + 8);
		wipe_add(test, w, set, k1, sizeof(k1),
			 "the CMAC subkey K1 of %s", name);
		memzero_explicit(k1, sizeof(k1));
	}
#endif
}

/* The witnesses of a signing key @key of @alg, in @set. */
static void wipe_add_key(struct kunit *test, struct wipe_watch *w,
			 unsigned int set, enum smbsign_alg alg, const u8 *key,
			 const char *name)
{
	static const u8 zero[AES_BLOCK_SIZE];
	u8 h[AES_BLOCK_SIZE];

	wipe_add(test, w, set, key, SMBSIGN_KEY_SIZE, "%s", name);
	if (alg == SMBSIGN_ALG_HMAC_SHA256) {
		wipe_add_hmac_states(test, w, set, key, SMBSIGN_KEY_SIZE, name);
		return;
	}
	KUNIT_ASSERT_EQ(test, aes_expandkey(&w->aes, key, SMBSIGN_KEY_SIZE), 0);
	aes_encrypt(&w->aes, h, zero);
	memzero_explicit(&w->aes, sizeof(w->aes));
	if (alg == SMBSIGN_ALG_AES_GMAC)
		wipe_add(test, w, set, h, sizeof(h), "the GHASH key of %s",
			 name);
	wipe_add_fast_key(test, w, set, alg, h, name);
	memzero_explicit(h, sizeof(h));
}

/*
 * Before the teardown: note which live objects hold a witness of @sets.
 * Return: how many do.
 */
static unsigned int wipe_scan_live(struct wipe_watch *w, unsigned int sets)
{
	unsigned int i, n = 0;

	for (i = 0; i < w->na; i++) {
		struct wipe_alloc *a = &w->a[i];

		if (a->freed)
			continue;
		a->held = wipe_find(w, a->ptr, a->size, sets);
		n += !!a->held;
	}
	return n;
}

/*
 * After the teardown: everything allocated while the watch was on is
 * freed, and nothing was freed while it still held a witness. An object
 * that held one before the teardown was all zero when freed, as
 * kfree_sensitive() leaves it: the witnesses are a sample, and the rest
 * of what the transform derived from the key (CMAC's subkeys, the AES
 * round keys) lies in the same objects.
 */
static void wipe_expect_clean(struct kunit *test, struct wipe_watch *w)
{
	unsigned int i;

	KUNIT_EXPECT_FALSE_MSG(test, w->overflow,
			       "more than %d allocations: raise WIPE_MAX_ALLOCS",
			       WIPE_MAX_ALLOCS);
	for (i = 0; i < w->na; i++) {
		const struct wipe_alloc *a = &w->a[i];

		if (!a->freed) {
			KUNIT_FAIL(test,
				   "a %zu-byte object allocated at %pS is still allocated after the teardown%s%s",
				   a->size, (void *)a->alloc_site,
				   a->held ? ", holding " : "",
				   a->held ? wipe_what(w, a->held) : "");
			continue;
		}
		if (a->dirty)
			KUNIT_FAIL(test,
				   "a %zu-byte object allocated at %pS was freed at %pS still holding %s",
				   a->size, (void *)a->alloc_site,
				   (void *)a->free_site, wipe_what(w, a->dirty));
		else if (a->held && !a->zeroed)
			KUNIT_FAIL(test,
				   "a %zu-byte object allocated at %pS held %s and was freed at %pS without being wiped",
				   a->size, (void *)a->alloc_site,
				   wipe_what(w, a->held), (void *)a->free_site);
		else if (a->held)
			kunit_info(test, "%s: in a %zu-byte object allocated at %pS, freed %sat %pS\n",
				   wipe_what(w, a->held), a->size,
				   (void *)a->alloc_site,
				   a->zeroed ? "all zero " : "", (void *)a->free_site);
	}
	KUNIT_EXPECT_EQ_MSG(test, w->stray, 0,
			    "an object allocated before the test was freed at %pS still holding %s",
			    (void *)w->stray_site, wipe_what(w, w->stray));
}

static void wipe_expect_not_in(struct kunit *test, struct wipe_watch *w,
			       const char *name, const void *p, size_t len)
{
	int hit;

	if (!p)
		return;
	hit = wipe_find(w, p, len, WIPE_ALL_SETS);
	KUNIT_EXPECT_EQ_MSG(test, hit, 0, "%s holds %s", name,
			    wipe_what(w, hit));
}

/* smbsign's own structures hold no copy: the key lives in the transform. */
static void wipe_expect_ctx_has_none(struct kunit *test, struct wipe_watch *w,
				     const struct smbsign_ctx *ctx)
{
	const struct smbsign_mac *mac = &ctx->mac;

	wipe_expect_not_in(test, w, "struct smbsign_ctx", ctx, sizeof(*ctx));
	wipe_expect_not_in(test, w, "the nonce guard", ctx->guard,
			   sizeof(*ctx->guard));
	wipe_expect_not_in(test, w, "the session record", ctx->rec,
			   sizeof(*ctx->rec));
	if (mac->alg != SMBSIGN_ALG_AES_GMAC)
		return;
	wipe_expect_not_in(test, w, "mac->buf", mac->buf, sizeof(*mac->buf));
	wipe_expect_not_in(test, w, "mac->sg", mac->sg,
			   mac->sg_max * sizeof(*mac->sg));
	wipe_expect_not_in(test, w, "mac->req", mac->req,
			   sizeof(*mac->req) + crypto_aead_reqsize(mac->aead));
}

/*
 * smbsign frees its context and the GMAC scratch buffer with
 * kfree_sensitive(): the context embeds the MAC state (and would embed any
 * key copy a later change added), the buffer a message's tag and nonce.
 * @p was allocated and freed while watched.
 */
static void wipe_expect_freed_zeroed(struct kunit *test, struct wipe_watch *w,
				     const char *name, const void *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = w->na; i-- > 0;)
		if (w->a[i].ptr == p)
			break;
	KUNIT_ASSERT_LT_MSG(test, i, w->na, "%s was not allocated while watched",
			    name);
	KUNIT_EXPECT_TRUE_MSG(test, w->a[i].freed && w->a[i].zeroed,
			      "%s was freed at %pS without being wiped", name,
			      (void *)w->a[i].free_site);
}

/* ---------------------------------------------------------- the objects */

/*
 * What a case set up, so that a failed assertion still frees it; the
 * case clears what it tore down itself.
 */
struct wipe_objs {
	struct smbsign_session *sess;
	bool sess_live;
	struct smbsign_ctx *ctx[2];
	struct smbsign_msg *msg;
};

static void wipe_objs_release(void *arg)
{
	struct wipe_objs *o = arg;

	smbsign_ctx_free(o->ctx[0]);
	smbsign_ctx_free(o->ctx[1]);
	if (o->sess_live)
		smbsign_session_exit(o->sess);
}

static struct wipe_objs *wipe_objs_new(struct kunit *test)
{
	struct smbsign_kt_hdr h = { .command = 8, .message_id = 7,
				    .session_id = 1 };
	struct wipe_objs *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, 200, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	o->sess = kunit_kzalloc(test, sizeof(*o->sess), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o->sess);
	smbsign_kt_put_hdr(buf, &h);
	memset(buf + SMBSIGN_HDR_SIZE, 0x17, 200 - SMBSIGN_HDR_SIZE);
	o->msg = smbsign_kt_msg(test, buf, 200, NULL, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							wipe_objs_release,
							o), 0);
	return o;
}

/*
 * Key, use and free one context before watching: the first use of an
 * algorithm instantiates its template, which stays (and is not the
 * test's to free).
 */
static void wipe_warm_up(struct kunit *test, enum smbsign_alg alg,
			 const struct smbsign_msg *msg)
{
	struct smbsign_ctx *ctx = smbsign_ctx_create(SMBSIGN_CLIENT, NULL, alg,
						     smbsign_kt_key,
						     SMBSIGN_KEY_SIZE);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, msg), 0);
	smbsign_ctx_free(ctx);
}

static const enum smbsign_alg wipe_algs[] = {
	SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
};

static void wipe_alg_desc(const enum smbsign_alg *alg, char *desc)
{
	strscpy(desc, smbsign_alg_name(*alg), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wipe_algs, wipe_algs, wipe_alg_desc);

struct wipe_order {
	enum smbsign_alg alg;
	bool session_exit_first;
};

static const struct wipe_order wipe_orders[] = {
	{ SMBSIGN_ALG_HMAC_SHA256, false }, { SMBSIGN_ALG_HMAC_SHA256, true },
	{ SMBSIGN_ALG_AES_CMAC, false }, { SMBSIGN_ALG_AES_CMAC, true },
	{ SMBSIGN_ALG_AES_GMAC, false }, { SMBSIGN_ALG_AES_GMAC, true },
};

static void wipe_order_desc(const struct wipe_order *o, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s",
		 smbsign_alg_name(o->alg),
		 o->session_exit_first ? "session exit, then context free" :
		 "context free, then session exit");
}

KUNIT_ARRAY_PARAM(wipe_orders, wipe_orders, wipe_order_desc);

/* ------------------------------------------------------------- the cases */

static void wipe_kfree_sensitive(void *p)
{
	kfree_sensitive(p);
}

/*
 * The watch itself: a key copy freed with kfree() is seen, one freed with
 * kfree_sensitive() is not, one left allocated is. It plants its own key,
 * which no other case searches for: the kfree()'d copy stays in the slab.
 */
static void wipe_watch_sees_leftovers(struct kunit *test)
{
	struct wipe_watch *w = wipe_watch_new(test);
	u8 *plain, *wiped, *kept;
	struct wipe_alloc *a;

	wipe_add(test, w, 0, wipe_key_planted, sizeof(wipe_key_planted),
		 "the planted key");
	wipe_watch_on(w);
	plain = kmalloc(64, GFP_KERNEL);
	wiped = kmalloc(64, GFP_KERNEL);
	kept = kmalloc(64, GFP_KERNEL);
	if (plain && wiped && kept) {
		memcpy(plain + 5, wipe_key_planted, sizeof(wipe_key_planted));
		memcpy(wiped + 5, wipe_key_planted, sizeof(wipe_key_planted));
		memcpy(kept + 5, wipe_key_planted, sizeof(wipe_key_planted));
	}
	kfree(plain);
	kfree_sensitive(wiped);
	wipe_watch_off(w);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							wipe_kfree_sensitive,
							kept), 0);
	KUNIT_ASSERT_TRUE(test, plain && wiped && kept);

	KUNIT_EXPECT_EQ(test, wipe_scan_live(w, WIPE_ALL_SETS), 1);
	KUNIT_EXPECT_EQ(test, w->na, 3U);
	for (a = w->a; a < w->a + w->na; a++) {
		if (a->ptr == plain) {
			KUNIT_EXPECT_TRUE(test, a->freed);
			KUNIT_EXPECT_EQ(test, a->dirty, 1);
			KUNIT_EXPECT_FALSE(test, a->zeroed);
		} else if (a->ptr == wiped) {
			KUNIT_EXPECT_TRUE(test, a->freed);
			KUNIT_EXPECT_EQ(test, a->dirty, 0);
			KUNIT_EXPECT_TRUE(test, a->zeroed);
		} else {
			KUNIT_EXPECT_PTR_EQ(test, a->ptr, (const void *)kept);
			KUNIT_EXPECT_FALSE(test, a->freed);
			KUNIT_EXPECT_EQ(test, a->held, 1);
		}
	}
}

/*
 * smbsign_ctx_free() and smbsign_session_exit(), in either order (a
 * context may outlive its session): the objects that held the key are
 * freed wiped, and nothing of the context or session is left.
 */
static void wipe_ctx_free(struct kunit *test)
{
	const struct wipe_order *p = test->param_value;
	struct wipe_watch *w = wipe_watch_new(test);
	struct wipe_objs *o = wipe_objs_new(test);
	const void *ctx_mem, *buf_mem;
	struct smbsign_ctx *ctx;
	int err, sign_err = 0;

	wipe_add_key(test, w, 0, p->alg, wipe_key_a, "the key");
	wipe_warm_up(test, p->alg, o->msg);

	wipe_watch_on(w);
	err = smbsign_session_init(o->sess, SMBSIGN_CLIENT, NULL, "wipe");
	o->sess_live = true;
	ctx = smbsign_ctx_alloc(o->sess, p->alg, wipe_key_a, SMBSIGN_KEY_SIZE);
	if (!IS_ERR(ctx)) {
		o->ctx[0] = ctx;
		sign_err = smbsign_sign(ctx, o->msg);
	}
	wipe_watch_off(w);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	KUNIT_ASSERT_EQ(test, sign_err, 0);

	wipe_expect_ctx_has_none(test, w, ctx);
	KUNIT_ASSERT_GT_MSG(test, wipe_scan_live(w, WIPE_ALL_SETS), 0U,
			    "the key is in no object allocated for the context: the search is blind");
	ctx_mem = ctx;
	buf_mem = ctx->mac.alg == SMBSIGN_ALG_AES_GMAC ? ctx->mac.buf : NULL;

	wipe_watch_on(w);
	if (p->session_exit_first) {
		smbsign_session_exit(o->sess);
		smbsign_ctx_free(ctx);
	} else {
		smbsign_ctx_free(ctx);
		smbsign_session_exit(o->sess);
	}
	o->ctx[0] = NULL;
	o->sess_live = false;
	wipe_watch_off(w);

	wipe_expect_clean(test, w);
	wipe_expect_freed_zeroed(test, w, "struct smbsign_ctx", ctx_mem);
	wipe_expect_freed_zeroed(test, w, "mac->buf", buf_mem);
	wipe_expect_not_in(test, w, "struct smbsign_session", o->sess,
			   sizeof(*o->sess));
}

/*
 * A channel's (or a re-authentication's) new key takes over: smbsign
 * keys a context once, so the consumer allocates a context for the new
 * key and frees the old one. Nothing of the old key may stay, neither in
 * what was freed nor in what still signs; the new key stays in use.
 */
static void wipe_channel_key_replaced(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct wipe_watch *w = wipe_watch_new(test);
	struct wipe_objs *o = wipe_objs_new(test);
	int err, sign_err[2] = { -1, -1 };
	unsigned int i;

	wipe_add_key(test, w, 0, alg, wipe_key_a, "the old key");
	wipe_add_key(test, w, 1, alg, wipe_key_b, "the new key");
	wipe_warm_up(test, alg, o->msg);

	wipe_watch_on(w);
	err = smbsign_session_init(o->sess, SMBSIGN_CLIENT, NULL, "wipe");
	o->sess_live = true;
	for (i = 0; i < 2; i++) {
		o->ctx[i] = smbsign_ctx_alloc(o->sess, alg,
					      i ? wipe_key_b : wipe_key_a,
					      SMBSIGN_KEY_SIZE);
		if (IS_ERR(o->ctx[i]))
			break;
		sign_err[i] = smbsign_sign(o->ctx[i], o->msg);
	}
	wipe_watch_off(w);
	KUNIT_ASSERT_EQ(test, err, 0);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, o->ctx[i]);
		KUNIT_ASSERT_EQ(test, sign_err[i], 0);
		wipe_expect_ctx_has_none(test, w, o->ctx[i]);
	}
	KUNIT_ASSERT_GT_MSG(test, wipe_scan_live(w, WIPE_SET(0)), 0U,
			    "the old key is in no object: the search is blind");
	KUNIT_ASSERT_GT(test, wipe_scan_live(w, WIPE_SET(1)), 0U);
	wipe_scan_live(w, WIPE_ALL_SETS);

	wipe_watch_on(w);
	smbsign_ctx_free(o->ctx[0]);
	o->ctx[0] = NULL;
	wipe_watch_off(w);

	KUNIT_EXPECT_EQ_MSG(test, wipe_scan_live(w, WIPE_SET(0)), 0U,
			    "the old key outlived its context");
	KUNIT_EXPECT_GT_MSG(test, wipe_scan_live(w, WIPE_SET(1)), 0U,
			    "freeing the old context took the new key with it");
	KUNIT_EXPECT_EQ(test, smbsign_verify(o->ctx[1], o->msg), 0);
	wipe_scan_live(w, WIPE_ALL_SETS);

	wipe_watch_on(w);
	smbsign_ctx_free(o->ctx[1]);
	o->ctx[1] = NULL;
	smbsign_session_exit(o->sess);
	o->sess_live = false;
	wipe_watch_off(w);

	wipe_expect_clean(test, w);
}

/* ---------------------------------------- failing after the key was set */

/*
 * Transforms that take the key, as any implementation does, and then make
 * smbsign's context allocation fail: the shash's setkey fails after it
 * stored the key (a driver that checks late), the AEAD has a 16-byte IV,
 * which gmac_init() refuses after setkey and setauthsize. Registered
 * above every other implementation of the name for the length of one
 * case.
 */
struct wipe_fake_ctx {
	u8 key[SMBSIGN_KEY_SIZE];
};

/* The watch of the case that registered the fakes. */
static struct wipe_watch *wipe_fake_watch;

static void wipe_fake_setkey(void *c, const u8 *key, unsigned int len)
{
	struct wipe_fake_ctx *ctx = c;

	memcpy(ctx->key, key, min_t(unsigned int, len, sizeof(ctx->key)));
	wipe_fake_watch->fake_keyed = true;
}

/* Called by crypto_destroy_tfm() just before it frees the transform. */
static void wipe_fake_exit(const void *c)
{
	const struct wipe_fake_ctx *ctx = c;

	wipe_fake_watch->fake_ctx = ctx;
	wipe_fake_watch->fake_held = wipe_find(wipe_fake_watch, ctx->key,
					       sizeof(ctx->key), WIPE_ALL_SETS);
}

static int wipe_fake_shash_setkey(struct crypto_shash *tfm, const u8 *key,
				  unsigned int len)
{
	wipe_fake_setkey(crypto_shash_ctx(tfm), key, len);
	return -EINVAL;
}

static void wipe_fake_shash_exit(struct crypto_shash *tfm)
{
	wipe_fake_exit(crypto_shash_ctx(tfm));
}

static int wipe_fake_shash_init(struct shash_desc *desc)
{
	return -EOPNOTSUPP;
}

static int wipe_fake_shash_update(struct shash_desc *desc, const u8 *data,
				  unsigned int len)
{
	return -EOPNOTSUPP;
}

static int wipe_fake_shash_final(struct shash_desc *desc, u8 *out)
{
	return -EOPNOTSUPP;
}

/* Above the priority of any implementation the kernel has. */
#define WIPE_FAKE_PRIORITY	30000

#define WIPE_FAKE_SHASH(name, driver) {					\
	.init = wipe_fake_shash_init,					\
	.update = wipe_fake_shash_update,				\
	.final = wipe_fake_shash_final,					\
	.setkey = wipe_fake_shash_setkey,				\
	.exit_tfm = wipe_fake_shash_exit,				\
	.digestsize = SHA256_DIGEST_SIZE,				\
	.base = {							\
		.cra_name = name,					\
		.cra_driver_name = driver,				\
		.cra_priority = WIPE_FAKE_PRIORITY,			\
		.cra_blocksize = AES_BLOCK_SIZE,			\
		.cra_ctxsize = sizeof(struct wipe_fake_ctx),		\
		.cra_module = THIS_MODULE,				\
	},								\
}

static struct shash_alg wipe_fake_hmac = WIPE_FAKE_SHASH("hmac(sha256)",
	"hmac-sha256-smbsign-kunit-fake");
static struct shash_alg wipe_fake_cmac = WIPE_FAKE_SHASH("cmac(aes)",
	"cmac-aes-smbsign-kunit-fake");

static int wipe_fake_aead_setkey(struct crypto_aead *tfm, const u8 *key,
				 unsigned int len)
{
	wipe_fake_setkey(crypto_aead_ctx(tfm), key, len);
	return 0;
}

static void wipe_fake_aead_exit(struct crypto_aead *tfm)
{
	wipe_fake_exit(crypto_aead_ctx(tfm));
}

static int wipe_fake_aead_crypt(struct aead_request *req)
{
	return -EOPNOTSUPP;
}

static struct aead_alg wipe_fake_gcm = {
	.setkey = wipe_fake_aead_setkey,
	.encrypt = wipe_fake_aead_crypt,
	.decrypt = wipe_fake_aead_crypt,
	.exit = wipe_fake_aead_exit,
	.ivsize = 16,
	.maxauthsize = SMBSIGN_SIG_SIZE,
	.base = {
		.cra_name = "gcm(aes)",
		.cra_driver_name = "gcm-aes-smbsign-kunit-fake",
		.cra_priority = WIPE_FAKE_PRIORITY,
		.cra_blocksize = 1,
		.cra_ctxsize = sizeof(struct wipe_fake_ctx),
		.cra_module = THIS_MODULE,
	},
};

static void wipe_unregister_fake(void *arg)
{
	enum smbsign_alg alg = (uintptr_t)arg;

	if (alg == SMBSIGN_ALG_AES_GMAC)
		crypto_unregister_aead(&wipe_fake_gcm);
	else
		crypto_unregister_shash(alg == SMBSIGN_ALG_HMAC_SHA256 ?
					&wipe_fake_hmac : &wipe_fake_cmac);
	wipe_fake_watch = NULL;
}

/*
 * A context whose allocation fails after the key reached its transform
 * (smbsign_mac_init()'s and gmac_init()'s unwinding, then
 * smbsign_ctx_create()'s): the transform that held the key is the object
 * kfree_sensitive() frees, and nothing else is left.
 */
static void wipe_failed_create(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx;
	struct wipe_watch *w;
	struct wipe_objs *o;
	struct wipe_alloc *a, *tfm = NULL;
	int err;

	/* A self-test of the fake would fail, and warn. */
	if (!IS_ENABLED(CONFIG_CRYPTO_MANAGER_DISABLE_TESTS))
		kunit_skip(test, "the crypto self-tests would reject a fake %s",
			   smbsign_alg_name(alg));
	w = wipe_watch_new(test);
	o = wipe_objs_new(test);
	wipe_add(test, w, 0, wipe_key_a, sizeof(wipe_key_a), "the key");
	wipe_fake_watch = w;
	if (alg == SMBSIGN_ALG_AES_GMAC)
		err = crypto_register_aead(&wipe_fake_gcm);
	else
		err = crypto_register_shash(alg == SMBSIGN_ALG_HMAC_SHA256 ?
					    &wipe_fake_hmac : &wipe_fake_cmac);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							wipe_unregister_fake,
							(void *)(uintptr_t)alg),
			0);

	wipe_watch_on(w);
	err = smbsign_session_init(o->sess, SMBSIGN_CLIENT, NULL, "wipe");
	o->sess_live = true;
	ctx = smbsign_ctx_alloc(o->sess, alg, wipe_key_a, SMBSIGN_KEY_SIZE);
	if (!IS_ERR(ctx))
		o->ctx[0] = ctx;
	smbsign_session_exit(o->sess);
	o->sess_live = false;
	wipe_watch_off(w);

	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_TRUE_MSG(test, w->fake_keyed,
			      "the crypto API did not pick the fake %s",
			      smbsign_alg_name(alg));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ctx), -EINVAL);
	/* A transform the unwinding forgot is still allocated, keyed. */
	wipe_scan_live(w, WIPE_ALL_SETS);
	wipe_expect_clean(test, w);
	KUNIT_ASSERT_NOT_NULL_MSG(test, w->fake_ctx,
				  "the keyed transform was never freed");
	KUNIT_EXPECT_EQ_MSG(test, w->fake_held, 1,
			    "the transform did not hold the key when it was released: the search is blind");

	/* The allocation the fake's context lies in: the transform. */
	for (a = w->a; a < w->a + w->na; a++)
		if (w->fake_ctx >= a->ptr && w->fake_ctx < a->ptr + a->size)
			tfm = a;
	KUNIT_ASSERT_NOT_NULL_MSG(test, tfm,
				  "the transform was not allocated while watched");
	KUNIT_EXPECT_TRUE(test, tfm->freed);
	KUNIT_EXPECT_EQ(test, tfm->dirty, 0);
	/* What kfree_sensitive() does: the whole object, not just the key. */
	KUNIT_EXPECT_TRUE_MSG(test, tfm->zeroed,
			      "the transform was freed at %pS without being wiped",
			      (void *)tfm->free_site);
}

/* ------------------------------------------------ state smbsign wipes */

/*
 * mac->buf holds the header image, the tag and the nonce of the message
 * being signed: it is zero again once smbsign_mac_compute() returns, also
 * when it fails after the header image was copied in.
 */
static void wipe_gmac_buf_after_compute(struct kunit *test)
{
	struct smbsign_mac *mac = smbsign_kt_mac(test, SMBSIGN_ALG_AES_GMAC,
						 wipe_key_a, SMBSIGN_KEY_SIZE);
	struct smbsign_kt_hdr h = { .command = 8, .message_id = 9,
				    .session_id = 1 };
	static const u8 nonce[SMBSIGN_GMAC_NONCE_SIZE] = { 9, 0, 0, 0, 0, 0,
							  0, 0, 1 };
	u8 *buf = kunit_kzalloc(test, 80, GFP_KERNEL);
	struct smbsign_msg *msg;
	u8 sig[SMBSIGN_SIG_SIZE];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	smbsign_kt_put_hdr(buf, &h);
	msg = smbsign_kt_msg(test, buf, 80, NULL, 0);

	KUNIT_ASSERT_EQ(test, smbsign_mac_compute(mac, buf, msg, 0, 80, nonce,
						  sig), 0);
	KUNIT_EXPECT_TRUE_MSG(test, mem_is_zero(mac->buf, sizeof(*mac->buf)),
			      "mac->buf kept the header, tag or nonce of a signed message");

	/* A range past the end fails in gmac_fill_sg(), header copied. */
	KUNIT_ASSERT_EQ(test, smbsign_mac_compute(mac, buf, msg, 0, 200, nonce,
						  sig), -EINVAL);
	KUNIT_EXPECT_TRUE_MSG(test, mem_is_zero(mac->buf, sizeof(*mac->buf)),
			      "mac->buf kept the header image of a message that failed");
}

struct wipe_mac {
	struct smbsign_mac mac;
	bool live;
};

static void wipe_mac_release(void *arg)
{
	struct wipe_mac *m = arg;

	if (m->live)
		smbsign_mac_destroy(&m->mac);
}

/*
 * smbsign_mac_destroy() on a live state (not one about to be freed):
 * nothing is left of it, not even the pointers to the freed keyed
 * transform and buffers.
 */
static void wipe_mac_destroy_zeroes_state(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct wipe_mac *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wipe_mac_release,
							m), 0);
	KUNIT_ASSERT_EQ(test, smbsign_mac_init(&m->mac, alg, wipe_key_a,
					       SMBSIGN_KEY_SIZE), 0);
	m->live = true;
	smbsign_mac_destroy(&m->mac);
	m->live = false;
	KUNIT_EXPECT_TRUE_MSG(test, mem_is_zero(&m->mac, sizeof(m->mac)),
			      "smbsign_mac_destroy() left the state non-zero");
}

/* ------------------------------------------------------------ the KDF */

static const u8 wipe_preauth[SMBSIGN_PREAUTH_HASH_SIZE] = {
	[0] = 0x11, [17] = 0x22, [42] = 0x33, [63] = 0x44,
};

struct wipe_kdf_call {
	enum smbsign_kdf_label which;
	u8 *out;
};

static int wipe_kdf_fn(void *arg)
{
	struct wipe_kdf_call *c = arg;

	return smbsign_derive_signing_key(c->which, wipe_session_key,
					  sizeof(wipe_session_key),
					  wipe_preauth, c->out);
}

/* Leave a copy of @arg's first 16 bytes in a returned frame. */
static int wipe_plant_fn(void *arg)
{
	u8 copy[SMBSIGN_KEY_SIZE];

	memcpy(copy, arg, sizeof(copy));
	barrier_data(copy);
	return 0;
}

static const enum smbsign_kdf_label wipe_kdfs[] = {
	SMBSIGN_KDF_SMB30, SMBSIGN_KDF_SMB311,
};

static void wipe_kdf_desc(const enum smbsign_kdf_label *k, char *desc)
{
	strscpy(desc, *k == SMBSIGN_KDF_SMB30 ? "SMB 3.0" : "SMB 3.1.1",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wipe_kdfs, wipe_kdfs, wipe_kdf_desc);

/*
 * smbsign_derive_signing_key(): neither the KDF key (the first 16 bytes
 * of the session key) nor the derived signing key is left on the stack
 * (ki[] and block[] of kdf.c), and the HMAC transform that held the KDF
 * key is freed wiped. The derived key is what the caller asked for: only
 * the caller's copy may remain.
 */
static void wipe_kdf_temporaries(struct kunit *test)
{
	struct wipe_kdf_call call = {
		.which = *(const enum smbsign_kdf_label *)test->param_value,
	};
	struct wipe_watch *w = wipe_watch_new(test);
	u8 *want;
	int err, hit;

	call.out = kunit_kzalloc(test, SMBSIGN_KEY_SIZE, GFP_KERNEL);
	want = kunit_kzalloc(test, SMBSIGN_KEY_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, call.out);
	KUNIT_ASSERT_NOT_NULL(test, want);
	/* Set 0 is searched on the stack too; set 1 only on the heap. */
	wipe_add(test, w, 0, wipe_session_key, SMBSIGN_KEY_SIZE,
		 "the KDF key");
	wipe_add_hmac_states(test, w, 1, wipe_session_key, SMBSIGN_KEY_SIZE,
			     "the KDF key");
	/* The same derivation once unwatched gives the key to search for. */
	KUNIT_ASSERT_EQ(test, wipe_kdf_fn(&call), 0);
	memcpy(want, call.out, SMBSIGN_KEY_SIZE);
	wipe_add(test, w, 0, want, SMBSIGN_KEY_SIZE,
		 "the derived signing key");
	memset(call.out, 0, SMBSIGN_KEY_SIZE);

	wipe_watch_on(w);
	err = wipe_call_below(wipe_kdf_fn, &call);
	wipe_watch_off(w);
	/* First, before any call can write over the KDF's frames. */
	hit = wipe_find_dead_stack(w, WIPE_SET(0));

	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_MEMEQ(test, call.out, want, SMBSIGN_KEY_SIZE);
	KUNIT_EXPECT_EQ_MSG(test, hit, 0, "%s is left on the stack",
			    wipe_what(w, hit));
	KUNIT_EXPECT_GT(test, w->na, 0U);
	wipe_scan_live(w, WIPE_ALL_SETS);
	wipe_expect_clean(test, w);

	/* The search sees what a returned frame at that depth leaves. */
	wipe_call_below(wipe_plant_fn, w->wit[0].bytes);
	hit = wipe_find_dead_stack(w, WIPE_SET(0));
	KUNIT_EXPECT_EQ_MSG(test, hit, 1,
			    "a copy planted on the stack was not found: the search is blind");
}

static struct kunit_case wipe_cases[] = {
	KUNIT_CASE(wipe_watch_sees_leftovers),
	KUNIT_CASE_PARAM(wipe_ctx_free, wipe_orders_gen_params),
	KUNIT_CASE_PARAM(wipe_channel_key_replaced, wipe_algs_gen_params),
	KUNIT_CASE_PARAM(wipe_failed_create, wipe_algs_gen_params),
	KUNIT_CASE(wipe_gmac_buf_after_compute),
	KUNIT_CASE_PARAM(wipe_mac_destroy_zeroes_state, wipe_algs_gen_params),
	KUNIT_CASE_PARAM(wipe_kdf_temporaries, wipe_kdfs_gen_params),
	{}
};

static struct kunit_suite wipe_suite = {
	.name = "smbsign_wipe",
	.test_cases = wipe_cases,
};

kunit_test_suite(wipe_suite);
