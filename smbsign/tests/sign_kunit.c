// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: signing and verifying single messages through the public API.
 *
 * Known answers: real Windows AES-128-CMAC signatures (Microsoft Open
 * Specifications blog, SMB 3.1.1 multichannel appendix, including session
 * binding); HMAC-SHA256 and AES-128-GMAC answers for synthetic requests,
 * a CANCEL and an async response computed independently with OpenSSL 3.0
 * (Python cryptography 38). Properties: kvec and page splits, single-byte
 * tampering, untouched buffers on verify and on refusal, GMAC nonces.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include "../kat.h"
#include "kunit_util.h"

#define SESSION 0x1122334455667788ULL

static const enum smbsign_alg all_algs[] = {
	SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
};

static void alg_desc(const enum smbsign_alg *alg, char *desc)
{
	strscpy(desc, smbsign_alg_name(*alg), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(algs, all_algs, alg_desc);

/* A message: header plus @body_len bytes counting up from 0. */
static u8 *make_msg(struct kunit *test, u16 cmd, u32 flags, u64 mid,
		    size_t body_len, size_t *len)
{
	struct smbsign_kt_hdr h = {
		.command = cmd, .flags = flags, .message_id = mid,
		.session_id = SESSION,
	};
	u8 *buf = kunit_kzalloc(test, SMBSIGN_HDR_SIZE + body_len, GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	smbsign_kt_put_hdr(buf, &h);
	for (i = 0; i < body_len; i++)
		buf[SMBSIGN_HDR_SIZE + i] = i;
	*len = SMBSIGN_HDR_SIZE + body_len;
	return buf;
}

static u8 *sign_copy(struct kunit *test, struct smbsign_ctx *ctx,
		     const u8 *src, size_t len)
{
	u8 *buf = smbsign_kt_dup(test, src, len);

	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, buf, len, NULL, 0)),
			0);
	return buf;
}

static void windows_cmac_final_response(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC,
					 smbsign_kat_signing_key);
	size_t len;
	u8 *pkt = smbsign_kt_hex(test, smbsign_kt_ch1_packets[5], &len);

	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg(test, pkt, len,
								 NULL, 0)), 0);
}

/*
 * Session binding (MS-SMB2 3.3.5.5.3): the binding requests and the
 * interim response are signed with the session's key, the final response
 * with the new channel's key, and not the other way round.
 */
static void windows_cmac_session_binding(struct kunit *test)
{
	u8 *master = smbsign_kt_hex(test, "73fe7a9a77bef0bde49c650d8ccb5f76", NULL);
	u8 *chan = smbsign_kt_hex(test, "c962bca1a9dd1697b030644199705431", NULL);
	struct smbsign_ctx *mctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, master);
	struct smbsign_ctx *cctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, chan);
	unsigned int i;

	for (i = 2; i < SMBSIGN_KT_PACKETS; i++) {
		size_t len;
		u8 *pkt = smbsign_kt_hex(test, smbsign_kt_ch2_packets[i], &len);
		struct smbsign_msg *msg = smbsign_kt_msg(test, pkt, len, NULL, 0);
		bool final = i == SMBSIGN_KT_PACKETS - 1;

		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(final ? cctx : mctx,
							 msg), 0,
				    "packet %u, right key", i);
		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(final ? mctx : cctx,
							 msg), -EBADMSG,
				    "packet %u, wrong key", i);
	}
}

static void kat_each_algorithm(struct kunit *test)
{
	const struct smbsign_kat_sig *kat = test->param_value;
	/* The message is a response: a server context signs it. */
	struct smbsign_ctx *ctx = smbsign_kt_ctx_side(test, SMBSIGN_SERVER,
						      kat->alg, kat->key);
	u8 *buf = sign_copy(test, ctx, smbsign_kat_msg,
			    sizeof(smbsign_kat_msg));

	KUNIT_EXPECT_MEMEQ(test, buf + SMBSIGN_SIG_OFFSET, kat->sig,
			   SMBSIGN_SIG_SIZE);
}

