// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the unsigned_peers exceptions. The parser (peers.c) against a
 * table of accepted and refused values, the canonical form sysfs shows,
 * and the decisions: a listed peer may run unsigned or as a guest, an
 * unlisted one may not, and nothing else that requires signing (a "sign"
 * mount, the peer) is waived by the list.
 */
#include <kunit/test.h>

#include "kunit_util.h"

#define OK	SMBSIGN_STATUS_OK
#define GSIGN	SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP
#define DENIED	SMBSIGN_STATUS_ACCESS_DENIED

/* ------------------------------------------------------------- parsing */

struct peers_case {
	const char *in;
	bool names;
	int err;
	const char *shown;	/* the canonical form, when accepted */
};

static const struct peers_case peers_cases[] = {
	{ "", true, 0, "\n" },
	{ "\n", true, 0, "\n" },
	{ " , ,", false, 0, "\n" },
	{ "192.0.2.7", false, 0, "192.0.2.7\n" },
	{ "192.0.2.0/24,10.0.0.0/8", false, 0, "192.0.2.0/24,10.0.0.0/8\n" },
	{ "192.0.2.7/32", false, 0, "192.0.2.7\n" },
	{ "0.0.0.0/0", false, 0, "0.0.0.0/0\n" },
	{ "2001:DB8:0:0:0:0:0:1", false, 0, "2001:db8::1\n" },
	{ "2001:db8::/32 fe80::/10", false, 0, "2001:db8::/32,fe80::/10\n" },
	{ "::ffff:192.0.2.9", false, 0, "192.0.2.9\n" },
	{ "NAS1.Example.COM,legacy_printer", true, 0,
	  "nas1.example.com,legacy_printer\n" },
	{ "nas1", false, -EINVAL },		/* names: client only */
	{ "192.0.2.1/24", false, -EINVAL },	/* host bits set */
	{ "192.0.2", false, -EINVAL },
	{ "192.0.2.256", true, -EINVAL },
	{ "0192.0.2.1", false, -EINVAL },	/* octal to some tools */
	{ "192.0.2.1/33", false, -EINVAL },
	{ "192.0.2.1/", false, -EINVAL },
	{ "1:2:3:4:5:6:7:8:9", false, -EINVAL },
	{ "1::2::3", false, -EINVAL },
	{ "nas..example", true, -EINVAL },
	{ "-nas", true, -EINVAL },
	{ "nas.", true, -EINVAL },
	{ "n*s", true, -EINVAL },
	{ "192.0.2.7,192.0.2.7", false, -EINVAL },
	{ "nas,NAS", true, -EINVAL },
};

static void peers_case_desc(const struct peers_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%.40s\" names=%d", c->in,
		 c->names);
}

KUNIT_ARRAY_PARAM(peers_cases, peers_cases, peers_case_desc);

/*
 * Through sysfs' path: a refused value fails with -EINVAL and leaves the
 * list as it was; an accepted one reads back in canonical form.
 */
static void peers_parse(struct kunit *test)
{
	const struct peers_case *c = test->param_value;
	enum smbsign_side side = c->names ? SMBSIGN_CLIENT : SMBSIGN_SERVER;
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	smbsign_kt_set_peers(test, side, "203.0.113.1");
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_peers(side, c->in,
						       strlen(c->in)), c->err);
	smbsign_policy_format_peers(side, buf);
	KUNIT_EXPECT_STREQ(test, buf, c->err ? "203.0.113.1\n" : c->shown);
}

/* At most SMBSIGN_PEERS_MAX entries: a 17th fails the whole list. */
static void peers_too_many(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned int i, len = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	smbsign_kt_set_peers(test, SMBSIGN_SERVER, "203.0.113.1");
	for (i = 1; i <= SMBSIGN_PEERS_MAX; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "10.0.0.%u ", i);
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_peers(SMBSIGN_SERVER, buf, len),
			0);
	len += scnprintf(buf + len, PAGE_SIZE - len, "10.0.0.%u", i);
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_peers(SMBSIGN_SERVER, buf, len),
			-EINVAL);
	smbsign_policy_format_peers(SMBSIGN_SERVER, buf);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, "10.0.0.1,10.0.0.2,"));
	KUNIT_EXPECT_TRUE(test, strstr(buf, ",10.0.0.16\n"));
}

