// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of live sessions: every session cifs or ksmbd sets up
 * through smbsign_session_init() until smbsign_session_exit(), shown one
 * line each in /proc/fs/smbsign/sessions (like smbstatus' Signing column
 * or Windows' Get-SmbSession): side, peer, SessionId, dialect, algorithm,
 * logon, whether signing is required and why, and the session's message
 * counts.
 *
 * A session's record (struct smbsign_sess_rec) is allocated with it and
 * referenced by every context keyed for it, which counts into it; the
 * record outlives the session only until those contexts are freed. The
 * list links records of live sessions only, and a record points to its
 * session only while linked, under sess_lock: the table never reads a
 * session that is gone.
 */
#include <linux/error-injection.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "smbsign.h"

/* Protects sess_list and the @sess pointer of every record on it. */
static DEFINE_SPINLOCK(sess_lock);
static LIST_HEAD(sess_list);

static const char *const why_names[SMBSIGN_WHY_COUNT] = SMBSIGN_WHY_NAMES;

static const char *const logon_names[] = {
	[SMBSIGN_LOGON_USER] = "user",
	[SMBSIGN_LOGON_GUEST] = "guest",
	[SMBSIGN_LOGON_ANONYMOUS] = "anonymous",
};

/**
 * smbsign_dialect_name() - the name of an SMB2 dialect revision
 * @dialect: e.g. 0x0311
 *
 * Context: any context.
 * Return: "2.0.2", "2.1", "3.0", "3.0.2", "3.1.1", or "-".
 */
const char *smbsign_dialect_name(u16 dialect)
{
	switch (dialect) {
	case 0x0202:
		return "2.0.2";
	case 0x0210:
		return "2.1";
	case 0x0300:
		return "3.0";
	case 0x0302:
		return "3.0.2";
	case 0x0311:
		return "3.1.1";
	}
	return "-";
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_dialect_name);

/*
 * The table is split on spaces and logs are read by people: a name that
 * came from a mount's UNC path keeps only printable ASCII, and no commas
 * or spaces (the characters of a host name are all kept).
 */
static void copy_name(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i < SMBSIGN_PEER_NAME_MAX && src[i]; i++)
		dst[i] = src[i] > ' ' && src[i] < 0x7f && src[i] != ',' ?
			 src[i] : '?';
	dst[i] = '\0';
}

/* The peer as logs show it: "name (address)", "address" or "name". */
static void format_peer(struct smbsign_sess_rec *rec)
{
	char addr[48] = "";

	if (rec->addr.kind == SMBSIGN_PEER_IPV4)
		snprintf(addr, sizeof(addr), "%pI4", rec->addr.addr);
	else if (rec->addr.kind == SMBSIGN_PEER_IPV6)
		snprintf(addr, sizeof(addr), "%pI6c", rec->addr.addr);
	if (rec->name[0] && addr[0])
		snprintf(rec->peer, sizeof(rec->peer), "%s (%s)", rec->name,
			 addr);
	else
		strscpy(rec->peer, rec->name[0] ? rec->name : addr[0] ? addr :
			"unknown peer", sizeof(rec->peer));
}

/**
 * smbsign_session_init() - start the policy state of a new session
 * @sess: the consumer's session state
 * @side: SMBSIGN_CLIENT (cifs) or SMBSIGN_SERVER (ksmbd)
 * @addr: the peer's address (client: the server's; server: the client's),
 *	or NULL if unknown
 * @name: client: the server name of the mount (the host of its UNC path),
 *	or NULL; the server passes NULL
 *
 * Clears @sess, snapshots the side's policy for this peer into it
 * (MS-SMB2 3.2.4.2, 3.3.5.5: the session's signing requirement is fixed at
 * setup; unsigned_peers is applied here) and registers the session in
 * /proc/fs/smbsign/sessions. Call it once, when the session is created,
 * before authentication, and smbsign_session_exit() when it goes. An
 * invalid @side is treated as the strictest policy.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM (@sess is then unusable: its decisions refuse).
 */
