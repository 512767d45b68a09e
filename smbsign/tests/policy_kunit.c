// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the policy decision table, the strict policy parsers, the
 * algorithm choice of SMB2_SIGNING_CAPABILITIES, per-session snapshots
 * and the counters the decisions move.
 *
 * The expected outcomes are written out as literal tables from the rules
 * of MS-SMB2 3.2.5.1.3 (client verifying responses), 3.3.5.2.4 (server
 * verifying requests) and Windows' RequireSecuritySignature and insecure
 * guest logon settings (../shared/reference/control-smb-signing-behavior.md),
 * not computed by code shared with smbsign/decide.c.
 */
#include <kunit/test.h>

#include "kunit_util.h"

#define OK	SMBSIGN_STATUS_OK
#define DENIED	SMBSIGN_STATUS_ACCESS_DENIED
#define BADSIG	SMBSIGN_STATUS_INVALID_SIGNATURE
#define GBLOCK	SMBSIGN_STATUS_GUEST_LOGON_BLOCKED
#define GSIGN	SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP

#define SMB2_READ		0x0008
#define SMB2_SESSION_SETUP	0x0001
#define SMB2_NEGOTIATE		0x0000
#define STATUS_PENDING		0x00000103
#define STATUS_MORE_PROCESSING	0xc0000016
#define FLAG_RESPONSE		0x00000001
#define FLAG_ASYNC		0x00000002
#define FLAG_SIGNED		0x00000008

/* ------------------------------------------------------- decision table */

enum msg_kind { MSG_SIGNED_OK, MSG_UNSIGNED, MSG_BAD_SIG, MSG_KINDS };

/*
 * One row: a session of @side with require_signing = @require, logged on
 * as @logon, with insecure guest logons @guest_ok (client only). @session
 * is the session-level answer; when it is OK, @msg[] are the answers for a
 * READ whose signature verified, that arrived unsigned, or whose signature
 * did not verify.
 */
struct decision_row {
	enum smbsign_side side;
	bool require;
	enum smbsign_logon logon;
	bool guest_ok;
	u32 session;
	u32 msg[MSG_KINDS];
};

#define C SMBSIGN_CLIENT
#define S SMBSIGN_SERVER
#define USER SMBSIGN_LOGON_USER
#define GUEST SMBSIGN_LOGON_GUEST
#define ANON SMBSIGN_LOGON_ANONYMOUS

static const struct decision_row decision_table[] = {
	/* Client (outbound), signing required: guests blocked, 0xc05d0003. */
	{ C, true, USER, false, OK, { OK, BADSIG, BADSIG } },
	{ C, true, USER, true, OK, { OK, BADSIG, BADSIG } },
	{ C, true, GUEST, false, GSIGN },
	{ C, true, GUEST, true, GSIGN },
	{ C, true, ANON, false, GSIGN },
	{ C, true, ANON, true, GSIGN },
	/* Client, not required: unsigned accepted, bad signatures never. */
	{ C, false, USER, false, OK, { OK, OK, BADSIG } },
	{ C, false, USER, true, OK, { OK, OK, BADSIG } },
	{ C, false, GUEST, false, GBLOCK },
	{ C, false, GUEST, true, OK, { OK, OK, BADSIG } },
	{ C, false, ANON, false, OK, { OK, OK, BADSIG } },
	{ C, false, ANON, true, OK, { OK, OK, BADSIG } },
	/* Server (inbound), required: everything refused is ACCESS_DENIED. */
	{ S, true, USER, false, OK, { OK, DENIED, DENIED } },
	{ S, true, GUEST, false, DENIED },
	{ S, true, ANON, false, DENIED },
	/* Server, not required. */
	{ S, false, USER, false, OK, { OK, OK, DENIED } },
	{ S, false, GUEST, false, OK, { OK, OK, DENIED } },
	{ S, false, ANON, false, OK, { OK, OK, DENIED } },
};

static void decision_row_desc(const struct decision_row *r, char *desc)
{
	static const char *const logons[] = { "user", "guest", "anonymous" };

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s require=%d %s guest_ok=%d",
		 r->side == C ? "client" : "server", r->require,
		 logons[r->logon], r->guest_ok);
}

