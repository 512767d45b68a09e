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
 *     another session, a bad NextCommand, a broken ProtocolId): signing
 *     must fail with -EINVAL and write nothing.
 * The counters (stats.c) must count exactly what was signed, verified
 * and refused. Any disagreement aborts, for libFuzzer and for the gcc
 * harness (-DSTANDALONE) alike. The harness's files: sign_fuzz.h.
 */
#include "sign_fuzz.h"

void sign_fuzz_fail(const struct tc *t, const char *what, long a, long b)
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
		sign_fuzz_fail(t, "counter", cnt,
			       (long)(now - before->v[side][cnt]));
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
			sign_fuzz_fail(t, "an element alone does not verify",
				       i, err);
		free(kv.iov_base);
	}
}

/*
 * Flip one bit of the signed message: verify must refuse it, naming the
 * element, and write nothing. A bit in a field that shapes the message
 * may make it malformed instead (-EINVAL).
 */
static void check_flip(struct tc *t, struct in *in, struct smbsign_ctx *ctx,
		       u8 *flat)
{
	size_t bit = sign_fuzz_take(in, 4) % (t->total * 8), off = bit / 8, r;
	unsigned int j = t->nelem - 1, bad;
	bool shaping;
	struct counts c;
	int err;

	while (off < t->eoff[j])
		j--;
	r = off - t->eoff[j];
	/* ProtocolId, size; NextCommand; MessageId; Flags, SessionId */
	shaping = r < SMBSIGN_HDR_STRUCTURE_SIZE + 2 ||
		  (r >= SMBSIGN_HDR_NEXT_COMMAND &&
		   r < SMBSIGN_HDR_MESSAGE_ID) ||
		  (t->alg == SMBSIGN_ALG_AES_GMAC &&
		   r >= SMBSIGN_HDR_MESSAGE_ID &&
		   r < SMBSIGN_HDR_MESSAGE_ID + 8) ||
		  (t->nelem > 1 &&
		   ((r >= SMBSIGN_HDR_FLAGS && r < SMBSIGN_HDR_NEXT_COMMAND) ||
		    (r >= SMBSIGN_HDR_SESSION_ID && r < SMBSIGN_SIG_OFFSET)));
	flat[off] ^= 1 << (bit % 8);
	*sign_fuzz_flat_addr(t, off) ^= 1 << (bit % 8);
	sign_fuzz_expect(t, flat);
	read_counts(t, &c);
	err = do_verify(t, ctx, &bad);
	sign_fuzz_check_memory(t, "verify of a flipped message wrote to it");
	if (err == -EBADMSG && (t->shape != CHAIN || bad >= j)) {
		check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFY_FAILED, 1);
		if (!shaping && t->shape == CHAIN && bad != j)
			sign_fuzz_fail(t, "verify named the wrong element",
				       bad, j);
		if (!shaping)
			check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFIED, j);
	} else if (!(err == -EINVAL && shaping)) {
		sign_fuzz_fail(t, "a flipped bit was not refused", err,
			       (long)bit);
	}
	flat[off] ^= 1 << (bit % 8);
	*sign_fuzz_flat_addr(t, off) ^= 1 << (bit % 8);
	sign_fuzz_expect(t, flat);
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
		sign_fuzz_fail(t, "no context", PTR_ERR(signer),
			       PTR_ERR(verifier));

	read_counts(t, &c);
	err = do_sign(t, signer);
	if (spoilt) {
		sign_fuzz_check_memory(t, "a refused sign wrote");
		if (err != -EINVAL)
			sign_fuzz_fail(t, "a spoilt message was signed", err,
				       0);
		check_count(t, &c, t->side, SMBSIGN_CNT_SIGNED, 0);
		goto out;
	}
	if (err)
		sign_fuzz_fail(t, "sign failed", err, 0);
	check_count(t, &c, t->side, SMBSIGN_CNT_SIGNED, t->nelem);
	check_count(t, &c, t->side, SMBSIGN_CNT_BYTES_SIGNED, t->total);

	/* Now the memory must hold what OpenSSL says, byte for byte. */
	sign_fuzz_oracle(t, want);
	sign_fuzz_expect(t, want);
	sign_fuzz_check_memory(t, "signature differs from OpenSSL's");

	read_counts(t, &c);
	err = do_verify(t, verifier, &bad);
	sign_fuzz_check_memory(t, "verify wrote to the message");
	if (err)
		sign_fuzz_fail(t, "a signed message does not verify", err, bad);
	check_count(t, &c, !t->side, SMBSIGN_CNT_VERIFIED, t->nelem);
	check_count(t, &c, !t->side, SMBSIGN_CNT_BYTES_VERIFIED, t->total);
	verify_each(t, verifier, want);

	err = do_sign(t, signer);
	sign_fuzz_check_memory(t, "signing again changed the message");
	if (err != (t->alg == SMBSIGN_ALG_AES_GMAC ? -EEXIST : 0))
		sign_fuzz_fail(t, "signing again", err, 0);

	check_flip(t, in, verifier, want);
out:
	smbsign_ctx_free(signer);
	smbsign_ctx_free(verifier);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static bool ready;
	struct in in;
	struct tc *t;
	bool spoilt;

	if (!ready) {
		if (smbsign_stats_init())
			abort();
		ready = true;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	spoilt = sign_fuzz_decode(t, &in, data, len);
	run(t, &in, spoilt);
	sign_fuzz_free(t);
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

