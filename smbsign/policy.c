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
 * logons off; no auditing; every algorithm offered, GMAC first.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "parse.h"
#include <kunit/visibility.h>

#include "smbsign.h"

/* Protects policy. */
static DEFINE_MUTEX(policy_lock);

static struct {
	bool knob[SMBSIGN_KNOB_COUNT];
	unsigned int nr_algs;
	unsigned int algs[SMBSIGN_ALG_COUNT];
} policy = {
	.knob = {
		[SMBSIGN_KNOB_CLIENT_REQUIRE] = true,
		[SMBSIGN_KNOB_SERVER_REQUIRE] = false,
		[SMBSIGN_KNOB_CLIENT_GUEST] = false,
		[SMBSIGN_KNOB_CLIENT_AUDIT] = false,
		[SMBSIGN_KNOB_SERVER_AUDIT] = false,
	},
	.nr_algs = 3,
	.algs = { SMBSIGN_ALG_AES_GMAC, SMBSIGN_ALG_AES_CMAC,
		  SMBSIGN_ALG_HMAC_SHA256 },
};

/**
 * smbsign_policy_knob() - read a boolean policy switch
 * @knob: the switch
 *
 * Context: process context; takes policy_lock.
 * Return: its current value.
 */
bool smbsign_policy_knob(enum smbsign_knob knob)
{
	bool v;

	mutex_lock(&policy_lock);
	v = policy.knob[knob];
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
 * smbsign_policy_get() - take a snapshot of one side's policy
 * @side: SMBSIGN_CLIENT or SMBSIGN_SERVER
 * @pol: the snapshot
 *
 * For the negotiation of SMB2_SIGNING_CAPABILITIES (MS-SMB2 2.2.3.1.7) and
 * for smbsign_session_init(). An invalid @side gets the strictest policy
 * (signing required, no guests).
 *
 * Context: process context; may sleep.
 */
void smbsign_policy_get(enum smbsign_side side, struct smbsign_policy *pol)
{
	unsigned int i;

	memset(pol, 0, sizeof(*pol));
	mutex_lock(&policy_lock);
	switch (side) {
	case SMBSIGN_CLIENT:
		pol->require_signing = policy.knob[SMBSIGN_KNOB_CLIENT_REQUIRE];
		pol->allow_insecure_guest =
			policy.knob[SMBSIGN_KNOB_CLIENT_GUEST];
		pol->audit_unsigned_peers =
			policy.knob[SMBSIGN_KNOB_CLIENT_AUDIT];
		break;
	case SMBSIGN_SERVER:
		pol->require_signing = policy.knob[SMBSIGN_KNOB_SERVER_REQUIRE];
		pol->audit_unsigned_peers =
			policy.knob[SMBSIGN_KNOB_SERVER_AUDIT];
		break;
	default:
		pol->require_signing = true;
		break;
	}
	pol->nr_algs = policy.nr_algs;
	for (i = 0; i < policy.nr_algs; i++)
		pol->algs[i] = policy.algs[i];
	mutex_unlock(&policy_lock);
}
EXPORT_SYMBOL_NS_GPL(smbsign_policy_get, SMBSIGN);

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
