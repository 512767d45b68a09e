// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the AES-GMAC nonce guard. Two GMAC tags under one key and one
 * nonce give away the GHASH key, so a context must never sign one
 * MessageId twice in one role (MS-SMB2 3.1.4.1), whatever order, whatever
 * threads, whatever MessageId.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kunit_util.h"

#define W		SMBSIGN_NONCE_WINDOW
#define CMD_READ	0x0008
#define CMD_CANCEL	SMBSIGN_CMD_CANCEL
#define MSG_LEN		120

struct signer {
	struct kunit *test;
	struct smbsign_ctx *ctx;
	u8 *buf;
	struct smbsign_msg *msg;
};

static void signer_init(struct kunit *test, struct signer *s,
			enum smbsign_side side, enum smbsign_alg alg)
{
	s->test = test;
	s->ctx = smbsign_kt_ctx_side(test, side, alg, smbsign_kt_key);
	s->buf = kunit_kzalloc(test, MSG_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->buf);
	s->msg = smbsign_kt_msg(test, s->buf, MSG_LEN, NULL, 0);
}

/* Sign a fresh message with @mid and @cmd in the signer's direction. */
static int sign_mid(struct signer *s, u64 mid, u16 cmd)
{
	struct smbsign_kt_hdr h = {
		.command = cmd, .message_id = mid, .session_id = 0x55,
		.flags = s->ctx->side == SMBSIGN_SERVER ?
			 SMBSIGN_FLAG_SERVER_TO_REDIR : 0,
	};

	smbsign_kt_put_hdr(s->buf, &h);
	memset(s->buf + SMBSIGN_HDR_SIZE, (u8)mid, MSG_LEN - SMBSIGN_HDR_SIZE);
	return smbsign_sign(s->ctx, s->msg);
}

static const u8 zero_sig[SMBSIGN_SIG_SIZE];

static void nonce_repeat_refused(struct kunit *test)
{
	struct signer s;
	u8 *first;
	u64 refused;

	signer_init(test, &s, SMBSIGN_SERVER, SMBSIGN_ALG_AES_GMAC);
	refused = smbsign_stats_read(SMBSIGN_SERVER, SMBSIGN_ALG_AES_GMAC,
				     SMBSIGN_CNT_NONCE_REFUSED);
	KUNIT_ASSERT_EQ(test, sign_mid(&s, 5, CMD_READ), 0);
	first = smbsign_kt_dup(test, s.buf, MSG_LEN);

	/* The same MessageId over another message: refused, nothing written. */
	s.buf[SMBSIGN_HDR_SIZE + 3] ^= 0x40;
	s.buf[SMBSIGN_HDR_FLAGS] &= ~SMBSIGN_FLAG_SIGNED;
	memset(s.buf + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
	KUNIT_EXPECT_EQ(test, smbsign_sign(s.ctx, s.msg), -EEXIST);
	KUNIT_EXPECT_FALSE(test, s.buf[SMBSIGN_HDR_FLAGS] & SMBSIGN_FLAG_SIGNED);
	KUNIT_EXPECT_MEMEQ(test, s.buf + SMBSIGN_SIG_OFFSET, zero_sig,
			   SMBSIGN_SIG_SIZE);
	/* The very same message again: refused as well. */
	memcpy(s.buf, first, MSG_LEN);
	KUNIT_EXPECT_EQ(test, smbsign_sign(s.ctx, s.msg), -EEXIST);
	KUNIT_EXPECT_MEMEQ(test, s.buf, first, MSG_LEN);
	KUNIT_EXPECT_EQ(test, smbsign_stats_read(SMBSIGN_SERVER,
						 SMBSIGN_ALG_AES_GMAC,
						 SMBSIGN_CNT_NONCE_REFUSED),
			refused + 2);
	/* Verifying signs nothing: it may run any number of times. */
	KUNIT_EXPECT_EQ(test, smbsign_verify(s.ctx, s.msg), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(s.ctx, s.msg), 0);
}

/* The CANCEL bit is part of the nonce: one signature per MessageId each. */
static void nonce_cancel_is_another_role(struct kunit *test)
{
	struct signer s;

	signer_init(test, &s, SMBSIGN_CLIENT, SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 40, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 40, CMD_CANCEL), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 40, CMD_CANCEL), -EEXIST);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 40, CMD_READ), -EEXIST);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 41, CMD_READ), 0);
}

