// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/smbsign: policy knobs, crypto drivers and counters. Every
 * file holds one value; Documentation/ABI/testing/sysfs-kernel-smbsign
 * describes each. Knobs are 0644 (root writes), everything else is
 * read-only but stats/reset (0200). A bad write fails with -EINVAL and
 * changes nothing.
 *
 *   version, algorithms, crypto_api_only
 *   client/{require_signing,allow_insecure_guest,audit_unsigned_peers,
 *	     unsigned_peers}
 *   server/{require_signing,audit_unsigned_peers,unsigned_peers}
 *   drivers/<alg>
 *   stats/reset, stats/<side>/<alg>/<counter>
 *
 * The names come from names.h, which smbsignctl shares: the knob and
 * counter attributes are filled from its tables at init.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "smbsign.h"

static struct kobject *top_kobj;
static struct kobject *stats_kobj;
static struct kobject *side_kobj[SMBSIGN_SIDE_COUNT];
static struct kobject *alg_kobj[SMBSIGN_SIDE_COUNT][SMBSIGN_ALG_COUNT];

/* ------------------------------------------------------------ top level */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", SMBSIGN_VERSION);
}

static ssize_t algorithms_show(struct kobject *kobj,
			       struct kobj_attribute *a, char *buf)
{
	return smbsign_policy_format_algs(buf, true);
}

static ssize_t algorithms_store(struct kobject *kobj,
				struct kobj_attribute *a, const char *buf,
				size_t len)
{
	return smbsign_policy_set_algs(buf, len) ?: len;
}

static ssize_t crypto_api_only_show(struct kobject *kobj,
				    struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", smbsign_select_crypto_api_only());
}

static ssize_t crypto_api_only_store(struct kobject *kobj,
				     struct kobj_attribute *a,
				     const char *buf, size_t len)
{
	return smbsign_select_set_crypto_api_only(buf, len) ?: len;
}

static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute crypto_api_only_attr = {
	.attr = { .name = SMBSIGN_CRYPTO_API_ONLY_NAME, .mode = 0644 },
	.show = crypto_api_only_show,
	.store = crypto_api_only_store,
};

static struct kobj_attribute algorithms_attr = {
	.attr = { .name = SMBSIGN_ALGS_NAME, .mode = 0644 },
	.show = algorithms_show,
	.store = algorithms_store,
};

