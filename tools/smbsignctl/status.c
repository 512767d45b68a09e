// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: status (module, consumers, drivers, policy, boot policy,
 * counters) and stats.
 */
#include <string.h>

#include "smbsignctl.h"

/* ---- counters ---- */

struct counters {
	bool have[NR_COUNTERS];	/* an older module lacks newer counters */
	char v[NR_SIDES][NR_ALGS][NR_COUNTERS][U64_DIGITS];
};

static void counter_rel(int s, int a, int k, char *buf, size_t len)
{
	snprintf(buf, len, "stats/%s/%s/%s", side_names[s], alg_names[a],
		 counter_names[k]);
}

static int read_counters(struct counters *c)
{
	char rel[128];
	int s, a, k, rc;

	for (k = 0; k < NR_COUNTERS; k++) {
		counter_rel(0, 0, k, rel, sizeof(rel));
		c->have[k] = sysfs_exists(rel);
	}
	for (s = 0; s < NR_SIDES; s++)
		for (a = 0; a < NR_ALGS; a++)
			for (k = 0; k < NR_COUNTERS; k++) {
				if (!c->have[k])
					continue;
				counter_rel(s, a, k, rel, sizeof(rel));
				rc = sysfs_read_u64(rel, c->v[s][a][k],
						    sizeof(c->v[s][a][k]));
				if (rc)
					return rc;
			}
	return 0;
}

/*
 * {"client": {"hmac-sha256": {"signed": "0", ...}, ...}, "server": {...}}:
 * counts are strings, exact whatever the JSON parser (output.c).
 */
static void print_counters_json(const struct counters *c)
{
	const char *sep;
	int s, a, k;

	printf("{");
	for (s = 0; s < NR_SIDES; s++) {
		printf("%s\"%s\": {", s ? ", " : "", side_names[s]);
		for (a = 0; a < NR_ALGS; a++) {
			printf("%s\"%s\": {", a ? ", " : "", alg_names[a]);
			sep = "";
			for (k = 0; k < NR_COUNTERS; k++) {
				if (!c->have[k])
					continue;
				printf("%s\"%s\": \"%s\"", sep, counter_names[k],
				       c->v[s][a][k]);
				sep = ", ";
			}
			printf("}");
		}
		printf("}");
	}
	printf("}");
}

/* One table per side: a row per counter, a column per algorithm. */
static void print_counters_text(const struct counters *c, const char *indent)
{
	static const bool right[NR_ALGS + 1] = { false, true, true, true };
	const char *cells[NR_ALGS + 1], *head[NR_ALGS + 1] = { "" };
	struct grid g;
	int s, a, k;

	for (a = 0; a < NR_ALGS; a++)
		head[a + 1] = alg_names[a];
	for (s = 0; s < NR_SIDES; s++) {
		printf("%s%s%s:\n", s ? "\n" : "", indent, side_names[s]);
		grid_init(&g, NR_ALGS + 1, head, right);
		for (k = 0; k < NR_COUNTERS; k++) {
			if (!c->have[k])
				continue;
			cells[0] = counter_names[k];
			for (a = 0; a < NR_ALGS; a++)
				cells[a + 1] = c->v[s][a][k];
			grid_add(&g, cells);
		}
		grid_print(&g, indent[0] ? "    " : "  ");
		grid_free(&g);
	}
}

int cmd_stats(int argc, char **argv)
{
	static struct counters c;
	bool json = false, reset = false;
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
	/* crypto_api_only: "1", "0", or "" if the module has no such file. */
	char api_only[8];
	enum consumer_state consumer[NR_CONSUMERS];
	struct policy running;
	struct modconf boot;
	char boot_error[512];	/* the file could not be read: why */
	bool differs[NR_OPTIONS];
	int nr_differs;
	struct counters c;
};

static void compare_boot(struct status *st)
{
	char buf[PEERS_TEXT_MAX];
	const char *b;
	int i;

	for (i = 0; i < NR_OPTIONS; i++) {
		if (!st->running.present[i])
			continue;
		b = modconf_value(&st->boot, i, buf, sizeof(buf));
		/* An algorithm list the file does not set: unknown here. */
		st->differs[i] = b ? !opt_equal(&options[i], b,
						st->running.value[i]) :
				     false;
		st->nr_differs += st->differs[i];
	}
}

