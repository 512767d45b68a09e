// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SP800-108 key derivation and the SMB 3.1.1 preauth integrity
 * hash.
 *
 * Sources: the Microsoft Open Specifications blog appendix "Key
 * derivation example for SMB 3.1.1 multichannel" (both channels) and its
 * SMB 3.0 example; "Encryption in SMB 3.0: A protocol perspective" and
 * "SMB 3.1.1 Encryption in Windows 10" (Microsoft blogs, as carried in
 * emc-isilon/pike); NIST CAVP counter-mode KDF vectors as carried in
 * Samba's lib/crypto/tests/test_gnutls_sp800_108.c.
 */
#include <kunit/test.h>

#include "../kat.h"
#include "kunit_util.h"

static void expect_derived(struct kunit *test, enum smbsign_kdf_label which,
			   const char *session_key, const char *preauth,
			   const char *want)
{
	size_t sk_len;
	u8 *sk = smbsign_kt_hex(test, session_key, &sk_len);
	u8 *hash = preauth ? smbsign_kt_hex(test, preauth, NULL) : NULL;
	u8 out[SMBSIGN_KEY_SIZE];

	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(which, sk, sk_len,
							 hash, out), 0);
	KUNIT_EXPECT_MEMEQ(test, out, smbsign_kt_hex(test, want, NULL), sizeof(out));
}

static void kdf_smb311_signing_key(struct kunit *test)
{
	expect_derived(test, SMBSIGN_KDF_SMB311,
		       "270e1ba896585eeb7af3472d3b4c75a7",
		       smbsign_kt_ch1_hashes[SMBSIGN_KT_HASHES - 1],
		       "73fe7a9a77bef0bde49c650d8ccb5f76");
}

/* Session binding: Channel.SigningKey from the binding's own hash. */
static void kdf_smb311_channel_signing_key(struct kunit *test)
{
	expect_derived(test, SMBSIGN_KDF_SMB311,
		       "84b9dbb730116a8fa6e9889555c265f9",
		       smbsign_kt_ch2_hashes[SMBSIGN_KT_HASHES - 1],
		       "c962bca1a9dd1697b030644199705431");
}

static void kdf_smb30_signing_key(struct kunit *test)
{
	expect_derived(test, SMBSIGN_KDF_SMB30,
		       "7cd451825d0450d235424e44ba6e78cc", NULL,
		       "0b7e9c5cac36c0f6ea9ab275298cedce");
}

static void kdf_smb30_channel_signing_key(struct kunit *test)
{
	expect_derived(test, SMBSIGN_KDF_SMB30,
		       "4e01a2b313bcf660cc250bef021aede6", NULL,
		       "ba1a17dbbfec349bca105563d598952f");
}

struct label_vec {
	const char *name;
	const char *ki;
	const char *label;	/* hex, NUL included as MS-SMB2 spells it */
	const char *context;	/* hex */
	const char *want;
};

/* "SMB2AESCCM\0", "ServerIn \0", "ServerOut\0", "SMB2APP\0", "SmbRpc\0" */
#define L_CCM "534d423241455343434d00"
#define C_IN "536572766572496e2000"
#define C_OUT "5365727665724f757400"
#define PREAUTH_311 \
	"b23f3cbfd69487d9832b79b1594a367cdd950909b774c3a4c412b4fcea9edddb" \
	"a7db256ba2ea30e977f11f9b113247578e0e915c6d2a513b8f2fca5707dc8770"