KUNIT_ARRAY_PARAM(decision_rows, decision_table, decision_row_desc);

static const int verify_of[MSG_KINDS] = {
	[MSG_SIGNED_OK] = SMBSIGN_VERIFY_OK,
	[MSG_UNSIGNED] = SMBSIGN_VERIFY_UNSIGNED,
	[MSG_BAD_SIG] = SMBSIGN_VERIFY_BAD,
};

/* A session as a consumer sets it up, with a policy of our own. */
static struct smbsign_session *setup_session(struct kunit *test,
					     struct smbsign_auth *auth,
					     const struct decision_row *r,
					     enum smbsign_alg alg)
{
	struct smbsign_session *sess;

	sess = smbsign_kt_session(test, r->side, "192.0.2.1", NULL);
	sess->policy.require_signing = r->require;
	sess->policy.allow_insecure_guest = r->guest_ok;
	memset(auth, 0, sizeof(*auth));
	auth->logon = r->logon;
	auth->dialect = alg == SMBSIGN_ALG_HMAC_SHA256 ? 0x0210 : 0x0311;
	auth->alg = alg;
	auth->id = 0x1122334455667788ULL;
	return sess;
}

static void msg_info(struct smbsign_msg_info *mi, enum smbsign_side side,
		     enum msg_kind kind)
{
	memset(mi, 0, sizeof(*mi));
	mi->command = SMB2_READ;
	mi->message_id = 7;
	mi->flags = (side == C ? FLAG_RESPONSE : 0) |
		    (kind == MSG_UNSIGNED ? 0 : FLAG_SIGNED);
	mi->verify = verify_of[kind];
}

/* Every row, for every algorithm (counters are kept per algorithm). */
static void policy_decision_table(struct kunit *test)
{
	const struct decision_row *r = test->param_value;
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;
	unsigned int alg, kind;
	u64 refused, rejected;
	u32 got;

	for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++) {
		refused = smbsign_stats_read(r->side, alg,
					     SMBSIGN_CNT_GUEST_REFUSED);
		sess = setup_session(test, &auth, r, alg);
		got = smbsign_session_decide(sess, &auth);
		KUNIT_EXPECT_EQ_MSG(test, got, r->session, "session, %s",
				    smbsign_alg_name(alg));
		KUNIT_EXPECT_EQ_MSG(test, smbsign_stats_read(r->side, alg,
							     SMBSIGN_CNT_GUEST_REFUSED),
				    refused + (r->session != OK),
				    "guest_refused, %s", smbsign_alg_name(alg));
		if (r->session != OK)
			continue;
		KUNIT_EXPECT_EQ(test, sess->signing_required,
				r->require && r->logon == USER);
		for (kind = 0; kind < MSG_KINDS; kind++) {
			rejected = smbsign_stats_read(r->side, alg,
						      SMBSIGN_CNT_UNSIGNED_REJECTED);
			msg_info(&mi, r->side, kind);
			got = smbsign_decide(sess, &mi);
			KUNIT_EXPECT_EQ_MSG(test, got, r->msg[kind],
					    "message kind %u, %s", kind,
					    smbsign_alg_name(alg));
			KUNIT_EXPECT_EQ_MSG(test,
					    smbsign_stats_read(r->side, alg,
							       SMBSIGN_CNT_UNSIGNED_REJECTED),
					    rejected + (kind == MSG_UNSIGNED &&
							got != OK),
					    "unsigned_rejected, kind %u", kind);
		}
	}
}

/* Signing required by the peer or the consumer's own configuration. */
static void policy_required_elsewhere(struct kunit *test)
{
	static const struct decision_row r = { S, false, USER, false };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;

	sess = setup_session(test, &auth, &r, SMBSIGN_ALG_AES_CMAC);
	auth.required_elsewhere = true;
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	msg_info(&mi, S, MSG_UNSIGNED);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), DENIED);
}