/* Responses complete out of order: any order within the window is fine. */
static void nonce_out_of_order(struct kunit *test)
{
	static const u64 mids[] = { 10, 8, 9, 7, 300, 12, 11, 299, 2 };
	struct signer s;
	unsigned int i;

	signer_init(test, &s, SMBSIGN_SERVER, SMBSIGN_ALG_AES_GMAC);
	for (i = 0; i < ARRAY_SIZE(mids); i++)
		KUNIT_EXPECT_EQ_MSG(test, sign_mid(&s, mids[i], CMD_READ), 0,
				    "mid %llu", mids[i]);
	for (i = 0; i < ARRAY_SIZE(mids); i++)
		KUNIT_EXPECT_EQ_MSG(test, sign_mid(&s, mids[i], CMD_READ),
				    -EEXIST, "mid %llu again", mids[i]);
}

/* Below the window it cannot tell a repeat: refused, fail closed. */
static void nonce_below_window(struct kunit *test)
{
	struct signer s;

	signer_init(test, &s, SMBSIGN_CLIENT, SMBSIGN_ALG_AES_GMAC);
	KUNIT_ASSERT_EQ(test, sign_mid(&s, W + 100, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 100, CMD_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 1, CMD_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 101, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 101, CMD_READ), -EEXIST);
}

/*
 * Moving up forgets what falls out: a MessageId exactly one window above
 * a signed one shares its bit, and must not be mistaken for it.
 */
static void nonce_window_moves(struct kunit *test)
{
	struct signer s;
	u64 m;

	signer_init(test, &s, SMBSIGN_SERVER, SMBSIGN_ALG_AES_GMAC);
	for (m = 1; m <= 70; m++)
		KUNIT_ASSERT_EQ(test, sign_mid(&s, m, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 5 + W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 6 + W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 70 + W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 64 + W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 5, CMD_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 71, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 64 + W, CMD_READ), -EEXIST);
	/* A jump of many windows clears everything. */
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 70 + 5 * W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 71 + 4 * W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 70 + 4 * W, CMD_READ), -ERANGE);
}

/* MessageIds at the ends of the 64-bit range. */
static void nonce_wraparound(struct kunit *test)
{
	struct signer s;

	signer_init(test, &s, SMBSIGN_CLIENT, SMBSIGN_ALG_AES_GMAC);
	/* 0 and 0xFFFF... are never unique (MS-SMB2 3.2.4.1.3). */
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 0, CMD_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX, CMD_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX - 1, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX - 1, CMD_READ), -EEXIST);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX - W, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX - W - 1, CMD_READ), -ERANGE);
	/* Nothing wraps back to small MessageIds. */
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 1, CMD_READ), -ERANGE);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, U64_MAX - 2, CMD_READ), 0);
}

/* A context signs only its own direction, so the peer's nonces are safe. */
static void nonce_own_direction_only(struct kunit *test)
{
	static const enum smbsign_alg algs[] = {
		SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC,
		SMBSIGN_ALG_AES_GMAC,
	};
	struct smbsign_kt_hdr h = { .command = CMD_READ, .message_id = 9,
				    .session_id = 1 };
	struct signer s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		signer_init(test, &s, SMBSIGN_CLIENT, algs[i]);
		h.flags = SMBSIGN_FLAG_SERVER_TO_REDIR;
		smbsign_kt_put_hdr(s.buf, &h);
		KUNIT_EXPECT_EQ(test, smbsign_sign(s.ctx, s.msg), -EINVAL);
		signer_init(test, &s, SMBSIGN_SERVER, algs[i]);
		h.flags = 0;
		smbsign_kt_put_hdr(s.buf, &h);
		KUNIT_EXPECT_EQ(test, smbsign_sign(s.ctx, s.msg), -EINVAL);
		h.flags = SMBSIGN_FLAG_SERVER_TO_REDIR;
		smbsign_kt_put_hdr(s.buf, &h);
		KUNIT_EXPECT_EQ(test, smbsign_sign(s.ctx, s.msg), 0);
	}
}

/* Only GMAC has a nonce: the MAC algorithms sign a MessageId again. */
static void nonce_only_gmac_is_guarded(struct kunit *test)
{
	struct signer s;

	signer_init(test, &s, SMBSIGN_CLIENT, SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 3, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 3, CMD_READ), 0);
	signer_init(test, &s, SMBSIGN_CLIENT, SMBSIGN_ALG_HMAC_SHA256);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 3, CMD_READ), 0);
	KUNIT_EXPECT_EQ(test, sign_mid(&s, 3, CMD_READ), 0);
}

/*
 * The window against a plain model: every MessageId signed so far in a
 * bitmap of its own. Random MessageIds in a range of a few windows, in
 * random order and with repeats.
 */