static struct attribute *top_attrs[] = {
	&version_attr.attr,
	&algorithms_attr.attr,
	&crypto_api_only_attr.attr,
	NULL
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

/* ---------------------------------------------------------------- knobs */

struct knob_attr {
	struct kobj_attribute attr;
	enum smbsign_knob knob;
};

static ssize_t knob_show(struct kobject *kobj, struct kobj_attribute *a,
			 char *buf)
{
	struct knob_attr *k = container_of(a, struct knob_attr, attr);

	return sysfs_emit(buf, "%d\n", smbsign_policy_knob(k->knob));
}

static ssize_t knob_store(struct kobject *kobj, struct kobj_attribute *a,
			  const char *buf, size_t len)
{
	struct knob_attr *k = container_of(a, struct knob_attr, attr);

	return smbsign_policy_set_knob(k->knob, buf, len) ?: len;
}

/* knobs[] is indexed by enum smbsign_knob; names come from smbsign_knobs. */
static struct knob_attr knobs[SMBSIGN_KNOB_COUNT];

/* The peer lists: <side>/unsigned_peers. */
struct peers_attr {
	struct kobj_attribute attr;
	enum smbsign_side side;
};

static ssize_t peers_show(struct kobject *kobj, struct kobj_attribute *a,
			  char *buf)
{
	struct peers_attr *p = container_of(a, struct peers_attr, attr);

	return smbsign_policy_format_peers(p->side, buf);
}

static ssize_t peers_store(struct kobject *kobj, struct kobj_attribute *a,
			   const char *buf, size_t len)
{
	struct peers_attr *p = container_of(a, struct peers_attr, attr);

	return smbsign_policy_set_peers(p->side, buf, len) ?: len;
}

static struct peers_attr peers[SMBSIGN_SIDE_COUNT];

/* Filled by side_attrs_init(): each side's knobs, its peer list, NULL. */
static struct attribute *client_attrs[SMBSIGN_KNOB_COUNT + 2];
static struct attribute *server_attrs[SMBSIGN_KNOB_COUNT + 2];

static void side_attrs_init(void)
{
	struct attribute **attrs[SMBSIGN_SIDE_COUNT] = {
		client_attrs, server_attrs
	};
	unsigned int n[SMBSIGN_SIDE_COUNT] = { 0 }, k, side;

	for (k = 0; k < SMBSIGN_KNOB_COUNT; k++) {
		side = smbsign_knobs[k].side;
		sysfs_attr_init(&knobs[k].attr.attr);
		knobs[k].attr.attr.name = smbsign_knobs[k].name;
		knobs[k].attr.attr.mode = 0644;
		knobs[k].attr.show = knob_show;
		knobs[k].attr.store = knob_store;
		knobs[k].knob = k;
		attrs[side][n[side]++] = &knobs[k].attr.attr;
	}
	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++) {
		sysfs_attr_init(&peers[side].attr.attr);
		peers[side].attr.attr.name = SMBSIGN_PEERS_NAME;
		peers[side].attr.attr.mode = 0644;
		peers[side].attr.show = peers_show;
		peers[side].attr.store = peers_store;
		peers[side].side = side;
		attrs[side][n[side]++] = &peers[side].attr.attr;
	}
}

static const struct attribute_group client_group = {
	.name = "client",
	.attrs = client_attrs,
};

static const struct attribute_group server_group = {
	.name = "server",
	.attrs = server_attrs,
};

/* -------------------------------------------------------------- drivers */

struct alg_attr {
	struct kobj_attribute attr;
	enum smbsign_alg alg;
};

static ssize_t driver_show(struct kobject *kobj, struct kobj_attribute *a,
			   char *buf)
{
	struct alg_attr *d = container_of(a, struct alg_attr, attr);

	return sysfs_emit(buf, "%s\n", smbsign_select_driver(d->alg));
}

/* The file names are the algorithm names, which are not C identifiers. */
#define DRIVER(_var, _name, _alg)					\
	static struct alg_attr _var = {					\
		.attr = {						\
			.attr = { .name = _name, .mode = 0444 },	\
			.show = driver_show,				\
		},							\
		.alg = _alg,						\
	}

DRIVER(driver_hmac, "hmac-sha256", SMBSIGN_ALG_HMAC_SHA256);
DRIVER(driver_cmac, "aes-cmac", SMBSIGN_ALG_AES_CMAC);
DRIVER(driver_gmac, "aes-gmac", SMBSIGN_ALG_AES_GMAC);

static struct attribute *driver_attrs[] = {
	&driver_hmac.attr.attr,
	&driver_cmac.attr.attr,
	&driver_gmac.attr.attr,
	NULL
};

static const struct attribute_group driver_group = {
	.name = "drivers",
	.attrs = driver_attrs,
};

/* ------------------------------------------------------------- counters */

/* counters[] is indexed by enum smbsign_counter. */
struct counter_attr {
	struct kobj_attribute attr;
};

static struct counter_attr counters[SMBSIGN_CNT_COUNT];

static ssize_t counter_show(struct kobject *kobj, struct kobj_attribute *a,
			    char *buf)
{
	struct counter_attr *c = container_of(a, struct counter_attr, attr);
	enum smbsign_counter cnt = c - counters;
	unsigned int side, alg;

	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++)
		for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++)
			if (alg_kobj[side][alg] == kobj)
				return sysfs_emit(buf, "%llu\n",
						  smbsign_stats_read(side, alg,
								     cnt));
	return -ENODEV;
}