static const struct label_vec label_vecs[] = {
	{ "smb30-encryption", "7cd451825d0450d235424e44ba6e78cc", L_CCM, C_IN,
	  "fad27796665b313ebb578f388632b4f7" },
	{ "smb30-decryption", "7cd451825d0450d235424e44ba6e78cc", L_CCM, C_OUT,
	  "b0f0427f7ceb416d1d9dcc0cd4f99447" },
	{ "smb30-application", "7cd451825d0450d235424e44ba6e78cc",
	  "534d423241505000", "536d6252706300",
	  "bb23a4575aa26c721af525af15a87b4f" },
	{ "smb30-blog-encryption", "b4546771b515f766a86735532dd6c4f0", L_CCM,
	  C_IN, "261b72350558f2e9dcf613070383edbf" },
	{ "smb30-blog-decryption", "b4546771b515f766a86735532dd6c4f0", L_CCM,
	  C_OUT, "8fe2b57ec34d2db5b1a9727f526bbdb5" },
	/* "SMBC2SCipherKey\0" and "SMBS2CCipherKey\0" */
	{ "smb311-c2s-cipher", "419fddf34c1e001909d362ae7fb6af79",
	  "534d424332534369706865724b657900", PREAUTH_311,
	  "a2f5e80e5d59103034f32e52f698e5ec" },
	{ "smb311-s2c-cipher", "419fddf34c1e001909d362ae7fb6af79",
	  "534d425332434369706865724b657900", PREAUTH_311,
	  "748c50868c90f302962a5c35f5f9a8bf" },
};