static void kat_desc(const struct smbsign_kat_sig *kat, char *desc)
{
	strscpy(desc, smbsign_alg_name(kat->alg), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kats, smbsign_kat_sigs, kat_desc);

struct oracle_vec {
	const char *name;
	u16 cmd;
	u32 flags;
	u64 mid;
	size_t body;
	const char *sig[SMBSIGN_ALG_COUNT];
};

/* Answers computed with OpenSSL 3.0; key 10 11 .. 1f; see make_msg(). */
static const struct oracle_vec oracle_vecs[] = {
	{ "write-request", 0x0009, 0, 5, 200, {
	  "83b45bc684cf3ee0376466efe070a864",
	  "4a4d9402b42a73baf98c7782e62a6838",
	  "cf20e6a7ced190c671838fc955caf1c1" } },
	{ "cancel-request", 0x000c, 0, 7, 4, {
	  "3a853b68960ea29bcbeeaa13f0f49aa5",
	  "aee11bc7ef1c7e38d5b84f67821d507a",
	  "e9e0e01ed8d5eada80e0217961d035af" } },
	{ "async-response", 0x000f, 0x3, 9, 9, {
	  "213e93d363dfdb7865a414f873681cab",
	  "21b27c45699f257841ea9494e820489d",
	  "e0e27c55e1fdceb9cc138051484b2a1a" } },
};

static void oracle_desc(const struct oracle_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(oracle, oracle_vecs, oracle_desc);

static void independent_answers(struct kunit *test)
{
	const struct oracle_vec *v = test->param_value;
	unsigned int a;

	for (a = 0; a < SMBSIGN_ALG_COUNT; a++) {
		struct smbsign_ctx *ctx = smbsign_kt_ctx_side(test,
			v->flags & SMBSIGN_FLAG_SERVER_TO_REDIR ?
			SMBSIGN_SERVER : SMBSIGN_CLIENT, a, smbsign_kt_key);
		size_t len;
		u8 *buf = make_msg(test, v->cmd, v->flags, v->mid,
				   v->body, &len);

		/* The cancel body is StructureSize 4, Reserved 0. */
		if (v->cmd == 0x000c)
			memcpy(buf + SMBSIGN_HDR_SIZE, "\x04\0\0\0", 4);
		KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, buf, len,
								       NULL, 0)), 0);
		smbsign_kt_expect_sig(test, buf, v->sig[a]);
	}
}

static void sign_sets_flag_only(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, i;
	u8 *orig = make_msg(test, 8, 0, 11, 100, &len);
	u8 *buf = sign_copy(test, ctx, orig, len);

	KUNIT_EXPECT_EQ(test, buf[16], SMBSIGN_FLAG_SIGNED);
	for (i = 0; i < len; i++) {
		if (i == 16 || (i >= SMBSIGN_SIG_OFFSET &&
				i < SMBSIGN_SIG_OFFSET + SMBSIGN_SIG_SIZE))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, buf[i], orig[i], "byte %zu", i);
	}
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(buf + SMBSIGN_SIG_OFFSET, 0,
					       SMBSIGN_SIG_SIZE));
}

/* Any kvec split, even inside the header and the Signature field. */
static void kvec_split_invariance(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, cut, cuts[3];
	u8 *orig = make_msg(test, 9, 0, 21, 91, &len);
	u8 *want = sign_copy(test, ctx, orig, len);
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	struct smbsign_msg *msg;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (cut = 0; cut <= len; cut++) {
		/* A fresh context: AES-GMAC signs a MessageId only once. */
		struct smbsign_ctx *fresh = smbsign_kt_ctx(test, alg,
							   smbsign_kt_key);

		memcpy(buf, orig, len);
		cuts[0] = cut / 3;
		cuts[1] = cut;
		cuts[2] = cut + (len - cut) / 2;
		KUNIT_ASSERT_EQ(test, smbsign_sign(fresh, smbsign_kt_msg(test, buf, len,
									 cuts, 3)), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf, want, len, "cut %zu", cut);
		msg = smbsign_kt_msg(test, want, len, &cut, 1);
		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(ctx, msg), 0,
				    "cut %zu", cut);
	}
}

