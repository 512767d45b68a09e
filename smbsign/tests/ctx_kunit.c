// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: context lifetime, key handling, driver reporting and concurrent
 * use of one context.
 */
#include <kunit/test.h>
#include <linux/workqueue.h>

#include "kunit_util.h"

static const enum smbsign_alg ctx_algs[] = {
	SMBSIGN_ALG_HMAC_SHA256, SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
};

static void ctx_alg_desc(const enum smbsign_alg *alg, char *desc)
{
	strscpy(desc, smbsign_alg_name(*alg), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ctx_algs, ctx_algs, ctx_alg_desc);

/* Key lengths straight from a peer are never trusted (CVE-2023-52440). */
static void ctx_rejects_key_lengths(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	static const unsigned int lens[] = { 0, 1, 15, 17, 24, 32, 64, 4096,
					     UINT_MAX };
	struct smbsign_session *sess;
	u8 key[64] = { 0 };
	unsigned int i;

	sess = smbsign_kt_session(test, SMBSIGN_CLIENT, "192.0.2.9", NULL);
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    PTR_ERR(smbsign_ctx_alloc(sess, alg, key,
							      lens[i])),
				    -EINVAL, "length %u", lens[i]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_ctx_alloc(sess, alg, NULL, 16)),
			-EINVAL);
}

static void ctx_rejects_unknown_algorithm(struct kunit *test)
{
	static const int algs[] = { 3, 4, 255, -1 };
	struct smbsign_session *sess, *failed;
	unsigned int i;

	sess = smbsign_kt_session(test, SMBSIGN_SERVER, "192.0.2.9", NULL);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		KUNIT_EXPECT_EQ(test,
				PTR_ERR(smbsign_ctx_alloc(sess, algs[i],
							  smbsign_kt_key, 16)),
				-EINVAL);
		KUNIT_EXPECT_NULL(test, smbsign_alg_name(algs[i]));
	}
	/* An unknown side is refused as well. */
	for (i = 0; i < ARRAY_SIZE(algs); i++)
		KUNIT_EXPECT_EQ(test,
				PTR_ERR(smbsign_ctx_create(algs[i], NULL,
							   SMBSIGN_ALG_AES_CMAC,
							   smbsign_kt_key, 16)),
				-EINVAL);
	/* So is a session that was never set up, or whose set-up failed. */
	failed = kunit_kzalloc(test, sizeof(*failed), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, failed);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_ctx_alloc(failed,
							SMBSIGN_ALG_AES_CMAC,
							smbsign_kt_key, 16)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(smbsign_ctx_alloc(NULL,
							SMBSIGN_ALG_AES_CMAC,
							smbsign_kt_key, 16)),
			-EINVAL);
}

static void ctx_reports_algorithm_and_driver(struct kunit *test)
{
	static const char *const want_name[] = {
		"hmac-sha256", "aes-cmac", "aes-gmac",
	};
	static const char *const want_driver[] = { "hmac(", "cmac(", "gcm" };
	unsigned int a;

	for (a = 0; a < SMBSIGN_ALG_COUNT; a++) {
		struct smbsign_ctx *ctx = smbsign_kt_ctx(test, a, smbsign_kt_key);
		const char *driver = smbsign_mac_driver(&ctx->mac);

		KUNIT_EXPECT_EQ(test, ctx->mac.alg, a);
		/* Only AES-GMAC has nonces to guard. */
		KUNIT_EXPECT_EQ(test, !ctx->guard, a != SMBSIGN_ALG_AES_GMAC);
		KUNIT_EXPECT_STREQ(test, smbsign_alg_name(a), want_name[a]);
		KUNIT_ASSERT_NOT_NULL(test, driver);
		/* smbsign's own fast path (fast_x86.c), or the crypto API's. */
		if (ctx->mac.fast)
			KUNIT_EXPECT_STREQ(test, driver, smbsign_fast_driver(a));
		else
			KUNIT_EXPECT_NOT_NULL_MSG(test,
						  strstr(driver, want_driver[a]),
						  "driver %s", driver);
		kunit_info(test, "%s: %s\n", want_name[a], driver);
	}
}

