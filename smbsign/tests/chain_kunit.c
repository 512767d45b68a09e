// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: compound chains (MS-SMB2 3.2.4.1.4, 3.3.4.1.3) and the header
 * walker. The edge cases are the bug classes of real SMB signing code:
 * lengths taken from NextCommand (CVE-2023-3865, CVE-2023-38432), chains
 * that loop or lose state on a bad signature (CVE-2026-23220), elements of
 * another session (CVE-2023-52442).
 */
#include <kunit/test.h>

#include "kunit_util.h"

#define SID 0x0000100000000019ULL

struct chain {
	u8 *buf;
	size_t len;
	size_t off[3];
	size_t elen[3];
};

/*
 * Three elements: 88 bytes, a related 72-byte element inheriting the
 * session (SessionId 0xFFFF...), and a last element of 77 bytes. Each is
 * allocated exactly, so KASAN sees any read past the end.
 */
static struct chain *make_chain(struct kunit *test)
{
	static const size_t body[3] = { 24, 8, 13 };
	struct chain *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	size_t off = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	for (i = 0; i < 3; i++) {
		c->off[i] = off;
		c->elen[i] = SMBSIGN_HDR_SIZE + body[i];
		off += c->elen[i];
	}
	c->len = off;
	c->buf = kunit_kzalloc(test, c->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->buf);
	for (i = 0; i < 3; i++) {
		struct smbsign_kt_hdr h = {
			.command = 5 + i,
			.message_id = 40 + i,
			.session_id = i == 1 ? SMBSIGN_SESSION_ID_INHERIT : SID,
			.flags = i ? SMBSIGN_FLAG_RELATED_OPERATIONS : 0,
			.next_command = i < 2 ? c->elen[i] : 0,
		};

		smbsign_kt_put_hdr(c->buf + c->off[i], &h);
		memset(c->buf + c->off[i] + SMBSIGN_HDR_SIZE, 0xa0 + i,
		       c->elen[i] - SMBSIGN_HDR_SIZE);
	}
	return c;
}

static void set_next(struct chain *c, unsigned int i, u32 next)
{
	u8 *p = c->buf + c->off[i] + SMBSIGN_HDR_NEXT_COMMAND;

	p[0] = next;
	p[1] = next >> 8;
	p[2] = next >> 16;
	p[3] = next >> 24;
}

static struct smbsign_msg *whole(struct kunit *test, struct chain *c)
{
	return smbsign_kt_msg(test, c->buf, c->len, NULL, 0);
}

/* Each element is signed on its own, exactly as if sent alone. */
static void chain_signs_each_element(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);
	unsigned int i, bad = 99;

	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, whole(test, c)), 0);
	for (i = 0; i < 3; i++) {
		u8 *one = smbsign_kt_dup(test, c->buf + c->off[i], c->elen[i]);

		/* A fresh context: AES-GMAC signs a MessageId only once. */
		struct smbsign_ctx *fresh = smbsign_kt_ctx(test,
							   SMBSIGN_ALG_AES_GMAC,
							   smbsign_kt_key);

		memset(one + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
		KUNIT_ASSERT_EQ(test, smbsign_sign(fresh, smbsign_kt_msg(test, one,
									 c->elen[i], NULL, 0)), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, one, c->buf + c->off[i],
				       c->elen[i], "element %u", i);
	}
	KUNIT_EXPECT_EQ(test, smbsign_verify_chain(ctx, whole(test, c), &bad),
			0);
	KUNIT_EXPECT_EQ(test, bad, 99);
}

static void chain_split_kvecs(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_HMAC_SHA256, smbsign_kt_key);
	struct chain *c = make_chain(test);
	size_t cuts[] = { 10, 87, 89, 100, 170, 200 };
	u8 *want = smbsign_kt_dup(test, c->buf, c->len);

	struct smbsign_msg *split = smbsign_kt_msg(test, c->buf, c->len, cuts,
						    ARRAY_SIZE(cuts));

	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, smbsign_kt_msg(test, want, c->len,
								     NULL, 0)), 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, split), 0);
	KUNIT_EXPECT_MEMEQ(test, c->buf, want, c->len);
}

/* A bad element stops the walk at that element and names it. */
static void chain_bad_signature_named(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);
	unsigned int i, bad;

	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, whole(test, c)), 0);
	for (i = 0; i < 3; i++) {
		u8 *p = c->buf + c->off[i] + SMBSIGN_HDR_SIZE + 2;

		bad = 99;
		*p ^= 1;
		KUNIT_EXPECT_EQ(test, smbsign_verify_chain(ctx, whole(test, c),
							   &bad), -EBADMSG);
		KUNIT_EXPECT_EQ(test, bad, i);
		*p ^= 1;
	}
	KUNIT_EXPECT_EQ(test, smbsign_verify_chain(ctx, whole(test, c), NULL),
			0);
}