static void nonce_window_matches_model(struct kunit *test)
{
	const u64 span = 3 * W;
	struct smbsign_nonce_window *w;
	unsigned long *seen;
	u64 top = 0, mid;
	bool used = false;
	unsigned int i;
	int want, got;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	seen = kunit_kzalloc(test, BITS_TO_LONGS(span) * sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < 200000; i++) {
		/* Mostly near the top, sometimes far, sometimes repeats. */
		if (used && get_random_u32_below(4))
			mid = top > 200 ? top - 200 + get_random_u32_below(300) :
					  get_random_u32_below(300);
		else
			mid = get_random_u32_below(span);
		if (mid >= span)
			mid = span - 1;
		if (!used || mid > top)
			want = 0;
		else if (top - mid >= W)
			want = -ERANGE;
		else if (test_bit(mid, seen))
			want = -EEXIST;
		else
			want = 0;
		got = smbsign_nonce_claim(w, mid);
		KUNIT_ASSERT_EQ_MSG(test, got, want, "step %u mid %llu top %llu",
				    i, mid, top);
		if (!got) {
			set_bit(mid, seen);
			if (!used || mid > top)
				top = mid;
			used = true;
		}
	}
}

/* Concurrent signers on one context: each MessageId is signed once. */
#define NR_SIGNERS	4
#define NR_MIDS		400

struct race {
	struct work_struct work;
	struct smbsign_ctx *ctx;
	unsigned int offset;
	atomic_t *signed_ok, *refused, *errors;
};

static void race_fn(struct work_struct *work)
{
	struct race *r = container_of(work, struct race, work);
	struct smbsign_kt_hdr h = { .command = CMD_READ, .session_id = 7 };
	struct kvec iov;
	struct smbsign_msg msg = { .iov = &iov, .nr_iov = 1 };
	u8 *buf = kzalloc(MSG_LEN, GFP_KERNEL);
	unsigned int i;
	int err;

	if (!buf) {
		atomic_inc(r->errors);
		return;
	}
	iov.iov_base = buf;
	iov.iov_len = MSG_LEN;
	/*
	 * Every signer goes through all MessageIds, from its own offset:
	 * 7 and 400 are coprime, so i * 7 % 400 visits each once.
	 */
	for (i = 0; i < NR_MIDS; i++) {
		h.message_id = 1 + (i * 7 + r->offset) % NR_MIDS;
		smbsign_kt_put_hdr(buf, &h);
		err = smbsign_sign(r->ctx, &msg);
		if (!err)
			atomic_inc(r->signed_ok);
		else if (err == -EEXIST)
			atomic_inc(r->refused);
		else
			atomic_inc(r->errors);
	}
	kfree(buf);
}

static void nonce_concurrent_signers(struct kunit *test)
{
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, SMBSIGN_ALG_AES_GMAC,
						 smbsign_kt_key);
	atomic_t signed_ok = ATOMIC_INIT(0), refused = ATOMIC_INIT(0);
	atomic_t errors = ATOMIC_INIT(0);
	struct race r[NR_SIGNERS];
	unsigned int i;

	for (i = 0; i < NR_SIGNERS; i++) {
		r[i].ctx = ctx;
		r[i].offset = i * 101;
		r[i].signed_ok = &signed_ok;
		r[i].refused = &refused;
		r[i].errors = &errors;
		INIT_WORK_ONSTACK(&r[i].work, race_fn);
		queue_work(system_unbound_wq, &r[i].work);
	}
	for (i = 0; i < NR_SIGNERS; i++) {
		flush_work(&r[i].work);
		destroy_work_on_stack(&r[i].work);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&signed_ok), NR_MIDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&refused),
			(NR_SIGNERS - 1) * NR_MIDS);
}

static struct kunit_case nonce_cases[] = {
	KUNIT_CASE(nonce_repeat_refused),
	KUNIT_CASE(nonce_cancel_is_another_role),
	KUNIT_CASE(nonce_out_of_order),
	KUNIT_CASE(nonce_below_window),
	KUNIT_CASE(nonce_window_moves),
	KUNIT_CASE(nonce_wraparound),
	KUNIT_CASE(nonce_own_direction_only),
	KUNIT_CASE(nonce_only_gmac_is_guarded),
	KUNIT_CASE(nonce_window_matches_model),
	KUNIT_CASE(nonce_concurrent_signers),
	{}
};

static struct kunit_suite nonce_suite = {
	.name = "smbsign_nonce",
	.test_cases = nonce_cases,
};

kunit_test_suite(nonce_suite);
