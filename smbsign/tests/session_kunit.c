// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an administrator reads in /proc/fs/smbsign. The sessions
 * table (one line per live session, with its decision and counts) and
 * the audit inventory (per peer: sessions that did not sign, and whether
 * they could have), read through the same seq_file code procfs uses.
 */
#include <kunit/test.h>
#include <linux/seq_file.h>

#include "kunit_util.h"

/* Everything the seq_file operations print, as one string. */
static char *read_seq(struct kunit *test, const struct seq_operations *ops,
		      int (*single)(struct seq_file *, void *))
{
	struct seq_file m = { .size = 64 * PAGE_SIZE };
	loff_t pos = 0;
	void *v;

	m.buf = kunit_kzalloc(test, m.size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	if (single) {
		KUNIT_EXPECT_EQ(test, single(&m, NULL), 0);
	} else {
		for (v = ops->start(&m, &pos); v; v = ops->next(&m, v, &pos))
			KUNIT_EXPECT_EQ(test, ops->show(&m, v), 0);
		ops->stop(&m, v);
	}
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	m.buf[m.count] = '\0';
	return m.buf;
}

#define HEADER "side address name session_id dialect algorithm logon required why signed verified failed\n"

#define NAS70 "client 192.0.2.70 nas70 "
#define NAS70_DECIDED \
	NAS70 "0x0000000000001234 3.1.1 aes-gmac user yes policy,local 1 0 0\n"

static char *sessions(struct kunit *test)
{
	return read_seq(test, &smbsign_sessions_seq_ops, NULL);
}

static char *audit(struct kunit *test)
{
	return read_seq(test, NULL, smbsign_audit_show);
}

static unsigned int lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void sessions_table(struct kunit *test)
{
	struct smbsign_session *sess;
	struct smbsign_auth auth = {
		.logon = SMBSIGN_LOGON_USER,
		.dialect = 0x0311,
		.alg = SMBSIGN_ALG_AES_GMAC,
		.required_elsewhere = true,
		.id = 0x1234,
	};
	const struct smbsign_kt_hdr h = { .command = 8, .message_id = 5,
					  .session_id = 0x1234 };
	struct smbsign_ctx *ctx;
	struct smbsign_msg *msg;
	char *t;
	u8 *buf;

	buf = kunit_kzalloc(test, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	smbsign_kt_put_hdr(buf, &h);
	msg = smbsign_kt_msg(test, buf, 100, NULL, 0);
	smbsign_kt_set_knob(test, SMBSIGN_KNOB_CLIENT_REQUIRE, true);
	t = sessions(test);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(t, HEADER));

	sess = smbsign_kt_session(test, SMBSIGN_CLIENT, "192.0.2.70", "nas70");
	t = sessions(test);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, NAS70 "0x0000000000000000 - - - no - 0 0 0\n"));

	KUNIT_ASSERT_EQ(test, smbsign_session_decide(sess, &auth), 0);
	ctx = smbsign_ctx_alloc(sess, SMBSIGN_ALG_AES_GMAC, smbsign_kt_key,
				SMBSIGN_KEY_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	KUNIT_EXPECT_EQ(test, smbsign_sign(ctx, msg), 0);
	t = sessions(test);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, NAS70_DECIDED));

	/* Gone with the session, even though its context is still alive. */
	smbsign_session_exit(sess);
	KUNIT_EXPECT_NULL(test, strstr(sessions(test), "nas70"));
	smbsign_ctx_free(ctx);
}

/* A name from a mount's UNC path cannot break the table's columns. */
static void sessions_table_names(struct kunit *test)
{
	char *t;

	smbsign_kt_session(test, SMBSIGN_CLIENT, "2001:db8::70",
			   "bad name,with\tstuff");
	smbsign_kt_session(test, SMBSIGN_SERVER, NULL, "ignored");
	t = sessions(test);
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, "client 2001:db8::70 bad?name?with?stuff 0x"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, "server - - 0x0000000000000000 - - - no - 0 0 0\n"));
}