/*
 * The downgrade of a session that must sign: an attacker strips SIGNED
 * from the final SESSION_SETUP response and sets IS_GUEST or IS_NULL. When
 * anything requires signing (policy, the consumer's own configuration,
 * the peer), a guest or anonymous result fails the session setup, whatever
 * allow_insecure_guest says (Windows: RequireSecuritySignature blocks
 * guest logons). Written out row by row.
 */
struct downgrade_row {
	enum smbsign_side side;
	bool require;
	bool elsewhere;
	enum smbsign_logon logon;
	bool guest_ok;
	u32 want;
};

static const struct downgrade_row downgrade_table[] = {
	{ C, false, true, GUEST, true, GSIGN },
	{ C, false, true, GUEST, false, GSIGN },
	{ C, false, true, ANON, true, GSIGN },
	{ C, false, true, ANON, false, GSIGN },
	{ C, true, true, GUEST, true, GSIGN },
	{ C, false, true, USER, false, OK },
	{ C, false, false, GUEST, true, OK },
	{ C, false, false, ANON, false, OK },
	{ S, false, true, GUEST, false, DENIED },
	{ S, false, true, ANON, false, DENIED },
	{ S, false, true, USER, false, OK },
	{ S, false, false, GUEST, false, OK },
};

static void downgrade_desc(const struct downgrade_row *r, char *desc)
{
	static const char *const logons[] = { "user", "guest", "anonymous" };

	snprintf(desc, KUNIT_PARAM_DESC_SIZE,
		 "%s require=%d elsewhere=%d %s guest_ok=%d",
		 r->side == C ? "client" : "server", r->require, r->elsewhere,
		 logons[r->logon], r->guest_ok);
}

KUNIT_ARRAY_PARAM(downgrade_rows, downgrade_table, downgrade_desc);

static void policy_no_downgrade_through_logon_flags(struct kunit *test)
{
	const struct downgrade_row *d = test->param_value;
	const struct decision_row r = { d->side, d->require, d->logon,
					d->guest_ok };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	u64 refused;

	refused = smbsign_stats_read(d->side, SMBSIGN_ALG_AES_CMAC,
				     SMBSIGN_CNT_GUEST_REFUSED);
	sess = setup_session(test, &auth, &r, SMBSIGN_ALG_AES_CMAC);
	auth.required_elsewhere = d->elsewhere;
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), d->want);
	KUNIT_EXPECT_EQ(test, smbsign_stats_read(d->side, SMBSIGN_ALG_AES_CMAC,
						 SMBSIGN_CNT_GUEST_REFUSED),
			refused + (d->want != OK));
	/* A refused session is never decided: its messages are refused. */
	KUNIT_EXPECT_EQ(test, test_bit(SMBSIGN_SESS_DECIDED, &sess->state),
			d->want == OK);
}

/*
 * The server: the client asking for signing makes a user session sign,
 * and leaves a guest session for the client to refuse.
 */
static void policy_peer_requires(struct kunit *test)
{
	static const struct decision_row user = { S, false, USER, false };
	static const struct decision_row guest = { S, false, GUEST, false };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;

	sess = setup_session(test, &auth, &user, SMBSIGN_ALG_AES_CMAC);
	auth.peer_requires = true;
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	msg_info(&mi, S, MSG_UNSIGNED);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), DENIED);

	sess = setup_session(test, &auth, &guest, SMBSIGN_ALG_AES_CMAC);
	auth.peer_requires = true;
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_EXPECT_FALSE(test, sess->signing_required);
}

/*
 * A re-authentication (or the session setup after a reconnect) never
 * relaxes what an earlier one required, and a refused one changes nothing.
 */
static void policy_reauth_never_relaxes(struct kunit *test)
{
	static const struct decision_row r = { C, false, USER, true };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;

	sess = setup_session(test, &auth, &r, SMBSIGN_ALG_AES_GMAC);
	auth.required_elsewhere = true;
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_ASSERT_TRUE(test, sess->signing_required);

	/* The server no longer asks for signing: still required. */
	auth.required_elsewhere = false;
	auth.id = 0x99;
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	KUNIT_EXPECT_EQ(test, sess->id, 0x99);
	msg_info(&mi, C, MSG_UNSIGNED);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);

	/* It comes back as a guest: refused, and nothing changed. */
	auth.logon = GUEST;
	auth.id = 0x77;
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), GSIGN);
	KUNIT_EXPECT_TRUE(test, sess->signing_required);
	KUNIT_EXPECT_EQ(test, sess->logon, USER);
	KUNIT_EXPECT_EQ(test, sess->id, 0x99);
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(NULL, &auth), DENIED);
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, NULL), DENIED);
}

