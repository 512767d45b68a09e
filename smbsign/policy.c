// SPDX-License-Identifier: GPL-2.0
/*
 * The signing policy: require-signing per side, insecure guest logons,
 * audit switches and the SMB 3.1.1 algorithm preference list, with their
 * module parameters. The sysfs files (sysfs.c) and the parameters share
 * the strict parsers of parse.c and the state below.
 *
 * Consumers never read the live state: they take a snapshot per session
 * (smbsign_session_init()) or per negotiation (smbsign_policy_get()), so a
 * change applies to new sessions only and can never downgrade a session
 * that is already set up.
 *
 * Defaults follow Windows Server 2025: signing required on outbound
 * (client) sessions, not on inbound (server) sessions; insecure guest
 * logons off; no auditing; every algorithm offered, GMAC first; no peer
 * exempt.
 *
 * The unsigned_peers lists are the only per-peer part: the policy a
 * snapshot holds is the one for the peer it was taken for.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include <kunit/visibility.h>

#include "smbsign.h"

/* Protects policy. */
static DEFINE_MUTEX(policy_lock);

/* The settings' names, defaults and descriptions. */
const struct smbsign_knob_desc smbsign_knobs[SMBSIGN_KNOB_COUNT] =
	SMBSIGN_KNOB_TABLE;
EXPORT_SYMBOL_IF_KUNIT(smbsign_knobs);

static struct {
	/* -1 until set: then smbsign_knobs[].def applies */
	s8 knob[SMBSIGN_KNOB_COUNT];
	unsigned int nr_algs;
	unsigned int algs[SMBSIGN_ALG_COUNT];
	/* <side>/unsigned_peers; NULL when empty */
	struct smbsign_peer_list *peers[SMBSIGN_SIDE_COUNT];
} policy = {
	.knob = { [0 ... SMBSIGN_KNOB_COUNT - 1] = -1 },
	.nr_algs = 3,
	.algs = { SMBSIGN_ALG_AES_GMAC, SMBSIGN_ALG_AES_CMAC,
		  SMBSIGN_ALG_HMAC_SHA256 },
};

/* The value of a setting, its default until it is set. */
static bool knob_value(enum smbsign_knob k)
{
	lockdep_assert_held(&policy_lock);
	return policy.knob[k] < 0 ? smbsign_knobs[k].def : policy.knob[k];
}

/**
 * smbsign_policy_knob() - read a boolean policy switch
 * @k: the switch
 *
 * Context: process context; takes policy_lock.
 * Return: its current value.
 */
bool smbsign_policy_knob(enum smbsign_knob k)
{
	bool v;

	mutex_lock(&policy_lock);
	v = knob_value(k);
	mutex_unlock(&policy_lock);
	return v;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_knob);

/**
 * smbsign_policy_set_knob() - parse and set a boolean policy switch
 * @knob: the switch
 * @buf: the value written
 * @len: its length
 *
 * Context: process context; takes policy_lock.
 * Return: 0, or -EINVAL (nothing changed) if @buf is not a boolean as
 * smbsign_parse_bool() accepts it.
 */