/* NextCommand 0 ends the chain: the element runs to the end. */
static void chain_next_zero_mid_chain(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);
	u8 *one;

	set_next(c, 0, 0);
	one = smbsign_kt_dup(test, c->buf, c->len);
	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, whole(test, c)), 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, one, c->len, NULL,
							       0)), 0);
	KUNIT_EXPECT_MEMEQ(test, c->buf, one, c->len);
	/* The "second" element is payload now: its signature stays zero. */
	KUNIT_EXPECT_NULL(test, memchr_inv(c->buf + c->off[1] +
					   SMBSIGN_SIG_OFFSET, 0,
					   SMBSIGN_SIG_SIZE));
}

static void expect_refused(struct kunit *test, struct smbsign_ctx *ctx,
			   struct chain *c, const char *what)
{
	u8 *copy = smbsign_kt_dup(test, c->buf, c->len);
	unsigned int bad = 99;

	KUNIT_EXPECT_EQ_MSG(test, smbsign_sign_chain(ctx, whole(test, c)),
			    -EINVAL, "%s", what);
	KUNIT_EXPECT_MEMEQ_MSG(test, c->buf, copy, c->len, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, smbsign_verify_chain(ctx, whole(test, c),
						       &bad), -EINVAL, "%s",
			    what);
	KUNIT_EXPECT_NE(test, bad, 99);
}

static void chain_next_unaligned(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);

	set_next(c, 0, c->elen[0] - 1);
	expect_refused(test, ctx, c, "unaligned");
	set_next(c, 0, c->elen[0] + 4);
	expect_refused(test, ctx, c, "unaligned, 4");
}

static void chain_next_beyond_buffer(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);

	set_next(c, 1, round_up(c->len + 64, 8));
	expect_refused(test, ctx, c, "past the end");
	set_next(c, 1, c->elen[1]);
	/* Exactly at the end: an empty element. */
	set_next(c, 0, round_up(c->len, 8));
	expect_refused(test, ctx, c, "at the end");
	/* A tail of 5 bytes cannot hold a header. */
	set_next(c, 0, round_down(c->len - 5, 8));
	expect_refused(test, ctx, c, "short tail");
}

/* 0xFFFFFFF8 is -8 to code that takes NextCommand as signed. */
static void chain_next_backwards(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);

	set_next(c, 1, 0xfffffff8);
	expect_refused(test, ctx, c, "backwards");
	set_next(c, 1, 0x80000000);
	expect_refused(test, ctx, c, "sign bit");
}

static void chain_next_shorter_than_header(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);

	set_next(c, 0, 56);
	expect_refused(test, ctx, c, "56");
	set_next(c, 0, 8);
	expect_refused(test, ctx, c, "8");
}

/*
 * A last element of exactly 64 bytes in an exactly-sized buffer: the
 * case that once read one byte past the slab (CVE-2023-38432).
 */
static void chain_last_element_64(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key);
	size_t len = 72 + SMBSIGN_HDR_SIZE;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct smbsign_kt_hdr h0 = { .command = 5, .message_id = 50,
			     .session_id = SID, .next_command = 72 };
	struct smbsign_kt_hdr h1 = { .command = 6, .message_id = 51,
			     .session_id = SID };

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	smbsign_kt_put_hdr(buf, &h0);
	smbsign_kt_put_hdr(buf + 72, &h1);
	KUNIT_EXPECT_EQ(test, smbsign_sign_chain(ctx, smbsign_kt_msg(test, buf, len,
								     NULL, 0)), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify_chain(ctx, smbsign_kt_msg(test, buf, len,
								       NULL, 0),
						   NULL), 0);
}

static void chain_foreign_session(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);
	u8 *sid = c->buf + c->off[2] + SMBSIGN_HDR_SESSION_ID;

	sid[0] ^= 1;
	expect_refused(test, ctx, c, "other session");
	sid[0] ^= 1;
	/* 0xFFFF... inherits the session only on a related operation. */
	c->buf[c->off[1] + SMBSIGN_HDR_FLAGS] &= ~SMBSIGN_FLAG_RELATED_OPERATIONS;
	expect_refused(test, ctx, c, "unrelated inherit");
}

/* A malformed last element: nothing before it is signed either. */
static void chain_checked_before_signing(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);

	c->buf[c->off[2]] = 0xfd;
	expect_refused(test, ctx, c, "bad last header");
}