/* ------------------------------------------------------------ decisions */

static struct smbsign_session *decided(struct kunit *test,
				       enum smbsign_side side,
				       const char *ip, const char *name,
				       enum smbsign_logon logon,
				       bool required_elsewhere, u32 want)
{
	struct smbsign_session *sess = smbsign_kt_session(test, side, ip, name);
	struct smbsign_auth auth = {
		.logon = logon,
		.dialect = 0x0311,
		.alg = SMBSIGN_ALG_AES_GMAC,
		.required_elsewhere = required_elsewhere,
		.id = 0x4242,
	};

	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), want);
	return sess;
}

static u64 exempted_count(enum smbsign_side side)
{
	return smbsign_stats_read(side, SMBSIGN_ALG_AES_GMAC,
				  SMBSIGN_CNT_PEER_EXEMPTED);
}

/* The client: listed by server name or by address. */
static void peers_client_exception(struct kunit *test)
{
	struct smbsign_session *sess;
	u64 before = exempted_count(SMBSIGN_CLIENT);

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_REQUIRE, true);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_GUEST, false);
	smbsign_kt_set_peers(test, SMBSIGN_CLIENT,
			     "oldnas.example.com,198.51.100.0/24");

	/* Listed by name: unsigned, and a guest, are allowed. */
	sess = decided(test, SMBSIGN_CLIENT, "192.0.2.50", "OldNAS.example.com",
		       SMBSIGN_LOGON_USER, false, OK);
	KUNIT_EXPECT_FALSE(test, sess->signing_required);
	KUNIT_EXPECT_TRUE(test, sess->why & BIT(SMBSIGN_WHY_EXEMPT));
	decided(test, SMBSIGN_CLIENT, "192.0.2.50", "oldnas.example.com",
		SMBSIGN_LOGON_GUEST, false, OK);
	/* Listed by prefix. */
	sess = decided(test, SMBSIGN_CLIENT, "198.51.100.77", "nas7",
		       SMBSIGN_LOGON_USER, false, OK);
	KUNIT_EXPECT_FALSE(test, sess->signing_required);
	KUNIT_EXPECT_EQ(test, exempted_count(SMBSIGN_CLIENT), before + 3);

	/* Not listed: signing stays required, guests stay refused. */
	sess = decided(test, SMBSIGN_CLIENT, "192.0.2.51", "newnas",
		       SMBSIGN_LOGON_USER, false, OK);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	KUNIT_EXPECT_FALSE(test, sess->why & BIT(SMBSIGN_WHY_EXEMPT));
	decided(test, SMBSIGN_CLIENT, "192.0.2.51", "newnas",
		SMBSIGN_LOGON_GUEST, false, GSIGN);
	/* A name that merely contains a listed one is not listed. */
	decided(test, SMBSIGN_CLIENT, "192.0.2.52", "oldnas.example.com.evil",
		SMBSIGN_LOGON_GUEST, false, GSIGN);
	KUNIT_EXPECT_EQ(test, exempted_count(SMBSIGN_CLIENT), before + 3);
}