/*
 * Both sides sign with one key: a message reflected back to its sender
 * verifies, so the direction flag decides before the signature does.
 */
static void policy_reflected_message_refused(struct kunit *test)
{
	static const struct decision_row rc = { C, false, USER, false };
	static const struct decision_row rs = { S, false, USER, false };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;

	sess = setup_session(test, &auth, &rc, SMBSIGN_ALG_AES_CMAC);
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	msg_info(&mi, S, MSG_SIGNED_OK);	/* a request, at the client */
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);
	mi.encrypted = true;
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);

	sess = setup_session(test, &auth, &rs, SMBSIGN_ALG_AES_CMAC);
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	msg_info(&mi, C, MSG_SIGNED_OK);	/* a response, at the server */
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), DENIED);
	msg_info(&mi, S, MSG_SIGNED_OK);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), OK);
}

/* MS-SMB2 3.2.5.1.3 / 3.3.5.2.4: unsigned messages that are exempt. */
struct exempt_case {
	const char *name;
	enum smbsign_side side;
	u16 dialect;
	u16 command;
	u32 status;
	u32 flags;
	u64 mid;
	bool encrypted;
	u32 want;
};

static const struct exempt_case exempt_cases[] = {
	{ "client interim response", C, 0x0311, SMB2_READ, STATUS_PENDING,
	  FLAG_RESPONSE | FLAG_ASYNC, 9, false, OK },
	{ "client oplock break", C, 0x0311, 0x12, 0, FLAG_RESPONSE,
	  U64_MAX, false, OK },
	{ "client encrypted", C, 0x0311, SMB2_READ, 0, FLAG_RESPONSE, 9,
	  true, OK },
	{ "client negotiate", C, 0x0311, SMB2_NEGOTIATE, 0, FLAG_RESPONSE,
	  0, false, OK },
	{ "client session setup in progress", C, 0x0311, SMB2_SESSION_SETUP,
	  STATUS_MORE_PROCESSING, FLAG_RESPONSE, 1, false, OK },
	{ "client final 3.1.1 session setup", C, 0x0311, SMB2_SESSION_SETUP,
	  0, FLAG_RESPONSE, 2, false, BADSIG },
	{ "client final 3.0 session setup", C, 0x0300, SMB2_SESSION_SETUP,
	  0, FLAG_RESPONSE, 2, false, OK },
	{ "client error response", C, 0x0311, SMB2_READ, 0xc0000022,
	  FLAG_RESPONSE, 9, false, BADSIG },
	/* Re-authentication or binding: signed when the session must sign. */
	{ "server session setup", S, 0x0311, SMB2_SESSION_SETUP, 0, 0, 2,
	  false, DENIED },
	{ "server read", S, 0x0311, SMB2_READ, 0, 0, 9, false, DENIED },
	{ "server encrypted", S, 0x0311, SMB2_READ, 0, 0, 9, true, OK },
	{ "server cancel", S, 0x0311, 0x000c, 0, 0, 9, false, DENIED },
};

static void exempt_desc(const struct exempt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(exempt, exempt_cases, exempt_desc);

static void policy_unsigned_exemptions(struct kunit *test)
{
	const struct exempt_case *c = test->param_value;
	const struct decision_row r = { c->side, true, USER, false };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi = {
		.command = c->command, .status = c->status,
		.flags = c->flags, .message_id = c->mid,
		.encrypted = c->encrypted, .verify = SMBSIGN_VERIFY_UNSIGNED,
	};

	sess = setup_session(test, &auth, &r, SMBSIGN_ALG_AES_GMAC);
	auth.dialect = c->dialect;
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), c->want);
	/* A bad signature is refused whatever the exemptions say. */
	mi.verify = SMBSIGN_VERIFY_BAD;
	if (!c->encrypted && c->command != SMB2_NEGOTIATE)
		KUNIT_EXPECT_NE(test, smbsign_decide(sess, &mi), OK);
}