static int read_status(struct status *st)
{
	char rel[64];
	int a, rc;

	rc = sysfs_read("version", st->version, sizeof(st->version));
	for (a = 0; !rc && a < NR_ALGS; a++) {
		snprintf(rel, sizeof(rel), "drivers/%s", alg_names[a]);
		rc = sysfs_read(rel, st->driver[a], sizeof(st->driver[a]));
	}
	/* Older modules have no crypto_api_only: nothing to show then. */
	st->api_only[0] = '\0';
	if (!rc && sysfs_exists(SMBSIGN_CRYPTO_API_ONLY_NAME))
		rc = sysfs_read(SMBSIGN_CRYPTO_API_ONLY_NAME, st->api_only,
				sizeof(st->api_only));
	if (!rc)
		rc = consumers_read(st->consumer);
	if (!rc)
		rc = policy_read_running(&st->running);
	if (!rc) {
		/* An unreadable file is part of the status, not a failure. */
		err_capture(st->boot_error, sizeof(st->boot_error));
		if (!modconf_load(&st->boot, where(W_MODCONF), NULL))
			st->boot_error[0] = '\0';
		err_capture(NULL, 0);
	}
	if (!rc)
		rc = read_counters(&st->c);
	if (!rc && !st->boot_error[0])
		compare_boot(st);
	return rc;
}

static void print_boot_json(const struct status *st)
{
	char buf[PEERS_TEXT_MAX];
	const char *sep = "";
	int i;

	printf(", \"boot\": {\"file\": ");
	json_string(stdout, st->boot.path);
	if (st->boot_error[0]) {
		printf(", \"error\": ");
		json_string(stdout, st->boot_error);
		printf("}");
		return;
	}
	printf(", \"exists\": %s, \"errors\": %d, \"same\": %s, \"differences\": [",
	       jbool(st->boot.exists), st->boot.nr_errors,
	       jbool(!st->nr_differs));
	for (i = 0; i < NR_OPTIONS; i++) {
		if (!st->differs[i])
			continue;
		printf("%s{\"option\": \"%s\", \"running\": ", sep,
		       options[i].param);
		json_string(stdout, st->running.value[i]);
		printf(", \"boot\": ");
		json_string(stdout, modconf_value(&st->boot, i, buf, sizeof(buf)));
		printf("}");
		sep = ", ";
	}
	printf("]}");
}

static void print_status_json(const struct status *st)
{
	int a, s;

	printf("{\"loaded\": true, \"sysfs\": ");
	json_string(stdout, where(W_SYSFS));
	printf(", \"version\": ");
	json_string(stdout, st->version);
	printf(", \"tool_version\": \"%s\", \"consumers\": {", SMBSIGNCTL_VERSION);
	for (a = 0; a < NR_CONSUMERS; a++)
		printf("%s\"%s\": \"%s\"", a ? ", " : "", consumer_names[a],
		       consumer_token(st->consumer[a]));
	printf("}, \"drivers\": {");
	for (a = 0; a < NR_ALGS; a++) {
		printf("%s\"%s\": ", a ? ", " : "", alg_names[a]);
		json_string(stdout, st->driver[a]);
	}
	printf("}");
	if (st->api_only[0]) {
		printf(", \"%s\": ", SMBSIGN_CRYPTO_API_ONLY_NAME);
		json_string(stdout, st->api_only);
	}
	for (s = 0; s < NR_SIDES; s++) {
		printf(", \"%s\": ", side_names[s]);
		print_side_json(&st->running, (enum side)s);
	}
	print_boot_json(st);
	printf(", \"stats\": ");
	print_counters_json(&st->c);
	printf("}\n");
}

/*
 * The algorithm list is what SMB 3.1.1 negotiates; the dialects before it
 * have a fixed algorithm, and 3.1.1 itself signs with AES-CMAC when the
 * peers share none of the listed ones (MS-SMB2 3.3.5.4): nothing is
 * disabled by leaving a name out.
 */