static void label_vec_desc(const struct label_vec *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(label_vecs, label_vecs, label_vec_desc);

/* The general KDF with the other labels SMB 3.x derives keys with. */
static void kdf_labels(struct kunit *test)
{
	const struct label_vec *v = test->param_value;
	size_t ki_len, label_len, ctx_len;
	u8 *ki = smbsign_kt_hex(test, v->ki, &ki_len);
	u8 *label = smbsign_kt_hex(test, v->label, &label_len);
	u8 *context = smbsign_kt_hex(test, v->context, &ctx_len);
	u8 out[16];

	KUNIT_ASSERT_EQ(test, smbsign_kdf(ki, ki_len, label, label_len,
					  context, ctx_len, out, sizeof(out)),
			0);
	KUNIT_EXPECT_MEMEQ(test, out, smbsign_kt_hex(test, v->want, NULL),
			   sizeof(out));
}

static const struct label_vec cavp_vecs[] = {
	{ "cavp-count0",
	  "dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0",
	  NULL,
	  "01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac",
	  "10621342bfb0fd40046c0e29f2cfdbf0" },
	{ "cavp-count1",
	  "32c4003872a146194023eac1bda74ddf2b66977dad8a554b974ca2a62f7e4f43",
	  NULL,
	  "33d8cf6d0c759fb622d867ea8cf1285de4020af81cc287addf38cc2da4643e6db3b215ad3e33bfc47877c3620e336887c3c9ad4a1c6c0476b0f90a33",
	  "f593af0e1a492a7b904a2662897fa1c1" },
};

KUNIT_ARRAY_PARAM(cavp_vecs, cavp_vecs, label_vec_desc);

static void kdf_sp800_108_cavp(struct kunit *test)
{
	const struct label_vec *v = test->param_value;
	size_t ki_len, fixed_len;
	u8 *ki = smbsign_kt_hex(test, v->ki, &ki_len);
	u8 *fixed = smbsign_kt_hex(test, v->context, &fixed_len);
	u8 out[16];

	KUNIT_ASSERT_EQ(test, smbsign_kdf_fixed(ki, ki_len, fixed, fixed_len,
						out, sizeof(out)), 0);
	KUNIT_EXPECT_MEMEQ(test, out, smbsign_kt_hex(test, v->want, NULL),
			   sizeof(out));
}

/* MS-SMB2 3.2.5.3.1: a short session key is right-padded with zeros. */
static void kdf_short_session_key_padded(struct kunit *test)
{
	u8 padded[SMBSIGN_KEY_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	u8 a[SMBSIGN_KEY_SIZE], b[SMBSIGN_KEY_SIZE];

	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(SMBSIGN_KDF_SMB30,
							 padded, 8, NULL, a), 0);
	KUNIT_ASSERT_EQ(test, smbsign_derive_signing_key(SMBSIGN_KDF_SMB30,
							 padded, sizeof(padded), NULL, b), 0);
	KUNIT_EXPECT_MEMEQ(test, a, b, sizeof(a));
}

static void kdf_rejects_bad_arguments(struct kunit *test)
{
	u8 ki[65] = { 1 }, out[32];
	const u8 *sk = smbsign_kat_session_key;

	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 0, ki, 1, ki, 1, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 65, ki, 1, ki, 1, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(NULL, 16, ki, 1, ki, 1, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 16, ki, 1, ki, 1, out, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 16, ki, 1, ki, 1, out, 20),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 16, NULL, 4, ki, 1, out, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_kdf(ki, 16, ki, 1, ki, 1, NULL, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(SMBSIGN_KDF_SMB311,
							 sk, 16, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(SMBSIGN_KDF_SMB30,
							 sk, 0, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(SMBSIGN_KDF_SMB30,
							 sk, 65, NULL, out), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_derive_signing_key(7, sk, 16, NULL, out),
			-EINVAL);
}

static void run_preauth_chain(struct kunit *test,
			      const char *const *packets,
			      const char *const *hashes, bool split)
{
	u8 hash[SMBSIGN_PREAUTH_HASH_SIZE] = { 0 };
	unsigned int i;

	for (i = 0; i < SMBSIGN_KT_HASHES; i++) {
		size_t len, cuts[2];
		u8 *pkt = smbsign_kt_hex(test, packets[i], &len);
		struct smbsign_msg *msg;

		cuts[0] = 3;
		cuts[1] = len / 2;
		msg = split ? smbsign_kt_msg(test, pkt, len, cuts, 2) :
			      smbsign_kt_msg(test, pkt, len, NULL, 0);
		KUNIT_ASSERT_EQ(test, smbsign_preauth_hash_update(hash, msg), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, hash, smbsign_kt_hex(test, hashes[i], NULL),
				       sizeof(hash), "after packet %u", i);
	}
}

static void preauth_hash_channel1(struct kunit *test)
{
	run_preauth_chain(test, smbsign_kt_ch1_packets, smbsign_kt_ch1_hashes,
			  false);
}

static void preauth_hash_channel2_split(struct kunit *test)
{
	run_preauth_chain(test, smbsign_kt_ch2_packets, smbsign_kt_ch2_hashes,
			  true);
}

static void preauth_hash_unchanged_on_error(struct kunit *test)
{
	u8 hash[SMBSIGN_PREAUTH_HASH_SIZE], before[SMBSIGN_PREAUTH_HASH_SIZE];
	struct smbsign_msg bad = { .iov = NULL, .nr_iov = 1 };

	memset(hash, 0x5a, sizeof(hash));
	memcpy(before, hash, sizeof(hash));
	KUNIT_EXPECT_EQ(test, smbsign_preauth_hash_update(hash, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_preauth_hash_update(hash, NULL), -EINVAL);
	KUNIT_EXPECT_MEMEQ(test, hash, before, sizeof(hash));
}

static struct kunit_case kdf_cases[] = {
	KUNIT_CASE(kdf_smb311_signing_key),
	KUNIT_CASE(kdf_smb311_channel_signing_key),
	KUNIT_CASE(kdf_smb30_signing_key),
	KUNIT_CASE(kdf_smb30_channel_signing_key),
	KUNIT_CASE_PARAM(kdf_labels, label_vecs_gen_params),
	KUNIT_CASE_PARAM(kdf_sp800_108_cavp, cavp_vecs_gen_params),
	KUNIT_CASE(kdf_short_session_key_padded),
	KUNIT_CASE(kdf_rejects_bad_arguments),
	KUNIT_CASE(preauth_hash_channel1),
	KUNIT_CASE(preauth_hash_channel2_split),
	KUNIT_CASE(preauth_hash_unchanged_on_error),
	{}
};

static struct kunit_suite kdf_suite = {
	.name = "smbsign_kdf",
	.test_cases = kdf_cases,
};

kunit_test_suite(kdf_suite);