/* Any other verify error (a malformed message) fails closed. */
static void policy_verify_error_fails_closed(struct kunit *test)
{
	static const struct decision_row r = { C, false, USER, false };
	struct smbsign_session *sess;
	struct smbsign_auth auth;
	struct smbsign_msg_info mi;
	u64 failed, failed_bad;

	sess = setup_session(test, &auth, &r, SMBSIGN_ALG_AES_CMAC);
	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), OK);
	msg_info(&mi, C, MSG_SIGNED_OK);
	failed = smbsign_stats_read(C, SMBSIGN_ALG_AES_CMAC,
				    SMBSIGN_CNT_VERIFY_FAILED);
	mi.verify = -EINVAL;
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);
	mi.verify = -ENOKEY;
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);
	/* Counted here: smbsign_verify() never computed these. */
	failed_bad = smbsign_stats_read(C, SMBSIGN_ALG_AES_CMAC,
					SMBSIGN_CNT_VERIFY_FAILED);
	KUNIT_EXPECT_EQ(test, failed_bad, failed + 2);
	/* A bad signature was counted by smbsign_verify(), not again. */
	mi.verify = SMBSIGN_VERIFY_BAD;
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), BADSIG);
	KUNIT_EXPECT_EQ(test, smbsign_stats_read(C, SMBSIGN_ALG_AES_CMAC,
						 SMBSIGN_CNT_VERIFY_FAILED),
			failed_bad);
	KUNIT_EXPECT_EQ(test, smbsign_decide(NULL, &mi), DENIED);
	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, NULL), DENIED);
}

/* ------------------------------------------------- snapshot and knobs */

static void algs_restore(void *arg)
{
	smbsign_policy_set_algs(arg, strlen(arg));
}

static void set_algs(struct kunit *test, const char *algs)
{
	char *old = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, old);
	smbsign_policy_format_algs(old, false);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, algs_restore,
							old), 0);
	KUNIT_ASSERT_EQ(test, smbsign_policy_set_algs(algs, strlen(algs)), 0);
}

/* A knob change never reaches a session set up before it. */
static void policy_snapshot_per_session(struct kunit *test)
{
	struct smbsign_session *before, *after;
	struct smbsign_auth auth = { .logon = USER,
				     .alg = SMBSIGN_ALG_AES_CMAC };
	struct smbsign_msg_info mi;

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, true);
	before = smbsign_kt_session(test, SMBSIGN_SERVER, "192.0.2.2", NULL);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, false);
	after = smbsign_kt_session(test, SMBSIGN_SERVER, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, before->policy.require_signing);
	KUNIT_EXPECT_FALSE(test, after->policy.require_signing);
	KUNIT_EXPECT_STREQ(test, before->peer, "192.0.2.2");
	KUNIT_EXPECT_STREQ(test, after->peer, "unknown peer");

	KUNIT_ASSERT_EQ(test, smbsign_session_decide(before, &auth), OK);
	msg_info(&mi, S, MSG_UNSIGNED);
	KUNIT_EXPECT_EQ(test, smbsign_decide(before, &mi), DENIED);
}

static void policy_get_sides(struct kunit *test)
{
	struct smbsign_policy pol;

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_REQUIRE, true);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_GUEST, true);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, false);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_AUDIT, true);
	set_algs(test, "aes-cmac hmac-sha256");

	smbsign_policy_get(SMBSIGN_CLIENT, NULL, NULL, &pol);
	KUNIT_EXPECT_TRUE(test, pol.require_signing);
	KUNIT_EXPECT_TRUE(test, pol.allow_insecure_guest);
	KUNIT_EXPECT_EQ(test, pol.nr_algs, 2);
	KUNIT_EXPECT_EQ(test, pol.algs[0], SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, pol.algs[1], SMBSIGN_ALG_HMAC_SHA256);

	smbsign_policy_get(SMBSIGN_SERVER, NULL, NULL, &pol);
	KUNIT_EXPECT_FALSE(test, pol.require_signing);
	KUNIT_EXPECT_FALSE(test, pol.allow_insecure_guest);
	KUNIT_EXPECT_TRUE(test, pol.audit_unsigned_peers);

	/* An invalid side gets the strictest policy. */
	smbsign_policy_get(7, NULL, NULL, &pol);
	KUNIT_EXPECT_TRUE(test, pol.require_signing);
	KUNIT_EXPECT_FALSE(test, pol.allow_insecure_guest);
}

