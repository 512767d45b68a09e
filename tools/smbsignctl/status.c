// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: status (module, drivers, policy, counters) and stats.
 */
#include <string.h>

#include "smbsignctl.h"

#define DIGITS_MAX 24

struct counters {
	char v[NR_SIDES][NR_ALGS][NR_COUNTERS][DIGITS_MAX];
};

static int read_counters(struct counters *c)
{
	char rel[128];
	int s, a, k, rc;

	for (s = 0; s < NR_SIDES; s++)
		for (a = 0; a < NR_ALGS; a++)
			for (k = 0; k < NR_COUNTERS; k++) {
				snprintf(rel, sizeof(rel), "stats/%s/%s/%s",
					 side_names[s], alg_names[a],
					 counter_names[k]);
				rc = sysfs_read_u64(rel, c->v[s][a][k],
						    DIGITS_MAX);
				if (rc)
					return rc;
			}
	return 0;
}

/* {"client": {"hmac-sha256": {"signed": 0, ...}, ...}, "server": {...}} */
static void print_counters_json(const struct counters *c)
{
	int s, a, k;

	printf("{");
	for (s = 0; s < NR_SIDES; s++) {
		printf("%s\"%s\": {", s ? ", " : "", side_names[s]);
		for (a = 0; a < NR_ALGS; a++) {
			printf("%s\"%s\": {", a ? ", " : "", alg_names[a]);
			for (k = 0; k < NR_COUNTERS; k++)
				printf("%s\"%s\": %s", k ? ", " : "",
				       counter_names[k], c->v[s][a][k]);
			printf("}");
		}
		printf("}");
	}
	printf("}");
}

/* One table per side: a row per counter, a column per algorithm. */
static void print_counters_text(const struct counters *c, const char *indent)
{
	int s, a, k, w, width[NR_ALGS], namew = 0;

	for (k = 0; k < NR_COUNTERS; k++)
		if ((int)strlen(counter_names[k]) > namew)
			namew = (int)strlen(counter_names[k]);
	for (s = 0; s < NR_SIDES; s++) {
		for (a = 0; a < NR_ALGS; a++) {
			width[a] = (int)strlen(alg_names[a]);
			for (k = 0; k < NR_COUNTERS; k++) {
				w = (int)strlen(c->v[s][a][k]);
				if (w > width[a])
					width[a] = w;
			}
		}
		printf("%s%s%s:\n", s ? "\n" : "", indent, side_names[s]);
		printf("%s  %-*s", indent, namew, "");
		for (a = 0; a < NR_ALGS; a++)
			printf("  %*s", width[a], alg_names[a]);
		printf("\n");
		for (k = 0; k < NR_COUNTERS; k++) {
			printf("%s  %-*s", indent, namew, counter_names[k]);
			for (a = 0; a < NR_ALGS; a++)
				printf("  %*s", width[a], c->v[s][a][k]);
			printf("\n");
		}
	}
}

int cmd_stats(int argc, char **argv)
{
	bool json = false, reset = false;
	struct counters c;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--reset"))
			reset = true;
		else if (argv[i][0] == '-')
			return usage_err("stats", "unknown option '%s'", argv[i]);
		else
			return usage_err("stats", "unexpected argument '%s'", argv[i]);
	}
	rc = need_module();
	if (!rc && reset) {
		rc = sysfs_check_writable("stats/reset");
		if (!rc)
			rc = sysfs_write("stats/reset", "1");
	}
	if (!rc)
		rc = read_counters(&c);
	if (rc)
		return rc;
	if (json) {
		print_counters_json(&c);
		printf("\n");
	} else {
		print_counters_text(&c, "");
	}
	return EXIT_OK;
}

/* ---- status ---- */

struct status {
	char version[128];
	char driver[NR_ALGS][256];
	struct side_conf side[NR_SIDES];
	struct counters c;
};

static int read_status(struct status *st)
{
	char rel[64];
	int a, s, rc;

	rc = sysfs_read("version", st->version, sizeof(st->version));
	for (a = 0; !rc && a < NR_ALGS; a++) {
		snprintf(rel, sizeof(rel), "drivers/%s", alg_names[a]);
		rc = sysfs_read(rel, st->driver[a], sizeof(st->driver[a]));
	}
	for (s = 0; !rc && s < NR_SIDES; s++)
		rc = read_side((enum side)s, &st->side[s]);
	if (!rc)
		rc = read_counters(&st->c);
	return rc;
}