/* One kvec per byte: the extreme scatter-gather case. */
static void byte_per_kvec(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, i, *cuts;
	u8 *orig = make_msg(test, 9, 0, 22, 77, &len);
	u8 *want = sign_copy(test, ctx, orig, len);

	cuts = kunit_kcalloc(test, len - 1, sizeof(*cuts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cuts);
	for (i = 0; i < len - 1; i++)
		cuts[i] = i + 1;
	/* A fresh context: AES-GMAC signs a MessageId only once. */
	ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, orig, len, cuts,
							       len - 1)), 0);
	KUNIT_EXPECT_MEMEQ(test, orig, want, len);
}

/* READ/WRITE payload in pages behind an ITER_BVEC, as cifs passes it. */
static void pages_payload(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, head;
	u8 *orig = make_msg(test, 9, 0, 23, 3 * PAGE_SIZE + 123, &len);
	u8 *want = sign_copy(test, ctx, orig, len);

	for (head = SMBSIGN_HDR_SIZE; head <= 200; head += 68) {
		struct smbsign_msg *msg = smbsign_kt_msg_pages(test, want, len, head);

		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(ctx, msg), 0,
				    "head %zu", head);
		/* Tampering with the payload in the pages must be caught. */
		want[len - 1] ^= 1;
		msg = smbsign_kt_msg_pages(test, want, len, head);
		want[len - 1] ^= 1;
		KUNIT_EXPECT_EQ_MSG(test, smbsign_verify(ctx, msg), -EBADMSG,
				    "head %zu", head);
	}
}

static void vfree_action(void *p)
{
	vfree(p);
}

/*
 * A 1 MiB WRITE: more pages than GMAC's inline scatterlist holds, and a
 * vmalloc'ed buffer as ksmbd uses for large responses.
 */
static void large_message(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len = SZ_1M + SMBSIGN_HDR_SIZE, i;
	struct smbsign_kt_hdr h = { .command = 9, .message_id = 24,
			    .session_id = SESSION };
	u8 *buf = vmalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_action,
							buf), 0);
	smbsign_kt_put_hdr(buf, &h);
	for (i = SMBSIGN_HDR_SIZE; i < len; i++)
		buf[i] = i * 7;
	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, buf, len, NULL,
							       0)), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg_pages(test, buf, len,
								       SMBSIGN_HDR_SIZE)),
			0);
	buf[len / 2] ^= 0x10;
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg(test, buf, len, NULL,
								 0)), -EBADMSG);
}

/*
 * GMAC's scatterlist grows once to the largest message and stays: signing
 * the same large message again must not reallocate it. The scatterlist is
 * the crypto API path's: the test forces it (the fast path has none).
 */
static void gmac_sg_reused(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_GMAC,
						 smbsign_kt_key);
	size_t len = SZ_256K + SMBSIGN_HDR_SIZE;
	struct smbsign_kt_hdr h = { .command = 9, .message_id = 25,
				    .session_id = SESSION };
	struct scatterlist *sg;
	unsigned int sg_max;
	u8 *buf = vmalloc(len);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfree_action,
							buf), 0);
	smbsign_kt_crypto_api_only(test);
	memset(buf, 0x5a, len);
	smbsign_kt_put_hdr(buf, &h);
	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg_pages(test, buf, len,
								     SMBSIGN_HDR_SIZE)),
			0);
	sg = ctx->mac.sg;
	sg_max = ctx->mac.sg_max;
	KUNIT_EXPECT_GT(test, sg_max, SMBSIGN_GMAC_SG_INLINE);
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg_pages(test, buf, len,
								       SMBSIGN_HDR_SIZE)),
			0);
	KUNIT_EXPECT_PTR_EQ(test, ctx->mac.sg, sg);
	KUNIT_EXPECT_EQ(test, ctx->mac.sg_max, sg_max);
}