static struct smbsign_session *server_session(struct kunit *test,
					      const char *ip,
					      enum smbsign_logon logon)
{
	struct smbsign_session *sess;
	struct smbsign_auth auth = {
		.logon = logon, .dialect = 0x0300,
		.alg = SMBSIGN_ALG_AES_CMAC, .id = 0x77,
	};

	sess = smbsign_kt_session(test, SMBSIGN_SERVER, ip, NULL);
	KUNIT_EXPECT_EQ(test, smbsign_session_decide(sess, &auth), 0);
	return sess;
}

static void unsigned_request(struct kunit *test, struct smbsign_session *sess)
{
	struct smbsign_msg_info mi = {
		.command = 8, .message_id = 9, .verify = SMBSIGN_VERIFY_UNSIGNED,
	};

	KUNIT_EXPECT_EQ(test, smbsign_decide(sess, &mi), 0);
}

/*
 * Guests and anonymous sessions could not have signed (they break when
 * signing is required); user sessions that did not sign merely did not.
 * Each session counts once, however many messages it sends.
 */
static void audit_inventory(struct kunit *test)
{
	struct smbsign_session *sess;

	smbsign_kt_set_knob(test, SMBSIGN_KNOB_SERVER_REQUIRE, false);
	smbsign_audit_reset();
	KUNIT_EXPECT_STREQ(test, audit(test),
			   "side address name unsigned guest anonymous exempted last_seen\n");

	sess = server_session(test, "192.0.2.80", SMBSIGN_LOGON_GUEST);
	unsigned_request(test, sess);
	server_session(test, "192.0.2.80", SMBSIGN_LOGON_ANONYMOUS);
	sess = server_session(test, "192.0.2.81", SMBSIGN_LOGON_USER);
	unsigned_request(test, sess);
	unsigned_request(test, sess);
	/* A user session that signs is not in the inventory at all. */
	server_session(test, "192.0.2.82", SMBSIGN_LOGON_USER);

	KUNIT_EXPECT_NOT_NULL(test, strstr(audit(test),
					   "server 192.0.2.80 - 0 1 1 0 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(audit(test),
					   "server 192.0.2.81 - 1 0 0 0 "));
	KUNIT_EXPECT_NULL(test, strstr(audit(test), "192.0.2.82"));
	KUNIT_EXPECT_EQ(test, lines(audit(test)), 3);

	smbsign_audit_reset();
	KUNIT_EXPECT_EQ(test, lines(audit(test)), 1);
}

/* A full table makes room by forgetting the peer seen least recently. */
static void audit_inventory_bounded(struct kunit *test)
{
	struct smbsign_sess_rec *rec = kunit_kzalloc(test, sizeof(*rec),
						     GFP_KERNEL);
	unsigned int i;
	char *t;

	KUNIT_ASSERT_NOT_NULL(test, rec);
	smbsign_audit_reset();
	rec->side = SMBSIGN_SERVER;
	rec->addr.kind = SMBSIGN_PEER_IPV4;
	rec->addr.addr[0] = 10;
	for (i = 0; i <= SMBSIGN_AUDIT_ROWS; i++) {
		rec->addr.addr[2] = i >> 8;
		rec->addr.addr[3] = i & 0xff;
		smbsign_audit_record(rec, SMBSIGN_AUDIT_GUEST);
	}
	t = audit(test);
	KUNIT_EXPECT_EQ(test, lines(t), SMBSIGN_AUDIT_ROWS + 1);
	KUNIT_EXPECT_NULL(test, strstr(t, "server 10.0.0.0 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, "server 10.0.0.1 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(t, "server 10.0.1.0 "));
	smbsign_audit_reset();
}

static struct kunit_case session_test_cases[] = {
	KUNIT_CASE(sessions_table),
	KUNIT_CASE(sessions_table_names),
	KUNIT_CASE(audit_inventory),
	KUNIT_CASE(audit_inventory_bounded),
	{}
};

static struct kunit_suite session_suite = {
	.name = "smbsign_sessions",
	.test_cases = session_test_cases,
};

kunit_test_suite(session_suite);