static void ctx_free_tolerates_null(struct kunit *test)
{
	smbsign_ctx_free(NULL);
	smbsign_ctx_free(ERR_PTR(-EINVAL));
	KUNIT_SUCCEED(test);
}

/* The key is consumed at allocation: the caller may wipe its copy. */
static void ctx_key_not_retained(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	u8 *key = smbsign_kt_dup(test, smbsign_kt_key, sizeof(smbsign_kt_key));
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, key);
	struct smbsign_kt_hdr h = { .command = 8, .message_id = 60, .session_id = 1 };
	struct smbsign_msg *msg;
	u8 a[80] = { 0 };

	smbsign_kt_put_hdr(a, &h);
	msg = smbsign_kt_msg(test, a, sizeof(a), NULL, 0);
	KUNIT_ASSERT_EQ(test, smbsign_sign(ctx, msg), 0);
	memset(key, 0, sizeof(smbsign_kt_key));
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, msg), 0);
}

struct hammer {
	struct work_struct work;
	struct smbsign_ctx *ctx;
	unsigned int id;
	atomic_t *failures;
};

static void hammer_fn(struct work_struct *work)
{
	struct hammer *hm = container_of(work, struct hammer, work);
	struct smbsign_kt_hdr h = { .command = 8, .session_id = 1 };
	struct kvec iov;
	struct smbsign_msg msg = { .iov = &iov, .nr_iov = 1 };
	u8 *buf = kzalloc(300, GFP_KERNEL);
	unsigned int i;

	if (!buf) {
		atomic_inc(hm->failures);
		return;
	}
	iov.iov_base = buf;
	iov.iov_len = 300;
	for (i = 0; i < 200; i++) {
		h.message_id = 1000 * (hm->id + 1) + i;
		smbsign_kt_put_hdr(buf, &h);
		memset(buf + SMBSIGN_HDR_SIZE, i + hm->id, 300 - SMBSIGN_HDR_SIZE);
		if (smbsign_sign(hm->ctx, &msg) || smbsign_verify(hm->ctx, &msg))
			atomic_inc(hm->failures);
		buf[100] ^= 1;
		if (smbsign_verify(hm->ctx, &msg) != -EBADMSG)
			atomic_inc(hm->failures);
	}
	kfree(buf);
}

/*
 * One context, four threads: no per-message state may leak between
 * concurrent users of a session's transform (CVE-2024-50047).
 */
static void ctx_concurrent_users(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_ctx *ctx = smbsign_kt_ctx(test, alg, smbsign_kt_key);
	struct hammer hm[4];
	atomic_t failures = ATOMIC_INIT(0);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hm); i++) {
		hm[i].ctx = ctx;
		hm[i].id = i;
		hm[i].failures = &failures;
		INIT_WORK_ONSTACK(&hm[i].work, hammer_fn);
		queue_work(system_unbound_wq, &hm[i].work);
	}
	for (i = 0; i < ARRAY_SIZE(hm); i++) {
		flush_work(&hm[i].work);
		destroy_work_on_stack(&hm[i].work);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&failures), 0);
}

static struct kunit_case ctx_cases[] = {
	KUNIT_CASE_PARAM(ctx_rejects_key_lengths, ctx_algs_gen_params),
	KUNIT_CASE(ctx_rejects_unknown_algorithm),
	KUNIT_CASE(ctx_reports_algorithm_and_driver),
	KUNIT_CASE(ctx_free_tolerates_null),
	KUNIT_CASE_PARAM(ctx_key_not_retained, ctx_algs_gen_params),
	KUNIT_CASE_PARAM(ctx_concurrent_users, ctx_algs_gen_params),
	{}
};

static struct kunit_suite ctx_suite = {
	.name = "smbsign_ctx",
	.test_cases = ctx_cases,
};

kunit_test_suite(ctx_suite);