/* 200 minimal elements: the walk is bounded and signs them all. */
static void chain_many_elements(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_HMAC_SHA256, smbsign_kt_key);
	const unsigned int n = 200;
	u8 *buf = kunit_kzalloc(test, n * SMBSIGN_HDR_SIZE, GFP_KERNEL);
	struct smbsign_msg *msg;
	unsigned int i, bad = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < n; i++) {
		struct smbsign_kt_hdr h = {
			.command = 13, .message_id = 100 + i,
			.session_id = SID,
			.next_command = i + 1 < n ? SMBSIGN_HDR_SIZE : 0,
		};

		smbsign_kt_put_hdr(buf + i * SMBSIGN_HDR_SIZE, &h);
	}
	msg = smbsign_kt_msg(test, buf, n * SMBSIGN_HDR_SIZE, NULL, 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign_chain(ctx, msg), 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NE(test, buf[i * SMBSIGN_HDR_SIZE + SMBSIGN_HDR_FLAGS] &
				SMBSIGN_FLAG_SIGNED, 0);
	buf[(n - 1) * SMBSIGN_HDR_SIZE + SMBSIGN_SIG_OFFSET] ^= 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify_chain(ctx, msg, &bad), -EBADMSG);
	KUNIT_EXPECT_EQ(test, bad, n - 1);
}

/* One element of a compound in its own buffer, NextCommand = its size. */
static void single_padded_element(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_CMAC, smbsign_kt_key);
	struct chain *c = make_chain(test);
	u8 *one = smbsign_kt_dup(test, c->buf, c->elen[0]);

	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, one, c->elen[0],
							       NULL, 0)), 0);
	/* The same bytes as the head of a longer buffer are a chain. */
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, whole(test, c)), -EINVAL);
	one[SMBSIGN_HDR_NEXT_COMMAND] -= 8;
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, smbsign_kt_msg(test, one, c->elen[0],
							       NULL, 0)), -EINVAL);
}

static void walker_parse(struct kunit *test)
{
	struct chain *c = make_chain(test);
	struct smbsign_hdr h;

	KUNIT_EXPECT_EQ(test, smbsign_hdr_parse(NULL, 64, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_hdr_parse(c->buf, 63, &h), -EINVAL);
	KUNIT_ASSERT_EQ(test, smbsign_hdr_parse(c->buf + c->off[1], 64, &h), 0);
	KUNIT_EXPECT_EQ(test, h.command, 6);
	KUNIT_EXPECT_EQ(test, h.message_id, 41);
	KUNIT_EXPECT_EQ(test, h.session_id, SMBSIGN_SESSION_ID_INHERIT);
	KUNIT_EXPECT_EQ(test, h.flags, SMBSIGN_FLAG_RELATED_OPERATIONS);
	KUNIT_EXPECT_EQ(test, h.next_command, 72);
}

static void walker_elem_len(struct kunit *test)
{
	static const struct {
		u32 next;
		size_t off, total, want;
		int err;
	} cases[] = {
		{ 0, 0, 64, 64, 0 },
		{ 0, 0, 63, 0, -EINVAL },
		{ 0, 64, 100, 0, -EINVAL },
		{ 0, 200, 100, 0, -EINVAL },
		{ 64, 0, 128, 64, 0 },
		{ 64, 0, 127, 0, -EINVAL },
		{ 72, 0, 200, 72, 0 },
		{ 68, 0, 200, 0, -EINVAL },
		{ 136, 0, 200, 136, 0 },
		{ 144, 0, 200, 0, -EINVAL },
		{ 0xfffffff8, 0, 200, 0, -EINVAL },
		{ 64, 8, 136, 64, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct smbsign_hdr h = { .next_command = cases[i].next };
		size_t len = 0;
		int err;

		err = smbsign_chain_elem_len(&h, cases[i].off, cases[i].total,
					     &len);
		KUNIT_EXPECT_EQ_MSG(test, err, cases[i].err, "case %u", i);
		if (!cases[i].err)
			KUNIT_EXPECT_EQ_MSG(test, len, cases[i].want,
					    "case %u", i);
	}
}

static struct kunit_case chain_cases[] = {
	KUNIT_CASE(chain_signs_each_element),
	KUNIT_CASE(chain_split_kvecs),
	KUNIT_CASE(chain_bad_signature_named),
	KUNIT_CASE(chain_next_zero_mid_chain),
	KUNIT_CASE(chain_next_unaligned),
	KUNIT_CASE(chain_next_beyond_buffer),
	KUNIT_CASE(chain_next_backwards),
	KUNIT_CASE(chain_next_shorter_than_header),
	KUNIT_CASE(chain_last_element_64),
	KUNIT_CASE(chain_foreign_session),
	KUNIT_CASE(chain_checked_before_signing),
	KUNIT_CASE(chain_many_elements),
	KUNIT_CASE(single_padded_element),
	KUNIT_CASE(walker_parse),
	KUNIT_CASE(walker_elem_len),
	{}
};

static struct kunit_suite chain_suite = {
	.name = "smbsign_chain",
	.test_cases = chain_cases,
};

kunit_test_suite(chain_suite);