static void json_alg_array(const int *algs, int nr)
{
	int i;

	printf("[");
	for (i = 0; i < nr; i++)
		printf("%s\"%s\"", i ? ", " : "", alg_names[algs[i]]);
	printf("]");
}

static const char *jbool(bool b)
{
	return b ? "true" : "false";
}

static void print_status_json(const struct status *st)
{
	const struct side_conf *cl = &st->side[SIDE_CLIENT];
	const struct side_conf *sv = &st->side[SIDE_SERVER];
	int a;

	printf("{\"loaded\": true, \"sysfs\": ");
	json_string(stdout, sysfs_root());
	printf(", \"version\": ");
	json_string(stdout, st->version);
	printf(", \"tool_version\": \"%s\", \"drivers\": {", SMBSIGNCTL_VERSION);
	for (a = 0; a < NR_ALGS; a++) {
		printf("%s\"%s\": ", a ? ", " : "", alg_names[a]);
		json_string(stdout, st->driver[a]);
	}
	printf("}, \"client\": {\"require_signing\": %s, \"allow_insecure_guest\": %s, \"audit_unsigned_peers\": %s}",
	       jbool(cl->require), jbool(cl->guest), jbool(cl->audit));
	printf(", \"server\": {\"require_signing\": %s, \"audit_unsigned_peers\": %s}",
	       jbool(sv->require), jbool(sv->audit));
	printf(", \"algorithms\": ");
	json_alg_array(cl->algs.enabled, cl->algs.nr_enabled);
	printf(", \"disabled_algorithms\": ");
	json_alg_array(cl->algs.disabled, cl->algs.nr_disabled);
	printf(", \"stats\": ");
	print_counters_json(&st->c);
	printf("}\n");
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void print_alg_names(const char *label, const int *algs, int nr)
{
	int i;

	printf("%s", label);
	for (i = 0; i < nr; i++)
		printf("%s%s", i ? ", " : " ", alg_names[algs[i]]);
	printf("%s\n", nr ? "" : " none");
}

static void print_status_text(const struct status *st)
{
	const struct side_conf *cl = &st->side[SIDE_CLIENT];
	const struct side_conf *sv = &st->side[SIDE_SERVER];
	int a;

	printf("module: loaded\n  version: %s\n  sysfs: %s\n\ndrivers:\n",
	       st->version, sysfs_root());
	for (a = 0; a < NR_ALGS; a++)
		printf("  %s: %s\n", alg_names[a], st->driver[a]);
	printf("\nclient:\n  require signing: %s\n  allow insecure guest: %s\n  audit unsigned peers: %s\n",
	       yes_no(cl->require), yes_no(cl->guest), yes_no(cl->audit));
	printf("\nserver:\n  require signing: %s\n  audit unsigned peers: %s\n\n",
	       yes_no(sv->require), yes_no(sv->audit));
	print_alg_names("algorithms:", cl->algs.enabled, cl->algs.nr_enabled);
	print_alg_names("disabled algorithms:", cl->algs.disabled,
			cl->algs.nr_disabled);
	printf("\ncounters:\n");
	print_counters_text(&st->c, "  ");
}

int cmd_status(int argc, char **argv)
{
	static struct status st;
	bool json = false;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-')
			return usage_err("status", "unknown option '%s'", argv[i]);
		else
			return usage_err("status", "unexpected argument '%s'", argv[i]);
	}
	if (!sysfs_loaded()) {
		if (json) {
			printf("{\"loaded\": false, \"sysfs\": ");
			json_string(stdout, sysfs_root());
			printf(", \"tool_version\": \"%s\"}\n", SMBSIGNCTL_VERSION);
		} else {
			printf("module: not loaded\n");
		}
		return need_module();
	}
	rc = read_status(&st);
	if (rc)
		return rc;
	if (json)
		print_status_json(&st);
	else
		print_status_text(&st);
	return EXIT_OK;
}