/* The list waives the policy only, never a "sign" mount or the server. */
static void peers_never_waive_the_mount(struct kunit *test)
{
	struct smbsign_session *sess;
	u64 before = exempted_count(SMBSIGN_CLIENT);

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_REQUIRE, true);
	smbsign_kt_set_peers(test, SMBSIGN_CLIENT, "oldnas");
	sess = decided(test, SMBSIGN_CLIENT, "192.0.2.60", "oldnas",
		       SMBSIGN_LOGON_USER, true, OK);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	KUNIT_EXPECT_TRUE(test, sess->why & BIT(SMBSIGN_WHY_LOCAL));
	KUNIT_EXPECT_FALSE(test, sess->why & BIT(SMBSIGN_WHY_EXEMPT));
	decided(test, SMBSIGN_CLIENT, "192.0.2.60", "oldnas",
		SMBSIGN_LOGON_GUEST, true, GSIGN);
	decided(test, SMBSIGN_CLIENT, "192.0.2.60", "oldnas",
		SMBSIGN_LOGON_ANONYMOUS, true, GSIGN);
	KUNIT_EXPECT_EQ(test, exempted_count(SMBSIGN_CLIENT), before);
}

/* The server: listed by client address; IPv4-mapped addresses match. */
static void peers_server_exception(struct kunit *test)
{
	struct smbsign_session *sess;
	u64 before = exempted_count(SMBSIGN_SERVER);

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, true);
	smbsign_kt_set_peers(test, SMBSIGN_SERVER, "192.0.2.0/28,2001:db8::7");

	decided(test, SMBSIGN_SERVER, "::ffff:192.0.2.3", NULL,
		SMBSIGN_LOGON_GUEST, false, OK);
	sess = decided(test, SMBSIGN_SERVER, "2001:db8::7", NULL,
		       SMBSIGN_LOGON_ANONYMOUS, false, OK);
	KUNIT_EXPECT_TRUE(test, sess->why & BIT(SMBSIGN_WHY_EXEMPT));
	KUNIT_EXPECT_EQ(test, exempted_count(SMBSIGN_SERVER), before + 2);

	decided(test, SMBSIGN_SERVER, "192.0.2.16", NULL,
		SMBSIGN_LOGON_GUEST, false, DENIED);
	decided(test, SMBSIGN_SERVER, "2001:db8::8", NULL,
		SMBSIGN_LOGON_GUEST, false, DENIED);
	/* The server never matches a name, whatever it is passed. */
	smbsign_kt_set_peers(test, SMBSIGN_CLIENT, "evil");
	decided(test, SMBSIGN_SERVER, "203.0.113.5", "evil",
		SMBSIGN_LOGON_GUEST, false, DENIED);
	KUNIT_EXPECT_EQ(test, exempted_count(SMBSIGN_SERVER), before + 2);
}

/* A negotiation for a listed peer does not ask for signing. */
static void peers_policy_get(struct kunit *test)
{
	struct smbsign_policy pol;

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, true);
	smbsign_kt_set_peers(test, SMBSIGN_SERVER, "192.0.2.9");
	smbsign_policy_get(SMBSIGN_SERVER, smbsign_kt_sockaddr(test, "192.0.2.9"),
			   NULL, &pol);
	KUNIT_EXPECT_FALSE(test, pol.require_signing);
	KUNIT_EXPECT_TRUE(test, pol.require_waived);
	smbsign_policy_get(SMBSIGN_SERVER, smbsign_kt_sockaddr(test, "192.0.2.8"),
			   NULL, &pol);
	KUNIT_EXPECT_TRUE(test, pol.require_signing);
	KUNIT_EXPECT_FALSE(test, pol.require_waived);
	smbsign_policy_get(SMBSIGN_SERVER, NULL, NULL, &pol);
	KUNIT_EXPECT_TRUE(test, pol.require_signing);
}

static struct kunit_case peers_test_cases[] = {
	KUNIT_CASE_PARAM(peers_parse, peers_cases_gen_params),
	KUNIT_CASE(peers_too_many),
	KUNIT_CASE(peers_client_exception),
	KUNIT_CASE(peers_never_waive_the_mount),
	KUNIT_CASE(peers_server_exception),
	KUNIT_CASE(peers_policy_get),
	{}
};

static struct kunit_suite peers_suite = {
	.name = "smbsign_peers",
	.test_cases = peers_test_cases,
};

kunit_test_suite(peers_suite);