int smbsign_policy_set_knob(enum smbsign_knob knob, const char *buf,
			    size_t len)
{
	bool v;
	int err;

	if ((unsigned int)knob >= SMBSIGN_KNOB_COUNT)
		return -EINVAL;
	err = smbsign_parse_bool(buf, len, &v);
	if (err)
		return err;
	mutex_lock(&policy_lock);
	policy.knob[knob] = v;
	mutex_unlock(&policy_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_set_knob);

/**
 * smbsign_policy_set_algs() - parse and set the algorithm preference list
 * @buf: the list written
 * @len: its length
 *
 * Context: process context; takes policy_lock.
 * Return: 0, or -EINVAL (nothing changed) for an unknown name, a
 * duplicate or an empty list.
 */
int smbsign_policy_set_algs(const char *buf, size_t len)
{
	unsigned int algs[SMBSIGN_ALG_COUNT], n;
	int err;

	BUILD_BUG_ON(SMBSIGN_PARSE_NR_ALGS != SMBSIGN_ALG_COUNT);
	err = smbsign_parse_algs(buf, len, algs, &n);
	if (err)
		return err;
	mutex_lock(&policy_lock);
	memcpy(policy.algs, algs, sizeof(algs));
	policy.nr_algs = n;
	mutex_unlock(&policy_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_set_algs);

/**
 * smbsign_policy_format_algs() - print the algorithm preference list
 * @buf: the page to print into
 * @bracket: sysfs style (enabled names in brackets, in order, then the
 *	disabled ones) rather than the module parameter's comma list
 *
 * Context: process context; takes policy_lock.
 * Return: the number of characters printed, newline included.
 */
int smbsign_policy_format_algs(char *buf, bool bracket)
{
	unsigned int i, used = 0;
	int len = 0;

	mutex_lock(&policy_lock);
	for (i = 0; i < policy.nr_algs; i++) {
		used |= 1U << policy.algs[i];
		len += scnprintf(buf + len, PAGE_SIZE - len,
				 bracket ? "%s[%s]" : "%s%s", i ? (bracket ? " " : ",") : "",
				 smbsign_alg_name(policy.algs[i]));
	}
	mutex_unlock(&policy_lock);
	for (i = 0; bracket && i < SMBSIGN_ALG_COUNT; i++)
		if (!(used & (1U << i)))
			len += scnprintf(buf + len, PAGE_SIZE - len, " %s",
					 smbsign_alg_name(i));
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_format_algs);

/**
 * smbsign_peer_addr_from_sockaddr() - the address of a peer, for matching
 * @sa: the peer's socket address, or NULL
 * @addr: the result; kind 0 when @sa is NULL or not IPv4/IPv6
 *
 * An IPv4-mapped IPv6 address (ksmbd listens on an IPv6 socket) becomes
 * the IPv4 address, as peers.c stores such list entries.
 *
 * Context: any context.
 */
void smbsign_peer_addr_from_sockaddr(const struct sockaddr *sa,
				     struct smbsign_peer_addr *addr)
{
	const struct sockaddr_in6 *sin6;

	memset(addr, 0, sizeof(*addr));
	if (!sa)
		return;
	switch (sa->sa_family) {
	case AF_INET:
		addr->kind = SMBSIGN_PEER_IPV4;
		memcpy(addr->addr,
		       &((const struct sockaddr_in *)sa)->sin_addr.s_addr, 4);
		break;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		if (ipv6_addr_v4mapped(&sin6->sin6_addr)) {
			addr->kind = SMBSIGN_PEER_IPV4;
			memcpy(addr->addr, &sin6->sin6_addr.s6_addr32[3], 4);
		} else {
			addr->kind = SMBSIGN_PEER_IPV6;
			memcpy(addr->addr, &sin6->sin6_addr, 16);
		}
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_peer_addr_from_sockaddr);

/**
 * smbsign_policy_get() - take a snapshot of one side's policy for a peer
 * @side: SMBSIGN_CLIENT or SMBSIGN_SERVER
 * @addr: the peer's address (client: the server's; server: the
 *	client's), or NULL when unknown
 * @name: client: the server name of the mount (the host of its UNC
 *	path), or NULL; the server passes NULL
 * @pol: the snapshot
 *
 * For the negotiation (MS-SMB2 2.2.3, 2.2.3.1.7: SecurityMode and
 * SMB2_SIGNING_CAPABILITIES), the cifs mount options and
 * smbsign_session_init(). When the peer is on the side's unsigned_peers
 * list, the snapshot does not require signing and, for the client,
 * allows guest logons, and says so in @pol->require_waived and
 * @pol->guest_waived. An invalid @side gets the strictest policy (signing
 * required, no guests, no exceptions).
 *
 * Context: process context; takes policy_lock.
 */
void smbsign_policy_get(enum smbsign_side side, const struct sockaddr *addr,
			const char *name, struct smbsign_policy *pol)
{
	struct smbsign_peer_addr pa;
	unsigned int i;
	bool exempt;

	memset(pol, 0, sizeof(*pol));
	smbsign_peer_addr_from_sockaddr(addr, &pa);
	mutex_lock(&policy_lock);
	switch (side) {
	case SMBSIGN_CLIENT:
		pol->require_signing = knob_value(SMBSIGN_KNOB_CLIENT_REQUIRE);
		pol->allow_insecure_guest =
			knob_value(SMBSIGN_KNOB_CLIENT_GUEST);
		pol->audit_unsigned_peers =
			knob_value(SMBSIGN_KNOB_CLIENT_AUDIT);
		break;
	case SMBSIGN_SERVER:
		pol->require_signing = knob_value(SMBSIGN_KNOB_SERVER_REQUIRE);
		pol->audit_unsigned_peers =
			knob_value(SMBSIGN_KNOB_SERVER_AUDIT);
		/* The server never sees a name it could trust. */
		name = NULL;
		break;
	default:
		pol->require_signing = true;
		break;
	}
	exempt = (side == SMBSIGN_CLIENT || side == SMBSIGN_SERVER) &&
		 policy.peers[side] &&
		 smbsign_peers_match(policy.peers[side], &pa, name);
	if (exempt && pol->require_signing) {
		pol->require_signing = false;
		pol->require_waived = true;
	}
	if (exempt && side == SMBSIGN_CLIENT && !pol->allow_insecure_guest) {
		pol->allow_insecure_guest = true;
		pol->guest_waived = true;
	}
	pol->nr_algs = policy.nr_algs;
	for (i = 0; i < policy.nr_algs; i++)
		pol->algs[i] = policy.algs[i];
	mutex_unlock(&policy_lock);
}
EXPORT_SYMBOL_NS_GPL(smbsign_policy_get, SMBSIGN);

/**
 * smbsign_policy_set_peers() - parse and set a side's unsigned_peers list
 * @side: SMBSIGN_CLIENT (names allowed) or SMBSIGN_SERVER
 * @buf: the list written
 * @len: its length
 *
 * Applies to sessions set up afterwards, like every policy change.
 *
 * Context: process context; takes policy_lock; allocates.
 * Return: 0, or -EINVAL (nothing changed) for a list smbsign_parse_peers()
 * refuses or an invalid @side, -ENOMEM.
 */
int smbsign_policy_set_peers(enum smbsign_side side, const char *buf,
			     size_t len)
{
	struct smbsign_peer_list *list, *old;
	int err;

	if (side != SMBSIGN_CLIENT && side != SMBSIGN_SERVER)
		return -EINVAL;
	list = kmalloc(sizeof(*list), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	err = smbsign_parse_peers(buf, len, side == SMBSIGN_CLIENT, list);
	if (err || !list->nr) {
		kfree(list);
		if (err)
			return err;
		list = NULL;
	}
	mutex_lock(&policy_lock);
	old = policy.peers[side];
	policy.peers[side] = list;
	mutex_unlock(&policy_lock);
	kfree(old);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_set_peers);

/**
 * smbsign_policy_format_peers() - print a side's unsigned_peers list
 * @side: SMBSIGN_CLIENT or SMBSIGN_SERVER
 * @buf: the page to print into
 *
 * The canonical form: entries separated by commas, names in lower case,
 * IPv6 addresses compressed (RFC 5952), "/N" only for a prefix shorter
 * than the address; a newline; an empty list is just the newline.
 *
 * Context: process context; takes policy_lock.
 * Return: the number of characters printed, newline included.
 */
int smbsign_policy_format_peers(enum smbsign_side side, char *buf)
{
	const struct smbsign_peer_entry *e;
	const struct smbsign_peer_list *list;
	unsigned int i, full;
	int len = 0;

	mutex_lock(&policy_lock);
	list = side == SMBSIGN_CLIENT || side == SMBSIGN_SERVER ?
	       policy.peers[side] : NULL;
	for (i = 0; list && i < list->nr; i++) {
		e = &list->entry[i];
		if (i)
			len += scnprintf(buf + len, PAGE_SIZE - len, ",");
		switch (e->kind) {
		case SMBSIGN_PEER_NAME:
			len += scnprintf(buf + len, PAGE_SIZE - len, "%s",
					 e->name);
			full = 0;
			break;
		case SMBSIGN_PEER_IPV4:
			len += scnprintf(buf + len, PAGE_SIZE - len, "%pI4",
					 e->addr);
			full = 32;
			break;
		default:
			len += scnprintf(buf + len, PAGE_SIZE - len, "%pI6c",
					 e->addr);
			full = 128;
			break;
		}
		if (e->prefix_len < full)
			len += scnprintf(buf + len, PAGE_SIZE - len, "/%u",
					 e->prefix_len);
	}
	mutex_unlock(&policy_lock);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_policy_format_peers);

/**
 * smbsign_policy_exit() - free the peer lists
 *
 * Context: process context (module exit).
 */
void smbsign_policy_exit(void)
{
	unsigned int side;

	mutex_lock(&policy_lock);
	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++) {
		kfree(policy.peers[side]);
		policy.peers[side] = NULL;
	}
	mutex_unlock(&policy_lock);
}

/**
 * smbsign_policy_pick_alg() - choose the signing algorithm of a connection
 * @pol: the server's policy snapshot
 * @offered: the SigningAlgorithms array of the client's
 *	SMB2_SIGNING_CAPABILITIES context, as on the wire
 * @nr_offered: its SigningAlgorithmCount
 *
 * The server's own preference among the client's offers (MS-SMB2
 * 3.3.5.4 leaves the choice to the server; Samba chooses this way too).
 * Identifiers smbsign does not know are ignored.
 *
 * Context: any context.
 * Return: the algorithm, or -ENOENT if the client offered none of the
 * algorithms the policy enables.
 */
int smbsign_policy_pick_alg(const struct smbsign_policy *pol,
			    const __le16 *offered, unsigned int nr_offered)
{
	unsigned int i, j;

	if (!pol || (!offered && nr_offered))
		return -ENOENT;
	for (i = 0; i < pol->nr_algs && i < SMBSIGN_ALG_COUNT; i++)
		for (j = 0; j < nr_offered; j++)
			if (le16_to_cpu(offered[j]) == pol->algs[i])
				return pol->algs[i];
	return -ENOENT;
}
EXPORT_SYMBOL_NS_GPL(smbsign_policy_pick_alg, SMBSIGN);

/* Module parameters: the boot-time policy, e.g. from /etc/modprobe.d. */

static int knob_param_set(const char *val, const struct kernel_param *kp)
{
	enum smbsign_knob knob = (uintptr_t)kp->arg;

	/* A bare "smbsign.client_require_signing" means true, as for bool. */
	if (!val)
		val = "1";
	return smbsign_policy_set_knob(knob, val, strlen(val));
}

static int knob_param_get(char *buf, const struct kernel_param *kp)
{
	enum smbsign_knob knob = (uintptr_t)kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%d\n", smbsign_policy_knob(knob));
}

static const struct kernel_param_ops knob_param_ops = {
	.set = knob_param_set,
	.get = knob_param_get,
};

/*
 * One parameter per setting, named <side>_<name> after smbsign_knobs[]
 * (tools/testing's sysfs test checks that each sysfs file has its
 * parameter and the other way round).
 */
module_param_cb(client_require_signing, &knob_param_ops,
		(void *)SMBSIGN_KNOB_CLIENT_REQUIRE, 0444);
MODULE_PARM_DESC(client_require_signing,
		 "Require signing on outbound (client) sessions (default: 1)");
module_param_cb(server_require_signing, &knob_param_ops,
		(void *)SMBSIGN_KNOB_SERVER_REQUIRE, 0444);
MODULE_PARM_DESC(server_require_signing,
		 "Require signing on inbound (server) sessions (default: 0)");
module_param_cb(client_allow_insecure_guest, &knob_param_ops,
		(void *)SMBSIGN_KNOB_CLIENT_GUEST, 0444);
MODULE_PARM_DESC(client_allow_insecure_guest,
		 "Allow guest sessions when signing is not required (default: 0)");
module_param_cb(client_audit_unsigned_peers, &knob_param_ops,
		(void *)SMBSIGN_KNOB_CLIENT_AUDIT, 0444);
MODULE_PARM_DESC(client_audit_unsigned_peers,
		 "Log servers that do not sign (default: 0)");
module_param_cb(server_audit_unsigned_peers, &knob_param_ops,
		(void *)SMBSIGN_KNOB_SERVER_AUDIT, 0444);
MODULE_PARM_DESC(server_audit_unsigned_peers,
		 "Log clients that do not sign (default: 0)");

static int peers_param_set(const char *val, const struct kernel_param *kp)
{
	enum smbsign_side side = (uintptr_t)kp->arg;

	if (!val)
		return -EINVAL;
	return smbsign_policy_set_peers(side, val, strlen(val));
}

static int peers_param_get(char *buf, const struct kernel_param *kp)
{
	return smbsign_policy_format_peers((uintptr_t)kp->arg, buf);
}

static const struct kernel_param_ops peers_param_ops = {
	.set = peers_param_set,
	.get = peers_param_get,
};

module_param_cb(client_unsigned_peers, &peers_param_ops,
		(void *)SMBSIGN_CLIENT, 0444);
MODULE_PARM_DESC(client_unsigned_peers,
		 "Servers (names, addresses, prefixes) exempt from require_signing and allow_insecure_guest (default: none)");
module_param_cb(server_unsigned_peers, &peers_param_ops,
		(void *)SMBSIGN_SERVER, 0444);
MODULE_PARM_DESC(server_unsigned_peers,
		 "Clients (addresses, prefixes) exempt from require_signing (default: none)");

static int algs_param_set(const char *val, const struct kernel_param *kp)
{
	if (!val)
		return -EINVAL;
	return smbsign_policy_set_algs(val, strlen(val));
}

static int algs_param_get(char *buf, const struct kernel_param *kp)
{
	return smbsign_policy_format_algs(buf, false);
}

static const struct kernel_param_ops algs_param_ops = {
	.set = algs_param_set,
	.get = algs_param_get,
};

module_param_cb(algorithms, &algs_param_ops, NULL, 0444);
MODULE_PARM_DESC(algorithms,
		 "SMB 3.1.1 signing algorithms in order of preference (default: aes-gmac,aes-cmac,hmac-sha256)");
