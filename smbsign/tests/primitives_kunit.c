// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the three primitives behind smbsign, through smbsign's own
 * backend (smbsign_mac_init() / smbsign_mac_compute() with no header
 * image), against published vectors:
 *
 *  - HMAC-SHA256: RFC 4231 section 4, test cases 1-7 (first 16 bytes, as
 *    SMB 2.x truncates; case 5 is the RFC's own truncation case).
 *  - AES-128-CMAC: RFC 4493 section 4, examples 1-4.
 *  - AES-GMAC: the GCM specification (McGrew and Viega, "The Galois/Counter
 *    Mode of Operation", revised 2005), test cases 1, 7 and 13, the cases
 *    with an empty plaintext; plus test case 4's key, IV and AAD with an
 *    empty plaintext, computed with OpenSSL 3.0.
 */
#include <kunit/test.h>

#include "kunit_util.h"

struct prim_vec {
	const char *name;
	const char *key;
	const char *data;
	const char *iv;
	const char *mac;
};

static void prim_vec_desc(const struct prim_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

static void run_vec(struct kunit *test, enum smbsign_alg alg,
		    const struct prim_vec *v)
{
	struct smbsign_mac *mac;
	size_t key_len, data_len;
	u8 *key, *data, *want, *iv = NULL;
	u8 got[SMBSIGN_SIG_SIZE];
	struct smbsign_msg *msg;

	key = smbsign_kt_hex(test, v->key, &key_len);
	data = smbsign_kt_hex(test, v->data, &data_len);
	want = smbsign_kt_hex(test, v->mac, NULL);
	if (v->iv)
		iv = smbsign_kt_hex(test, v->iv, NULL);
	mac = smbsign_kt_mac(test, alg, key, key_len);
	msg = smbsign_kt_msg(test, data, data_len, NULL, 0);

	KUNIT_EXPECT_EQ(test, smbsign_mac_compute(mac, NULL, msg, 0, data_len,
						  iv, got), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, SMBSIGN_SIG_SIZE);
}

static const struct prim_vec rfc4231[] = {
	{ "rfc4231-tc1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  "4869205468657265", NULL, "b0344c61d8db38535ca8afceaf0bf12b" },
	{ "rfc4231-tc2", "4a656665",
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f", NULL,
	  "5bdcc146bf60754e6a042426089575c7" },
	{ "rfc4231-tc3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	  NULL, "773ea91e36800e46854db8ebd09181a7" },
	{ "rfc4231-tc4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  NULL, "82558a389a443c0ea4cc819899f2083a" },
	{ "rfc4231-tc5", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  "546573742057697468205472756e636174696f6e", NULL,
	  "a3b6167473100ee06e0c796c2955552b" },
	{ "rfc4231-tc6",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
	  NULL, "60e431591ee0b67f0d8a26aacbf5b77f" },
	{ "rfc4231-tc7",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
	  NULL, "9b09ffa71b942fcb27635fbcd5b0e944" },
};

KUNIT_ARRAY_PARAM(rfc4231, rfc4231, prim_vec_desc);

static void hmac_sha256_rfc4231(struct kunit *test)
{
	run_vec(test, SMBSIGN_ALG_HMAC_SHA256, test->param_value);
}

#define RFC4493_KEY "2b7e151628aed2a6abf7158809cf4f3c"
#define RFC4493_MSG64 \
	"6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"

static const struct prim_vec rfc4493[] = {
	{ "rfc4493-len0", RFC4493_KEY, "", NULL,
	  "bb1d6929e95937287fa37d129b756746" },
	{ "rfc4493-len16", RFC4493_KEY, "6bc1bee22e409f96e93d7e117393172a",
	  NULL, "070a16b46b4d4144f79bdd9dd04a287c" },
	{ "rfc4493-len40", RFC4493_KEY,
	  "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411",
	  NULL, "dfa66747de9ae63030ca32611497c827" },
	{ "rfc4493-len64", RFC4493_KEY, RFC4493_MSG64, NULL,
	  "51f0bebf7e3b9d92fc49741779363cfe" },
};

KUNIT_ARRAY_PARAM(rfc4493, rfc4493, prim_vec_desc);

static void aes_cmac_rfc4493(struct kunit *test)
{
	run_vec(test, SMBSIGN_ALG_AES_CMAC, test->param_value);
}

static const struct prim_vec gcm_spec[] = {
	{ "gcm-tc1", "00000000000000000000000000000000", "",
	  "000000000000000000000000", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ "gcm-tc7", "000000000000000000000000000000000000000000000000", "",
	  "000000000000000000000000", "cd33b28ac773f74ba00ed1f312572435" },
	{ "gcm-tc13",
	  "0000000000000000000000000000000000000000000000000000000000000000",
	  "", "000000000000000000000000", "530f8afbc74536b9a963b4f1c4cb738b" },
	{ "gcm-tc4-aad-only", "feffe9928665731c6d6a8f9467308308",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "cafebabefacedbaddecaf888", "346434fd51d5cd0c5887ec63e39b907a" },
};

KUNIT_ARRAY_PARAM(gcm_spec, gcm_spec, prim_vec_desc);

static void aes_gmac_gcm_spec(struct kunit *test)
{
	run_vec(test, SMBSIGN_ALG_AES_GMAC, test->param_value);
}

/* GMAC without a nonce is a caller bug, not a zero nonce. */
static void aes_gmac_requires_nonce(struct kunit *test)
{
	struct smbsign_mac *mac;
	u8 data[16] = { 0 }, out[SMBSIGN_SIG_SIZE];
	struct smbsign_msg *msg = smbsign_kt_msg(test, data, sizeof(data), NULL, 0);

	mac = smbsign_kt_mac(test, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key, sizeof(smbsign_kt_key));
	KUNIT_EXPECT_EQ(test, smbsign_mac_compute(mac, NULL, msg, 0,
						  sizeof(data), NULL, out),
			-EINVAL);
}

static struct kunit_case primitives_cases[] = {
	KUNIT_CASE_PARAM(hmac_sha256_rfc4231, rfc4231_gen_params),
	KUNIT_CASE_PARAM(aes_cmac_rfc4493, rfc4493_gen_params),
	KUNIT_CASE_PARAM(aes_gmac_gcm_spec, gcm_spec_gen_params),
	KUNIT_CASE(aes_gmac_requires_nonce),
	{}
};

static struct kunit_suite primitives_suite = {
	.name = "smbsign_primitives",
	.test_cases = primitives_cases,
};

kunit_test_suite(primitives_suite);