static void policy_format_algs(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	set_algs(test, "hmac-sha256,aes-gmac");
	smbsign_policy_format_algs(buf, true);
	KUNIT_EXPECT_STREQ(test, buf, "[hmac-sha256] [aes-gmac] aes-cmac\n");
	smbsign_policy_format_algs(buf, false);
	KUNIT_EXPECT_STREQ(test, buf, "hmac-sha256,aes-gmac\n");
}

/* ----------------------------------------- SMB2_SIGNING_CAPABILITIES */

static void policy_pick_alg(struct kunit *test)
{
	struct smbsign_policy pol = {
		.nr_algs = 2,
		.algs = { SMBSIGN_ALG_AES_CMAC, SMBSIGN_ALG_AES_GMAC },
	};
	const __le16 gmac_first[] = { cpu_to_le16(2), cpu_to_le16(1),
				      cpu_to_le16(0) };
	const __le16 gmac_only[] = { cpu_to_le16(2) };
	const __le16 hmac_only[] = { cpu_to_le16(0) };
	const __le16 junk[] = { cpu_to_le16(0x7777), cpu_to_le16(2) };

	/* The server's preference wins over the client's order. */
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, gmac_first, 3),
			SMBSIGN_ALG_AES_CMAC);
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, gmac_only, 1),
			SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, hmac_only, 1),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, junk, 2),
			SMBSIGN_ALG_AES_GMAC);
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, NULL, 0),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, smbsign_policy_pick_alg(&pol, NULL, 3),
			-ENOENT);
}

/* ------------------------------------------------------------ parsers */