/*
 * Every single-bit change anywhere in the message or its signature makes
 * verify fail: -EBADMSG, or -EINVAL where the change breaks the header.
 */
static void any_flip_fails(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, i;
	u8 *buf = make_msg(test, 5, 0, 25, 57, &len);
	struct smbsign_msg *msg = smbsign_kt_msg(test, buf, len, NULL, 0);
	u8 bit;

	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, msg), 0);
	for (i = 0; i < len; i++) {
		for (bit = 1; bit; bit <<= 1) {
			int err;

			buf[i] ^= bit;
			err = smbsign_verify(ctx, msg);
			buf[i] ^= bit;
			KUNIT_EXPECT_TRUE_MSG(test, err == -EBADMSG ||
					      err == -EINVAL,
					      "byte %zu bit %02x: %d", i, bit,
					      err);
		}
	}
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, msg), 0);
}

static void verify_leaves_buffer(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	size_t len, cut = 50;
	u8 *orig = make_msg(test, 5, 0, 26, 40, &len);
	u8 *buf = sign_copy(test, ctx, orig, len);
	u8 *copy = smbsign_kt_dup(test, buf, len);

	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg(test, buf, len,
								 &cut, 1)), 0);
	KUNIT_EXPECT_MEMEQ(test, buf, copy, len);
	buf[SMBSIGN_SIG_OFFSET + 3] ^= 4;
	copy[SMBSIGN_SIG_OFFSET + 3] ^= 4;
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, smbsign_kt_msg(test, buf, len,
								 &cut, 1)), -EBADMSG);
	KUNIT_EXPECT_MEMEQ(test, buf, copy, len);
}

/* WindowsProtocolTestSuites Signing_WrongSessionKey_Rejected_*. */
static void wrong_key_rejected(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	u8 other[SMBSIGN_KEY_SIZE];
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key), *octx;
	size_t len;
	u8 *orig = make_msg(test, 5, 0, 27, 30, &len);
	u8 *buf = sign_copy(test, ctx, orig, len);

	memcpy(other, smbsign_kt_key, sizeof(other));
	other[15] ^= 1;
	octx = smbsign_kt_ctx(test, alg, other);
	KUNIT_EXPECT_EQ(test, smbsign_verify(octx, smbsign_kt_msg(test, buf, len, NULL,
								  0)), -EBADMSG);
}

/* MS-SMB2 3.1.4.1: MessageId, then bit 0 response, bit 1 CANCEL. */
static void gmac_nonce_bits(struct kunit *test)
{
	static const struct {
		u16 cmd;
		u32 flags;
		u8 role;
	} cases[] = {
		{ 0x0008, 0, 0 },
		{ 0x0008, SMBSIGN_FLAG_SERVER_TO_REDIR, 1 },
		{ 0x000c, 0, 2 },
		{ 0x000c, SMBSIGN_FLAG_ASYNC_COMMAND, 2 },
		{ 0x000c, SMBSIGN_FLAG_SERVER_TO_REDIR, 3 },
		{ 0x0008, SMBSIGN_FLAG_SIGNED | SMBSIGN_FLAG_ASYNC_COMMAND, 0 },
	};
	static const u8 mid_le[8] = { 0x08, 0x07, 0x06, 0x05,
				      0x04, 0x03, 0x02, 0x01 };
	u8 nonce[12];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct smbsign_hdr h = {
			.message_id = 0x0102030405060708ULL,
			.flags = cases[i].flags,
			.command = cases[i].cmd,
		};
		u8 want[12] = { 0 };

		memcpy(want, mid_le, sizeof(mid_le));
		want[8] = cases[i].role;
		smbsign_gmac_nonce(&h, nonce);
		KUNIT_EXPECT_MEMEQ_MSG(test, nonce, want, sizeof(want),
				       "case %u", i);
	}
}

