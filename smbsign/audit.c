// SPDX-License-Identifier: GPL-2.0
/*
 * The audit inventory: for each peer, how many of its sessions ran
 * without signing and whether they could have signed. It answers "what
 * breaks if I require signing?" (Windows 24H2's
 * AuditClientDoesNotSupportSigning / AuditServerDoesNotSupportSigning)
 * without reading rate-limited logs:
 *  - unsigned: user sessions that accepted unsigned messages; they have a
 *    key, so they sign once signing is required: nothing breaks;
 *  - guest, anonymous: sessions with no key, which cannot sign: these
 *    peers break when signing is required (or need unsigned_peers);
 *  - exempted: sessions that unsigned_peers let through.
 * Kept whether or not audit_unsigned_peers logs; one row per side and
 * peer, SMBSIGN_AUDIT_ROWS at most (the least recently seen row makes
 * room), cleared with stats/reset. Shown in /proc/fs/smbsign/audit.
 *
 * Recorded once per session and event, never per message.
 */
#include <crypto/utils.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "smbsign.h"

struct audit_row {
	bool used;
	enum smbsign_side side;
	struct smbsign_peer_addr addr;
	char name[SMBSIGN_PEER_NAME_MAX + 1];
	u64 count[SMBSIGN_AUDIT_COUNT];
	u64 last_seen;
};

/* Protects rows[] and every row in it. */
static DEFINE_SPINLOCK(audit_lock);
static struct audit_row *rows;

static bool row_is(const struct audit_row *r,
		   const struct smbsign_sess_rec *rec)
{
	return r->used && r->side == rec->side &&
	       r->addr.kind == rec->addr.kind &&
	       !crypto_memneq(r->addr.addr, rec->addr.addr,
			      sizeof(r->addr.addr)) &&
	       !strcmp(r->name, rec->name);
}

/* The row of @rec's peer, or a free or least recently seen one. */
static struct audit_row *find_row(const struct smbsign_sess_rec *rec)
{
	struct audit_row *r, *victim = NULL;
	unsigned int i;

	lockdep_assert_held(&audit_lock);
	for (i = 0; i < SMBSIGN_AUDIT_ROWS; i++) {
		r = &rows[i];
		if (row_is(r, rec))
			return r;
		if (!victim || (victim->used &&
				(!r->used || r->last_seen < victim->last_seen)))
			victim = r;
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->side = rec->side;
	victim->addr = rec->addr;
	strscpy(victim->name, rec->name, sizeof(victim->name));
	return victim;
}

/**
 * smbsign_audit_record() - count a session's event in the inventory
 * @rec: the session's record
 * @ev: what happened
 *
 * Context: any context but hard interrupts; takes audit_lock.
 */
void smbsign_audit_record(const struct smbsign_sess_rec *rec,
			  enum smbsign_audit_event ev)
{
	struct audit_row *r;

	if (!rows || !rec || (unsigned int)ev >= SMBSIGN_AUDIT_COUNT)
		return;
	spin_lock_bh(&audit_lock);
	r = find_row(rec);
	r->count[ev]++;
	r->last_seen = ktime_get_boottime_seconds();
	spin_unlock_bh(&audit_lock);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_audit_record);

/**
 * smbsign_audit_reset() - empty the inventory
 *
 * Context: process context; takes audit_lock.
 */
void smbsign_audit_reset(void)
{
	if (!rows)
		return;
	spin_lock_bh(&audit_lock);
	memset(rows, 0, SMBSIGN_AUDIT_ROWS * sizeof(*rows));
	spin_unlock_bh(&audit_lock);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_audit_reset);

/**
 * smbsign_audit_show() - print the inventory, /proc/fs/smbsign/audit
 * @m: the seq_file
 * @v: unused
 *
 * A header line, then "side address name unsigned guest anonymous
 * exempted last_seen" for each peer, last_seen in CLOCK_BOOTTIME seconds.
 *
 * Context: process context; takes audit_lock.
 * Return: 0.
 */
int smbsign_audit_show(struct seq_file *m, void *v)
{
	const struct audit_row *r;
	unsigned int i;

	seq_puts(m, "side address name unsigned guest anonymous exempted last_seen\n");
	if (!rows)
		return 0;
	spin_lock_bh(&audit_lock);
	for (i = 0; i < SMBSIGN_AUDIT_ROWS; i++) {
		r = &rows[i];
		if (!r->used)
			continue;
		seq_printf(m, "%s ", r->side == SMBSIGN_SERVER ? "server" :
							   "client");
		if (r->addr.kind == SMBSIGN_PEER_IPV4)
			seq_printf(m, "%pI4", r->addr.addr);
		else if (r->addr.kind == SMBSIGN_PEER_IPV6)
			seq_printf(m, "%pI6c", r->addr.addr);
		else
			seq_puts(m, "-");
		seq_printf(m, " %s %llu %llu %llu %llu %llu\n",
			   r->name[0] ? r->name : "-",
			   r->count[SMBSIGN_AUDIT_UNSIGNED],
			   r->count[SMBSIGN_AUDIT_GUEST],
			   r->count[SMBSIGN_AUDIT_ANONYMOUS],
			   r->count[SMBSIGN_AUDIT_EXEMPTED], r->last_seen);
	}
	spin_unlock_bh(&audit_lock);
	return 0;
}

/**
 * smbsign_audit_init() - allocate the inventory
 *
 * Context: process context (module init).
 * Return: 0 or -ENOMEM.
 */
int smbsign_audit_init(void)
{
	rows = kvcalloc(SMBSIGN_AUDIT_ROWS, sizeof(*rows), GFP_KERNEL);
	return rows ? 0 : -ENOMEM;
}

/**
 * smbsign_audit_exit() - free the inventory
 *
 * Context: process context (module exit), once nothing records any more.
 */
void smbsign_audit_exit(void)
{
	kvfree(rows);
	rows = NULL;
}