static void policy_parse_bool(struct kunit *test)
{
	static const char *const yes[] = {
		"1", "y", "Y", "yes", "YES", "true", "True", "on", "ON",
		"1\n", "on\n", "true\n",
	};
	static const char *const no[] = {
		"0", "n", "N", "no", "false", "FALSE", "off", "Off", "0\n",
	};
	static const char *const bad[] = {
		"", "\n", "2", "tr", "t", "f", "o", "1x", "1 1", "1\n\n", " 1",
		"1 ", "yess", "onn", "-1", "0x1", "\n1", "nope", "of",
	};
	char big[SMBSIGN_PARSE_MAX + 2];
	unsigned int i;
	bool v;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		KUNIT_EXPECT_EQ_MSG(test, smbsign_parse_bool(yes[i],
							     strlen(yes[i]), &v),
				    0, "'%s'", yes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, v, "'%s'", yes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		v = true;
		KUNIT_EXPECT_EQ_MSG(test, smbsign_parse_bool(no[i],
							     strlen(no[i]), &v),
				    0, "'%s'", no[i]);
		KUNIT_EXPECT_FALSE_MSG(test, v, "'%s'", no[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = true;
		KUNIT_EXPECT_EQ_MSG(test, smbsign_parse_bool(bad[i],
							     strlen(bad[i]), &v),
				    -EINVAL, "'%s'", bad[i]);
		KUNIT_EXPECT_TRUE(test, v);
	}
	/* A NUL inside the value, and an overlong value. */
	KUNIT_EXPECT_EQ(test, smbsign_parse_bool("1\0", 2, &v), -EINVAL);
	memset(big, '1', sizeof(big));
	KUNIT_EXPECT_EQ(test, smbsign_parse_bool(big, sizeof(big), &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, smbsign_parse_bool(NULL, 0, &v), -EINVAL);
}

struct algs_case {
	const char *in;
	int err;
	unsigned int n;
	unsigned int algs[3];
};

static const struct algs_case algs_cases[] = {
	{ "aes-gmac aes-cmac hmac-sha256", 0, 3, { 2, 1, 0 } },
	{ "hmac-sha256\n", 0, 1, { 0 } },
	{ "AES-CMAC,aes-gmac", 0, 2, { 1, 2 } },
	{ "  aes-cmac , , aes-gmac ,\n", 0, 2, { 1, 2 } },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ " , ", -EINVAL },
	{ "aes-gmac aes-gmac", -EINVAL },
	{ "aes-gmac AES-GMAC", -EINVAL },
	{ "aes-gcm", -EINVAL },
	{ "aes-cmac sha256", -EINVAL },
	{ "aes-cmac\taes-gmac", -EINVAL },
	{ "aes-cmac\n\n", -EINVAL },
	{ "[aes-cmac]", -EINVAL },
	{ "aes-cma", -EINVAL },
};

static void algs_desc(const struct algs_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->in);
}

KUNIT_ARRAY_PARAM(algs, algs_cases, algs_desc);

static void policy_parse_algs(struct kunit *test)
{
	const struct algs_case *c = test->param_value;
	unsigned int algs[3] = { 9, 9, 9 }, n = 9, i;

	KUNIT_ASSERT_EQ(test, smbsign_parse_algs(c->in, strlen(c->in), algs,
						 &n), c->err);
	if (c->err) {
		/* Nothing is written on failure. */
		KUNIT_EXPECT_EQ(test, n, 9);
		KUNIT_EXPECT_EQ(test, algs[0], 9);
		return;
	}
	KUNIT_ASSERT_EQ(test, n, c->n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, algs[i], c->algs[i]);
}

/* A rejected write leaves the live policy as it was. */
static void policy_bad_write_changes_nothing(struct kunit *test)
{
	char *before = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	char *after = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_AUDIT, true);
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_knob(SMBSIGN_KNOB_CLIENT_AUDIT,
						      "of", 2), -EINVAL);
	KUNIT_EXPECT_TRUE(test, smbsign_policy_knob(SMBSIGN_KNOB_CLIENT_AUDIT));
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_knob(SMBSIGN_KNOB_COUNT, "1",
						      1), -EINVAL);

	smbsign_policy_format_algs(before, true);
	KUNIT_EXPECT_EQ(test, smbsign_policy_set_algs("aes-cmac bogus", 14),
			-EINVAL);
	smbsign_policy_format_algs(after, true);
	KUNIT_EXPECT_STREQ(test, before, after);
}

/* -------------------------------------------------------------- counters */

/* Signing and verifying count per side and algorithm, bytes included. */
static void policy_counters_follow_context(struct kunit *test)
{
	enum smbsign_counter cnts[] = {
		SMBSIGN_CNT_SIGNED, SMBSIGN_CNT_VERIFIED,
		SMBSIGN_CNT_VERIFY_FAILED, SMBSIGN_CNT_BYTES_SIGNED,
		SMBSIGN_CNT_BYTES_VERIFIED,
	};
	const struct smbsign_kt_hdr h = { .command = SMB2_READ,
					  .flags = FLAG_RESPONSE,
					  .message_id = 5, .session_id = 1 };
	u64 before[SMBSIGN_SIDE_COUNT][ARRAY_SIZE(cnts)];
	struct smbsign_session *sess;
	struct smbsign_sess_rec *rec;
	struct smbsign_ctx *ctx;
	struct smbsign_msg *msg;
	unsigned int side, i;
	u8 *buf;

	buf = kunit_kzalloc(test, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	smbsign_kt_put_hdr(buf, &h);
	msg = smbsign_kt_msg(test, buf, 100, NULL, 0);
	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++)
		for (i = 0; i < ARRAY_SIZE(cnts); i++)
			before[side][i] = smbsign_stats_read(side,
							     SMBSIGN_ALG_AES_GMAC,
							     cnts[i]);

	sess = smbsign_kt_session(test, SMBSIGN_SERVER, "192.0.2.3", NULL);
	ctx = smbsign_ctx_alloc(sess, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key,
				SMBSIGN_KEY_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	rec = sess->rec;
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, msg), 0);
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, msg), 0);
	buf[80] ^= 1;
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, msg), -EBADMSG);
	/* The session's own line counts the same messages. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&rec->signed_msgs), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rec->verified), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rec->failed), 1);
	/* A context may outlive its session (KASAN checks the record). */
	smbsign_session_exit(sess);
	KUNIT_EXPECT_NULL(test, sess->rec);
	KUNIT_EXPECT_EQ(test, smbsign_verify(ctx, msg), -EBADMSG);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rec->failed), 2);
	smbsign_ctx_free(ctx);

	/* signed 1/100, verified 1, failed 2, 300 bytes checked. */
	{
		const u64 want[] = { 1, 1, 2, 100, 300 };

		for (i = 0; i < ARRAY_SIZE(cnts); i++) {
			KUNIT_EXPECT_EQ(test,
					smbsign_stats_read(SMBSIGN_SERVER,
							   SMBSIGN_ALG_AES_GMAC,
							   cnts[i]),
					before[SMBSIGN_SERVER][i] + want[i]);
			KUNIT_EXPECT_EQ(test,
					smbsign_stats_read(SMBSIGN_CLIENT,
							   SMBSIGN_ALG_AES_GMAC,
							   cnts[i]),
					before[SMBSIGN_CLIENT][i]);
		}
	}
}