static void print_algs(const struct policy *p)
{
	bool listed[NR_ALGS] = { false };
	char copy[VALUE_MAX], *tok, *save = NULL;
	int a;

	algs_text(p, copy, sizeof(copy));
	printf("\nboth sides:\n  %s : %s\n", opt_field(OPT_ALGORITHMS), copy);
	snprintf(copy, sizeof(copy), "%s", p->value[OPT_ALGORITHMS]);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		a = alg_by_name(tok);
		if (a >= 0)
			listed[a] = true;
	}
	printf("  SMB 3.1.1 negotiates these, in this order. SMB 2.0.2 and 2.1 always\n"
	       "  sign with hmac-sha256, SMB 3.0 and 3.0.2 with aes-cmac.\n");
	if (!listed[1])
		printf("  aes-cmac is not listed, yet SMB 3.1.1 signs with it when client and\n"
		       "  server share none of the listed algorithms.\n");
}

static void print_boot_text(const struct status *st)
{
	char buf[PEERS_TEXT_MAX];
	const char *b;
	int i;

	printf("\nboot policy: %s\n", st->boot.path);
	if (st->boot_error[0]) {
		printf("  unknown: %s\n", st->boot_error);
		return;
	}
	if (!st->boot.exists)
		printf("  the file does not exist: smbsign loads with its defaults\n");
	if (st->boot.nr_errors)
		printf("  the file has %d error%s: run 'smbsignctl check-config'\n",
		       st->boot.nr_errors, st->boot.nr_errors == 1 ? "" : "s");
	if (st->boot.exists && !st->boot.set.present[OPT_ALGORITHMS])
		printf("  %s is not set in the file: the next load uses the module's default list\n",
		       options[OPT_ALGORITHMS].param);
	if (!st->nr_differs) {
		printf("  same as the running policy\n");
		return;
	}
	printf("  differs from the running policy ('smbsignctl set' saves it, 'smbsignctl showconf' shows it):\n");
	for (i = 0; i < NR_OPTIONS; i++) {
		if (!st->differs[i])
			continue;
		b = modconf_value(&st->boot, i, buf, sizeof(buf));
		printf("    %s: running %s, at the next load %s%s\n",
		       options[i].param,
		       st->running.value[i][0] ? st->running.value[i] : "\"\"",
		       b[0] ? b : "\"\"",
		       st->boot.set.present[i] ? "" : " (not set: the module's default)");
	}
}

static void print_status_text(const struct status *st)
{
	int a, s;

	printf("module: loaded\n  version: %s\n  sysfs: %s\n\nconsumers:\n",
	       st->version, where(W_SYSFS));
	for (a = 0; a < NR_CONSUMERS; a++)
		printf("  %s: %s\n", consumer_names[a],
		       consumer_text(st->consumer[a]));
	if (!consumers_any_bound(st->consumer))
		printf("  no SMB module uses smbsign: the policy below is not enforced\n");
	printf("\ndrivers:\n");
	for (a = 0; a < NR_ALGS; a++)
		printf("  %s: %s\n", alg_names[a], st->driver[a]);
	/* Only when set: the drivers above are then the crypto API's. */
	if (!strcmp(st->api_only, "1"))
		printf("  %s: 1 (smbsign's fast paths are off)\n",
		       SMBSIGN_CRYPTO_API_ONLY_NAME);
	for (s = 0; s < NR_SIDES; s++) {
		printf("\n%s:\n", side_names[s]);
		print_side_text(&st->running, (enum side)s, "  ", false);
	}
	print_algs(&st->running);
	print_boot_text(st);
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
			json_string(stdout, where(W_SYSFS));
			printf(", \"tool_version\": \"%s\"}\n", SMBSIGNCTL_VERSION);
		} else {
			printf("module: not loaded\n");
		}
		return need_module();
	}
	rc = read_status(&st);
	if (!rc) {
		if (json)
			print_status_json(&st);
		else
			print_status_text(&st);
	}
	modconf_free(&st.boot);
	return rc;
}
