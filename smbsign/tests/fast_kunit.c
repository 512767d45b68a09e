// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the x86_64 fast paths of AES-CMAC and AES-GMAC (fast_x86.c)
 * against the crypto API path (mac.c), which stays the reference.
 *
 * The suite runs in UML on x86_64, where kernel_fpu_begin() is a no-op
 * and PCLMULQDQ and AES-NI run natively: the first case checks, and
 * says, that the fast paths really serve there. The cross-check signs
 * random messages (random keys and nonces, lengths 0 to 9000, random
 * kvec cuts, a kvec head plus page payload, with and without a header
 * image) both ways and compares; the known answers of the load-time
 * self-test and RFC 4493 go through the fast path directly. Finally
 * crypto_api_only: what it accepts, what it refuses, and that it
 * switches existing contexts to the crypto API.
 */
#include <crypto/aes.h>
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/sort.h>

#include "../kat.h"
#include "kunit_util.h"

#define FAST_MAX_LEN	9000
#define FAST_TRIALS	300

static const enum smbsign_alg fast_algs[] = {
	SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC,
};

static void fast_alg_desc(const enum smbsign_alg *alg, char *desc)
{
	strscpy(desc, smbsign_alg_name(*alg), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fast_alg, fast_algs, fast_alg_desc);

/* Skip (saying why) unless the fast path of @alg serves on this CPU. */
static void fast_require(struct kunit *test, enum smbsign_alg alg)
{
	if (!(smbsign_fast_probe() & BIT(alg)))
		kunit_skip(test, "this CPU has no %s instructions for %s",
			   alg == SMBSIGN_ALG_AES_GMAC ? "PCLMULQDQ" : "AES-NI",
			   smbsign_alg_name(alg));
}

/* The fast path was selected at load and serves a new context. */
static void fast_selected(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	struct smbsign_mac *mac;

	fast_require(test, alg);
	KUNIT_ASSERT_TRUE_MSG(test, smbsign_select_fast_ok(alg),
			      "the CPU has the instructions but the fast path of %s did not pass its self-test",
			      smbsign_alg_name(alg));
	mac = smbsign_kt_mac(test, alg, smbsign_kt_key, SMBSIGN_KEY_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, mac->fast);
	KUNIT_EXPECT_TRUE(test, smbsign_fast_serves(mac));
	KUNIT_EXPECT_STREQ(test, smbsign_mac_driver(mac),
			   smbsign_fast_driver(alg));
	KUNIT_EXPECT_STREQ(test, smbsign_select_driver(alg),
			   smbsign_fast_driver(alg));
	kunit_info(test, "%s: the fast path %s serves (x86_64, FPU usable)\n",
		   smbsign_alg_name(alg), smbsign_mac_driver(mac));
}

static int cut_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* A random message description of @buf: kvec cuts, or a page payload. */
static struct smbsign_msg *fast_random_msg(struct kunit *test,
					   struct rnd_state *rnd, u8 *buf,
					   size_t len)
{
	size_t cuts[6];
	unsigned int n, i;

	if (len && prandom_u32_state(rnd) % 3 == 0)
		return smbsign_kt_msg_pages(test, buf, len,
					    prandom_u32_state(rnd) % (len + 1));
	n = prandom_u32_state(rnd) % ARRAY_SIZE(cuts);
	for (i = 0; i < n; i++)
		cuts[i] = len ? prandom_u32_state(rnd) % (len + 1) : 0;
	/* Ascending; empty kvecs are allowed. */
	sort(cuts, n, sizeof(cuts[0]), cut_cmp, NULL);
	return smbsign_kt_msg(test, buf, len, cuts, n);
}

/*
 * Every fast-path signature equals the crypto API's, on random keys,
 * nonces, lengths and message shapes, with and without a header image.
 */
static void fast_matches_crypto_api(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	u8 key[SMBSIGN_KEY_SIZE], nonce[SMBSIGN_GMAC_NONCE_SIZE];
	u8 want[SMBSIGN_SIG_SIZE], got[SMBSIGN_SIG_SIZE];
	u8 *buf, *flat, *image;
	struct smbsign_msg *msg, *flat_msg;
	struct smbsign_mac *mac;
	struct rnd_state rnd;
	unsigned int t;
	size_t len;
	bool hdr;

	fast_require(test, alg);
	prandom_seed_state(&rnd, 0x5b5b0000 + alg);
	buf = kunit_kmalloc(test, FAST_MAX_LEN, GFP_KERNEL);
	flat = kunit_kmalloc(test, FAST_MAX_LEN, GFP_KERNEL);
	image = kunit_kmalloc(test, SMBSIGN_HDR_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, flat);
	KUNIT_ASSERT_NOT_NULL(test, image);
	/* Cleared again when the test ends, however it ends. */
	smbsign_kt_crypto_api_only(test);

	for (t = 0; t < FAST_TRIALS; t++) {
		prandom_bytes_state(&rnd, key, sizeof(key));
		prandom_bytes_state(&rnd, nonce, sizeof(nonce));
		/* Every length up to 80 first: each tail and block boundary. */
		len = t <= 80 ? t : prandom_u32_state(&rnd) % (FAST_MAX_LEN + 1);
		prandom_bytes_state(&rnd, flat, len);
		memcpy(buf, flat, len);
		hdr = len >= SMBSIGN_HDR_SIZE && prandom_u32_state(&rnd) % 2;
		if (hdr) {
			/* The image is what counts, not the message's header. */
			memcpy(image, flat, SMBSIGN_HDR_SIZE);
			memset(buf, 0xa5, SMBSIGN_HDR_SIZE);
		}
		mac = kunit_kzalloc(test, sizeof(*mac), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, mac);
		KUNIT_ASSERT_EQ(test, smbsign_mac_init(mac, alg, key,
						       sizeof(key)), 0);
		KUNIT_ASSERT_NOT_NULL(test, mac->fast);

		flat_msg = smbsign_kt_msg(test, flat, len, NULL, 0);
		msg = fast_random_msg(test, &rnd, buf, len);

		/* The reference: the crypto API over the flat message. */
		smbsign_select_set_crypto_api_only("1", 1);
		KUNIT_EXPECT_FALSE(test, smbsign_fast_serves(mac));
		KUNIT_EXPECT_EQ(test, smbsign_mac_compute(mac, NULL, flat_msg,
							  0, len, nonce, want),
				0);
		smbsign_select_set_crypto_api_only("0", 1);

		KUNIT_EXPECT_TRUE(test, smbsign_fast_serves(mac));
		memset(got, 0, sizeof(got));
		KUNIT_EXPECT_EQ(test, smbsign_mac_compute(mac, hdr ? image : NULL,
							  msg, 0, len, nonce,
							  got), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, got, want, SMBSIGN_SIG_SIZE,
				       "trial %u, length %zu, header image %d",
				       t, len, hdr);
		smbsign_mac_destroy(mac);
		kunit_kfree(test, mac);
		if (memcmp(got, want, sizeof(got)))
			break;
	}
	kunit_info(test, "%s: %u random messages, fast path == crypto API\n",
		   smbsign_alg_name(alg), t);
}

/* The load-time known answer, through the fast path directly. */
static void fast_known_answer(struct kunit *test)
{
	enum smbsign_alg alg = *(const enum smbsign_alg *)test->param_value;
	const struct smbsign_kat_sig *kat = &smbsign_kat_sigs[alg];
	size_t len = sizeof(smbsign_kat_msg);
	u8 nonce[SMBSIGN_GMAC_NONCE_SIZE], got[SMBSIGN_SIG_SIZE];
	struct smbsign_hdr hdr;
	struct smbsign_mac *mac;
	u8 *buf;

	fast_require(test, alg);
	KUNIT_ASSERT_EQ(test, kat->alg, alg);
	buf = smbsign_kt_dup(test, smbsign_kat_msg, len);
	memset(buf + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
	KUNIT_ASSERT_EQ(test, smbsign_hdr_parse(buf, len, &hdr), 0);
	smbsign_gmac_nonce(&hdr, nonce);
	mac = smbsign_kt_mac(test, alg, kat->key, SMBSIGN_KEY_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, mac->fast);
	KUNIT_EXPECT_EQ(test, smbsign_fast_compute(mac, NULL,
						   smbsign_kt_msg(test, buf, len,
								  NULL, 0),
						   0, len, nonce, got), 0);
	KUNIT_EXPECT_MEMEQ(test, got, kat->sig, SMBSIGN_SIG_SIZE);
}

/*
 * Examples 1-4 (0, 16, 40 and 64 bytes) through the fast path directly:
 * the padded (K2) and the complete (K1) last block.
 */
static void fast_cmac_rfc4493(struct kunit *test)
{
	static const char *const mac_hex[] = {
		"bb1d6929e95937287fa37d129b756746",
		"070a16b46b4d4144f79bdd9dd04a287c",
		"dfa66747de9ae63030ca32611497c827",
		"51f0bebf7e3b9d92fc49741779363cfe",
	};
	static const size_t lens[] = { 0, 16, 40, 64 };
	u8 *data = smbsign_kt_dup(test, smbsign_kat_rfc4493_msg,
				  sizeof(smbsign_kat_rfc4493_msg));
	struct smbsign_msg *msg;
	struct smbsign_mac *mac;
	u8 got[SMBSIGN_SIG_SIZE];
	unsigned int i;

	fast_require(test, SMBSIGN_ALG_AES_CMAC);
	mac = smbsign_kt_mac(test, SMBSIGN_ALG_AES_CMAC, smbsign_kat_rfc4493_key,
			     SMBSIGN_KEY_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, mac->fast);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		msg = smbsign_kt_msg(test, data, lens[i], NULL, 0);
		KUNIT_EXPECT_EQ(test, smbsign_fast_compute(mac, NULL, msg, 0,
							   lens[i], NULL, got),
				0);
		KUNIT_EXPECT_MEMEQ_MSG(test, got,
				       smbsign_kt_hex(test, mac_hex[i], NULL),
				       SMBSIGN_SIG_SIZE, "example %u", i + 1);
	}
}

/* crypto_api_only: 0/1 forms, bad input refused, existing contexts follow. */
static void fast_crypto_api_only(struct kunit *test)
{
	static const char *const bad[] = { "2", "", "yess", "1x", "-1", " 0 1" };
	struct smbsign_mac *mac;
	unsigned int i;

	fast_require(test, SMBSIGN_ALG_AES_GMAC);
	mac = smbsign_kt_mac(test, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key,
			     SMBSIGN_KEY_SIZE);
	KUNIT_EXPECT_FALSE(test, smbsign_select_crypto_api_only());
	smbsign_kt_crypto_api_only(test);
	KUNIT_EXPECT_TRUE(test, smbsign_select_crypto_api_only());
	KUNIT_EXPECT_FALSE(test, smbsign_fast_serves(mac));
	KUNIT_EXPECT_STREQ(test, smbsign_mac_driver(mac),
			   smbsign_selftest_driver(SMBSIGN_ALG_AES_GMAC));
	KUNIT_EXPECT_STREQ(test, smbsign_select_driver(SMBSIGN_ALG_AES_GMAC),
			   smbsign_selftest_driver(SMBSIGN_ALG_AES_GMAC));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, smbsign_select_set_crypto_api_only(bad[i],
									 strlen(bad[i])),
				-EINVAL);
		KUNIT_EXPECT_TRUE(test, smbsign_select_crypto_api_only());
	}
	KUNIT_EXPECT_EQ(test, smbsign_select_set_crypto_api_only("0\n", 2), 0);
	KUNIT_EXPECT_TRUE(test, smbsign_fast_serves(mac));
	KUNIT_EXPECT_STREQ(test, smbsign_mac_driver(mac),
			   SMBSIGN_FAST_GMAC_DRIVER);
}

static struct kunit_case fast_cases[] = {
	KUNIT_CASE_PARAM(fast_selected, fast_alg_gen_params),
	KUNIT_CASE_PARAM(fast_matches_crypto_api, fast_alg_gen_params),
	KUNIT_CASE_PARAM(fast_known_answer, fast_alg_gen_params),
	KUNIT_CASE(fast_cmac_rfc4493),
	KUNIT_CASE(fast_crypto_api_only),
	{}
};

static struct kunit_suite fast_suite = {
	.name = "smbsign_fast",
	.test_cases = fast_cases,
};

kunit_test_suite(fast_suite);