static const char *const counter_names[SMBSIGN_CNT_COUNT] =
	SMBSIGN_COUNTER_NAMES;

/* Filled by counter_attrs_init(). */
static struct attribute *counter_attrs[SMBSIGN_CNT_COUNT + 1];

static void counter_attrs_init(void)
{
	unsigned int i;

	for (i = 0; i < SMBSIGN_CNT_COUNT; i++) {
		sysfs_attr_init(&counters[i].attr.attr);
		counters[i].attr.attr.name = counter_names[i];
		counters[i].attr.attr.mode = 0444;
		counters[i].attr.show = counter_show;
		counter_attrs[i] = &counters[i].attr.attr;
	}
}

static const struct attribute_group counter_group = {
	.attrs = counter_attrs,
};

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *a,
			   const char *buf, size_t len)
{
	bool v;

	if (smbsign_parse_bool(buf, len, &v) || !v)
		return -EINVAL;
	smbsign_stats_reset();
	smbsign_audit_reset();
	return len;
}

static struct kobj_attribute reset_attr = __ATTR_WO(reset);

static struct attribute *stats_attrs[] = {
	&reset_attr.attr,
	NULL
};

static const struct attribute_group stats_group = {
	.attrs = stats_attrs,
};

/* --------------------------------------------------------- registration */

static void stats_dirs_del(void)
{
	unsigned int side, alg;

	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++) {
		for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++) {
			kobject_put(alg_kobj[side][alg]);
			alg_kobj[side][alg] = NULL;
		}
		kobject_put(side_kobj[side]);
		side_kobj[side] = NULL;
	}
}

static int stats_dirs_add(void)
{
	static const char *const side_dir[SMBSIGN_SIDE_COUNT] = {
		"client", "server",
	};
	unsigned int side, alg;
	struct kobject *kobj;
	int err;

	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++) {
		side_kobj[side] = kobject_create_and_add(side_dir[side],
							 stats_kobj);
		if (!side_kobj[side])
			goto del_dirs;
		for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++) {
			kobj = kobject_create_and_add(smbsign_alg_name(alg),
						      side_kobj[side]);
			if (!kobj)
				goto del_dirs;
			alg_kobj[side][alg] = kobj;
			err = sysfs_create_group(kobj, &counter_group);
			if (err)
				goto del_dirs;
		}
	}
	return 0;

del_dirs:
	stats_dirs_del();
	return -ENOMEM;
}

static const struct attribute_group *top_groups[] = {
	&top_group, &client_group, &server_group, &driver_group, NULL
};

/**
 * smbsign_sysfs_init() - create /sys/kernel/smbsign
 *
 * Context: process context (module init), after the self-test recorded
 * the drivers and the counters exist.
 * Return: 0 or a negative errno.
 */
int smbsign_sysfs_init(void)
{
	int err = -ENOMEM;

	side_attrs_init();
	counter_attrs_init();
	top_kobj = kobject_create_and_add("smbsign", kernel_kobj);
	if (!top_kobj)
		return -ENOMEM;
	err = sysfs_create_groups(top_kobj, top_groups);
	if (err)
		goto put_top;
	err = -ENOMEM;
	stats_kobj = kobject_create_and_add("stats", top_kobj);
	if (!stats_kobj)
		goto remove_groups;
	err = sysfs_create_group(stats_kobj, &stats_group);
	if (err)
		goto put_stats;
	err = stats_dirs_add();
	if (err)
		goto put_stats;
	return 0;

put_stats:
	kobject_put(stats_kobj);
remove_groups:
	sysfs_remove_groups(top_kobj, top_groups);
put_top:
	kobject_put(top_kobj);
	return err;
}

/**
 * smbsign_sysfs_exit() - remove /sys/kernel/smbsign
 *
 * Context: process context (module exit).
 */
void smbsign_sysfs_exit(void)
{
	stats_dirs_del();
	kobject_put(stats_kobj);
	sysfs_remove_groups(top_kobj, top_groups);
	kobject_put(top_kobj);
}