static void gmac_refuses_reserved_message_ids(struct kunit *test)
{
	static const u64 mids[] = { 0, U64_MAX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mids); i++) {
		size_t len;
		u8 *buf = make_msg(test, 8, 0, mids[i], 16, &len);
		u8 *copy = smbsign_kt_dup(test, buf, len);
		struct smbsign_msg *msg = smbsign_kt_msg(test, buf, len, NULL, 0);
		struct smbsign_ctx *g = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_GMAC,
					       smbsign_kt_key);
		struct smbsign_ctx *c = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC,
					       smbsign_kt_key);

		KUNIT_EXPECT_EQ(test, smbsign_sign(g, msg), -EINVAL);
		KUNIT_EXPECT_EQ(test, smbsign_verify(g, msg), -EINVAL);
		KUNIT_EXPECT_MEMEQ(test, buf, copy, len);
		/* The older algorithms have no nonce to reuse. */
		KUNIT_EXPECT_EQ(test, smbsign_sign(c, msg), 0);
		KUNIT_EXPECT_EQ(test, smbsign_verify(c, msg), 0);
	}
}

/* Malformed input: a clear error and an untouched buffer. */
static void malformed_refused(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct smbsign_msg none = { .iov = NULL, .nr_iov = 1 }, *msg;
	size_t len, head = 40, huge_len = SMBSIGN_MSG_MAX + 1;
	u8 *buf = make_msg(test, 8, 0, 30, 300, &len);
	u8 *copy = smbsign_kt_dup(test, buf, len);
	struct kvec huge = { .iov_base = buf, .iov_len = huge_len };
	struct smbsign_msg big = { .iov = &huge, .nr_iov = 1 };
	static const struct {
		unsigned int off;
		u8 val;
	} breaks[] = {
		{ 0, 0xfd },	/* transform header */
		{ 0, 0xff },	/* SMB1 */
		{ 3, 'b' },
		{ 4, 65 },	/* StructureSize */
		{ 5, 1 },
		{ 20, 8 },	/* NextCommand 8: shorter than a header */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(breaks); i++) {
		buf[breaks[i].off] = breaks[i].val;
		msg = smbsign_kt_msg(test, buf, len, NULL, 0);
		KUNIT_EXPECT_EQ_MSG(test, smbsign_sign(ctx, msg), -EINVAL,
				    "case %u", i);
		buf[breaks[i].off] = copy[breaks[i].off];
	}
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, buf, 63, NULL, 0)),
			-EINVAL);
	/* The header must be in the kvecs, not in the data pages. */
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg_pages(test, buf, len,
								     head)), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, &none), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_sign(NULL, smbsign_kt_msg(test, buf, len, NULL,
								0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, &big), -EMSGSIZE);
	KUNIT_EXPECT_MEMEQ(test, buf, copy, len);
}

static struct kunit_case sign_cases[] = {
	KUNIT_CASE(windows_cmac_final_response),
	KUNIT_CASE(windows_cmac_session_binding),
	KUNIT_CASE_PARAM(kat_each_algorithm, kats_gen_params),
	KUNIT_CASE_PARAM(independent_answers, oracle_gen_params),
	KUNIT_CASE_PARAM(sign_sets_flag_only, algs_gen_params),
	KUNIT_CASE_PARAM(kvec_split_invariance, algs_gen_params),
	KUNIT_CASE_PARAM(byte_per_kvec, algs_gen_params),
	KUNIT_CASE_PARAM(pages_payload, algs_gen_params),
	KUNIT_CASE(gmac_sg_reused),
	KUNIT_CASE_PARAM(large_message, algs_gen_params),
	KUNIT_CASE_PARAM(any_flip_fails, algs_gen_params),
	KUNIT_CASE_PARAM(verify_leaves_buffer, algs_gen_params),
	KUNIT_CASE_PARAM(wrong_key_rejected, algs_gen_params),
	KUNIT_CASE(gmac_nonce_bits),
	KUNIT_CASE(gmac_refuses_reserved_message_ids),
	KUNIT_CASE(malformed_refused),
	{}
};

static struct kunit_suite sign_suite = {
	.name = "smbsign_sign",
	.test_cases = sign_cases,
};

kunit_test_suite(sign_suite);