static void policy_counter_reset(struct kunit *test)
{
	unsigned int side, alg, cnt;

	smbsign_stats_count(SMBSIGN_CLIENT, SMBSIGN_ALG_HMAC_SHA256,
			    SMBSIGN_CNT_SIGNED, SMBSIGN_CNT_BYTES_SIGNED, 64);
	KUNIT_EXPECT_GT(test, smbsign_stats_read(SMBSIGN_CLIENT,
						 SMBSIGN_ALG_HMAC_SHA256,
						 SMBSIGN_CNT_BYTES_SIGNED), 0);
	smbsign_stats_reset();
	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++)
		for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++)
			for (cnt = 0; cnt < SMBSIGN_CNT_COUNT; cnt++)
				KUNIT_EXPECT_EQ(test,
						smbsign_stats_read(side, alg, cnt),
						0);
	smbsign_stats_count(SMBSIGN_CLIENT, SMBSIGN_ALG_HMAC_SHA256,
			    SMBSIGN_CNT_SIGNED, SMBSIGN_CNT_BYTES_SIGNED, 64);
	KUNIT_EXPECT_EQ(test, smbsign_stats_read(SMBSIGN_CLIENT,
						 SMBSIGN_ALG_HMAC_SHA256,
						 SMBSIGN_CNT_BYTES_SIGNED), 64);
}

static struct kunit_case policy_cases[] = {
	KUNIT_CASE_PARAM(policy_decision_table, decision_rows_gen_params),
	KUNIT_CASE(policy_required_elsewhere),
	KUNIT_CASE_PARAM(policy_no_downgrade_through_logon_flags,
			 downgrade_rows_gen_params),
	KUNIT_CASE(policy_peer_requires),
	KUNIT_CASE(policy_reauth_never_relaxes),
	KUNIT_CASE(policy_reflected_message_refused),
	KUNIT_CASE_PARAM(policy_unsigned_exemptions, exempt_gen_params),
	KUNIT_CASE(policy_verify_error_fails_closed),
	KUNIT_CASE(policy_snapshot_per_session),
	KUNIT_CASE(policy_get_sides),
	KUNIT_CASE(policy_format_algs),
	KUNIT_CASE(policy_pick_alg),
	KUNIT_CASE(policy_parse_bool),
	KUNIT_CASE_PARAM(policy_parse_algs, algs_gen_params),
	KUNIT_CASE(policy_bad_write_changes_nothing),
	KUNIT_CASE(policy_counters_follow_context),
	KUNIT_CASE(policy_counter_reset),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "smbsign_policy",
	.test_cases = policy_cases,
};

kunit_test_suite(policy_suite);