int smbsign_session_init(struct smbsign_session *sess,
			 enum smbsign_side side, const struct sockaddr *addr,
			 const char *name)
{
	struct smbsign_sess_rec *rec;

	memset(sess, 0, sizeof(*sess));
	sess->side = side;
	smbsign_policy_get(side, addr, name, &sess->policy);
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec) {
		/* Fail closed: the strictest policy, and no record. */
		sess->policy.require_signing = true;
		sess->policy.allow_insecure_guest = false;
		return -ENOMEM;
	}
	refcount_set(&rec->ref, 1);
	rec->side = side;
	smbsign_peer_addr_from_sockaddr(addr, &rec->addr);
	if (side == SMBSIGN_CLIENT && name)
		copy_name(rec->name, name);
	format_peer(rec);
	strscpy(sess->peer, rec->peer, sizeof(sess->peer));
	rec->sess = sess;
	sess->rec = rec;

	spin_lock_bh(&sess_lock);
	list_add_tail(&rec->node, &sess_list);
	spin_unlock_bh(&sess_lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(smbsign_session_init, SMBSIGN);
/*
 * The record's allocation, when cifs or ksmbd creates a session: both
 * must fail the SESSION_SETUP and still call smbsign_session_exit().
 */
ALLOW_ERROR_INJECTION(smbsign_session_init, ERRNO);

/**
 * smbsign_sess_rec_put() - drop a reference on a session record
 * @rec: the record, or NULL
 *
 * Context: any context.
 */
void smbsign_sess_rec_put(struct smbsign_sess_rec *rec)
{
	if (rec && refcount_dec_and_test(&rec->ref))
		kfree(rec);
}

/**
 * smbsign_session_exit() - end a session's policy state
 * @sess: the session, from smbsign_session_init() (also after it failed)
 *
 * Removes the session from /proc/fs/smbsign/sessions. Contexts keyed for
 * it may still be freed afterwards. Call it before freeing @sess.
 *
 * Context: process context.
 */
void smbsign_session_exit(struct smbsign_session *sess)
{
	struct smbsign_sess_rec *rec = sess ? sess->rec : NULL;

	if (!rec)
		return;
	spin_lock_bh(&sess_lock);
	list_del_init(&rec->node);
	rec->sess = NULL;
	spin_unlock_bh(&sess_lock);
	sess->rec = NULL;
	smbsign_sess_rec_put(rec);
}
EXPORT_SYMBOL_NS_GPL(smbsign_session_exit, SMBSIGN);

/* ------------------------------------------------ /proc/fs/smbsign/sessions */

static void *sessions_start(struct seq_file *m, loff_t *pos)
	__acquires(&sess_lock)
{
	spin_lock_bh(&sess_lock);
	return seq_list_start_head(&sess_list, *pos);
}

static void *sessions_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &sess_list, pos);
}

static void sessions_stop(struct seq_file *m, void *v)
	__releases(&sess_lock)
{
	spin_unlock_bh(&sess_lock);
}

static void show_why(struct seq_file *m, unsigned long why)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < SMBSIGN_WHY_COUNT; i++) {
		if (!(why & BIT(i)))
			continue;
		seq_printf(m, "%s%s", any ? "," : "", why_names[i]);
		any = true;
	}
	if (!any)
		seq_puts(m, "-");
}

static int sessions_show(struct seq_file *m, void *v)
{
	struct smbsign_sess_rec *rec;
	struct smbsign_session *sess;
	bool decided;
	int logon;

	lockdep_assert_held(&sess_lock);
	if (v == &sess_list) {
		seq_puts(m, "side address name session_id dialect algorithm logon required why signed verified failed\n");
		return 0;
	}
	rec = list_entry(v, struct smbsign_sess_rec, node);
	sess = rec->sess;
	decided = test_bit(SMBSIGN_SESS_DECIDED, &sess->state);
	seq_printf(m, "%s ", rec->side == SMBSIGN_SERVER ? "server" : "client");
	if (rec->addr.kind == SMBSIGN_PEER_IPV4)
		seq_printf(m, "%pI4 ", rec->addr.addr);
	else if (rec->addr.kind == SMBSIGN_PEER_IPV6)
		seq_printf(m, "%pI6c ", rec->addr.addr);
	else
		seq_puts(m, "- ");
	seq_printf(m, "%s ", rec->name[0] ? rec->name : "-");
	logon = READ_ONCE(sess->logon);
	seq_printf(m, "0x%016llx %s %s %s %s ", READ_ONCE(sess->id),
		   decided ? smbsign_dialect_name(READ_ONCE(sess->dialect)) :
		   "-",
		   decided ? smbsign_alg_name(READ_ONCE(sess->alg)) ?: "-" : "-",
		   decided && logon >= 0 && logon < ARRAY_SIZE(logon_names) ?
		   logon_names[logon] : "-",
		   READ_ONCE(sess->signing_required) ? "yes" : "no");
	show_why(m, READ_ONCE(sess->why));
	seq_printf(m, " %llu %llu %llu\n",
		   (u64)atomic64_read(&rec->signed_msgs),
		   (u64)atomic64_read(&rec->verified),
		   (u64)atomic64_read(&rec->failed));
	return 0;
}

const struct seq_operations smbsign_sessions_seq_ops = {
	.start = sessions_start,
	.next = sessions_next,
	.stop = sessions_stop,
	.show = sessions_show,
};
