// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: get and set.
 *
 * set is Set-SmbClientConfiguration for Linux: it checks every value with
 * the kernel's parser before anything is written, writes and reads back
 * each sysfs file, then saves the whole running policy in
 * /etc/modprobe.d/smbsign.conf (modconf.c). On any failure the values
 * written so far are put back and the file is left as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

static int parse_side(const char *cmd, const char *s, enum side *side)
{
	int i;

	for (i = 0; i < NR_SIDES; i++)
		if (!strcmp(s, side_names[i])) {
			*side = (enum side)i;
			return 0;
		}
	return usage_err(cmd, "expected 'client' or 'server', not '%s'", s);
}

/* ---- get ---- */

static void peers_text(const struct policy *p, int opt, char *buf,
		       size_t len)
{
	if (!p->present[opt])
		snprintf(buf, len, "(not supported by the loaded smbsign module)");
	else
		snprintf(buf, len, "%s", p->value[opt][0] ? p->value[opt] :
			 "(none)");
}

/* "aes-gmac, aes-cmac" */
void algs_text(const struct policy *p, char *buf, size_t len)
{
	const char *v = p->value[OPT_ALGORITHMS];
	size_t used = 0;

	buf[0] = '\0';
	for (; *v && used < len; v++)
		used += (size_t)snprintf(buf + used, len - used, "%s",
					 *v == ',' ? ", " : (char[]){ *v, 0 });
}

void print_side_text(const struct policy *p, enum side side,
		     const char *indent, bool with_algs)
{
	static struct table t;
	int i;

	t.nr = 0;
	for (i = 0; i < NR_OPTIONS; i++) {
		const struct option_desc *o = &options[i];

		if (o->kind == OPT_ALGS) {
			if (!with_algs)
				continue;
			table_add(&t, opt_field(i), "%s", "");
			algs_text(p, t.value[t.nr - 1], sizeof(t.value[0]));
		} else if (o->side != side) {
			continue;
		} else if (o->kind == OPT_BOOL) {
			table_add(&t, opt_field(i), "%s",
				  true_false(policy_bool(p, i)));
		} else {
			table_add(&t, opt_field(i), "%s", "");
			peers_text(p, i, t.value[t.nr - 1], sizeof(t.value[0]));
		}
	}
	table_print(&t, indent);
}

/*
 * {"RequireSecuritySignature": true, ..., "UnsignedPeers": ["nas"],
 *  "SigningAlgorithms": ["aes-gmac"]}; UnsignedPeers is null when the
 * module has no such file.
 */
void print_side_json(const struct policy *p, enum side side)
{
	const char *sep = "";
	int i;

	printf("{");
	for (i = 0; i < NR_OPTIONS; i++) {
		const struct option_desc *o = &options[i];

		if (o->kind != OPT_ALGS && o->side != side)
			continue;
		printf("%s", sep);
		json_string(stdout, opt_field(i));
		printf(": ");
		if (o->kind == OPT_BOOL)
			printf("%s", jbool(policy_bool(p, i)));
		else if (!p->present[i])
			printf("null");
		else
			json_list(stdout, p->value[i]);
		sep = ", ";
	}
	printf("}");
}

int cmd_get(int argc, char **argv)
{
	static struct policy p;
	bool json = false, have_side = false;
	enum side side = SIDE_CLIENT;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		if (argv[i][0] == '-')
			return usage_err("get", "unknown option '%s'", argv[i]);
		if (have_side)
			return usage_err("get", "unexpected argument '%s'", argv[i]);
		rc = parse_side("get", argv[i], &side);
		if (rc)
			return rc;
		have_side = true;
	}
	if (!have_side)
		return usage_err("get", "which side: 'client' or 'server'?");
	rc = need_module();
	if (!rc)
		rc = policy_read_running(&p);
	if (rc)
		return rc;
	if (json) {
		print_side_json(&p, side);
		printf("\n");
	} else {
		print_side_text(&p, side, "", true);
	}
	return EXIT_OK;
}

/* ---- set ---- */

struct change {
	int opt;
	char want[PEERS_TEXT_MAX];	/* normal form */
	char old[PEERS_TEXT_MAX];	/* the running value before */
	bool written;
};

struct set_req {
	enum side side;
	bool is_algs, runtime_only;
	int nr;
	struct change ch[NR_OPTIONS];
};

static int bad_value(int opt, const char *name, const char *val)
{
	const struct option_desc *o = &options[opt];
	char why[512];

	opt_problem(o, val, why, sizeof(why));
	return usage_err("set", "%s '%s': %s (expected %s)", name, val, why,
			 opt_grammar(o));
}

/* The option of @side whose set flag is @name, or -1. */
static int find_flag(const char *name, enum side side, bool *other_side)
{
	int i;

	*other_side = false;
	for (i = 0; i < NR_OPTIONS; i++) {
		const char *f = opt_flag(i);

		if (!f || strcmp(f, name))
			continue;
		if (options[i].side == side)
			return i;
		*other_side = true;
	}
	return -1;
}

static int add_change(struct set_req *req, int opt, const char *name,
		      const char *val)
{
	struct change *ch = &req->ch[req->nr];

	if (opt_normalize(&options[opt], val, strlen(val), ch->want,
			  sizeof(ch->want)))
		return bad_value(opt, name, val);
	ch->opt = opt;
	req->nr++;
	return 0;
}

static int parse_set_side(int argc, char **argv, struct set_req *req)
{
	const char *cmd = "set", *arg, *val, *eq;
	bool given[NR_OPTIONS] = { false }, other;
	char name[64];
	int i, opt, rc;

	for (i = 2; i < argc; i++) {
		arg = argv[i];
		if (!strcmp(arg, "--runtime-only")) {
			req->runtime_only = true;
			continue;
		}
		if (strncmp(arg, "--", 2))
			return usage_err(cmd, "unexpected argument '%s'", arg);
		eq = strchr(arg, '=');
		snprintf(name, sizeof(name), "%.*s",
			 eq ? (int)(eq - arg) : (int)strlen(arg), arg);
		opt = find_flag(name, req->side, &other);
		if (opt < 0 && other)
			return usage_err(cmd, "%s applies to the %s only", name,
					 side_names[!req->side]);
		if (opt < 0)
			return usage_err(cmd, "unknown option '%s'", name);
		if (given[opt])
			return usage_err(cmd, "%s given twice", name);
		if (!eq && i + 1 >= argc)
			return usage_err(cmd, "%s needs a value", name);
		val = eq ? eq + 1 : argv[++i];
		given[opt] = true;
		rc = add_change(req, opt, name, val);
		if (rc)
			return rc;
	}
	if (!req->nr)
		return usage_err(cmd, "nothing to set for the %s: give %s",
				 side_names[req->side],
				 req->side == SIDE_CLIENT ?
				 "--require-signing, --allow-insecure-guest, --audit-unsigned-peers or --unsigned-peers" :
				 "--require-signing, --audit-unsigned-peers or --unsigned-peers");
	return 0;
}

static int parse_set_algs(int argc, char **argv, struct set_req *req)
{
	char list[VALUE_MAX] = "";
	size_t used = 0;
	int i;

	req->is_algs = true;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--runtime-only")) {
			req->runtime_only = true;
			continue;
		}
		if (argv[i][0] == '-')
			return usage_err("set", "unknown option '%s'", argv[i]);
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", used ? " " : "", argv[i]);
		if (used >= sizeof(list))
			return usage_err("set", "algorithm list too long");
	}
	return add_change(req, OPT_ALGORITHMS, "algorithms", list);
}

static int parse_set(int argc, char **argv, struct set_req *req)
{
	int rc;

	if (argc < 2)
		return usage_err("set", "what: 'client', 'server' or 'algorithms'?");
	if (!strcmp(argv[1], SMBSIGN_ALGS_NAME))
		return parse_set_algs(argc, argv, req);
	if (strcmp(argv[1], "client") && strcmp(argv[1], "server"))
		return usage_err("set", "expected 'client', 'server' or 'algorithms', not '%s'",
				 argv[1]);
	rc = parse_side("set", argv[1], &req->side);
	return rc ? rc : parse_set_side(argc, argv, req);
}

/* Did the value stick? Prints the error and returns EXIT_* if not. */
static int check_stuck(const struct change *ch)
{
	const struct option_desc *o = &options[ch->opt];
	static struct policy now;
	char path[4096];
	int rc;

	rc = policy_read_running(&now);
	if (rc)
		return rc;
	if (opt_equal(o, ch->want, now.value[ch->opt]))
		return 0;
	sysfs_path(path, sizeof(path), o->rel);
	return err(EXIT_REJECTED, "%s reads '%s' after writing '%s': the value did not stick",
		   path, now.value[ch->opt], ch->want);
}

/* Put back what was there before. Returns false if that failed too. */
static bool restore(struct set_req *req)
{
	char ignored[256];
	bool ok = true;
	int i;

	err_capture(ignored, sizeof(ignored));
	for (i = req->nr - 1; i >= 0; i--)
		if (req->ch[i].written &&
		    sysfs_write(options[req->ch[i].opt].rel, req->ch[i].old))
			ok = false;
	err_capture(NULL, 0);
	return ok;
}

static int fail_restored(struct set_req *req, int rc, const char *msg)
{
	bool ok = restore(req);

	return err(rc, "%s; %s", msg, ok ? "nothing was changed" :
		   "restoring the earlier values failed too");
}

static int write_changes(struct set_req *req)
{
	char msg[1024];
	int i, rc;

	for (i = 0; i < req->nr; i++) {
		struct change *ch = &req->ch[i];

		err_capture(msg, sizeof(msg));
		rc = sysfs_write(options[ch->opt].rel, ch->want);
		if (!rc) {
			ch->written = true;
			rc = check_stuck(ch);
		}
		err_capture(NULL, 0);
		if (rc)
			return fail_restored(req, rc, msg);
	}
	return 0;
}

static void show_value(const char *v, char *buf, size_t len)
{
	snprintf(buf, len, v[0] ? "%s" : "\"\"", v);
}

static void print_changes(const struct set_req *req,
			  const struct policy *after)
{
	char old[PEERS_TEXT_MAX], now[PEERS_TEXT_MAX];
	int i;

	for (i = 0; i < req->nr; i++) {
		const struct change *ch = &req->ch[i];

		show_value(ch->old, old, sizeof(old));
		show_value(after->value[ch->opt], now, sizeof(now));
		if (!strcmp(old, now))
			printf("%s: %s (unchanged)\n", options[ch->opt].rel, now);
		else
			printf("%s: %s -> %s\n", options[ch->opt].rel, old, now);
	}
}

/* What the file now makes smbsign load with, besides the changes. */
static void print_saved(const struct set_req *req, const struct modconf *mc,
			const struct policy *after)
{
	char boot[PEERS_TEXT_MAX], now[PEERS_TEXT_MAX];
	bool changed[NR_OPTIONS] = { false };
	int i;

	for (i = 0; i < req->nr; i++)
		changed[req->ch[i].opt] = true;
	printf("Saved in %s: smbsign loads with this policy from now on.\n",
	       mc->path);
	for (i = 0; i < NR_OPTIONS; i++) {
		const char *b;

		if (changed[i] || !after->present[i])
			continue;
		b = modconf_value(mc, i, boot, sizeof(boot));
		if (!b || opt_equal(&options[i], b, after->value[i]))
			continue;
		show_value(after->value[i], now, sizeof(now));
		printf("  also saved, as it runs now: %s=%s (was %s at boot)\n",
		       options[i].param, now, b[0] ? b : "\"\"");
	}
}

static void print_scope(const struct set_req *req)
{
	if (req->is_algs)
		printf("Applies to connections negotiated from now on: cifs reuses a server's connection until every mount of that server is unmounted; ksmbd clients must reconnect.\n");
	else if (req->side == SIDE_CLIENT)
		printf("Applies to sessions set up from now on: cifs shares one session among all mounts of a server, so unmount every mount of that server, then mount again.\n");
	else
		printf("Applies to sessions set up from now on: clients already connected keep their session until they reconnect.\n");
}

/* Honest about enforcement: the policy means nothing without a consumer. */
static void consumer_warning(const struct set_req *req)
{
	enum consumer_state st[NR_CONSUMERS];
	int i;

	if (consumers_read(st))
		return;
	for (i = 0; i < NR_CONSUMERS; i++) {
		/* cifs is the client, ksmbd the server; algorithms: both */
		if (!req->is_algs && i != (int)req->side)
			continue;
		if (st[i] == CONSUMER_STOCK)
			printf("Warning: %s is loaded but does not use smbsign (the stock module): it does not follow this policy. Load the patched %s.\n",
			       consumer_names[i], consumer_names[i]);
		else if (st[i] == CONSUMER_ABSENT)
			printf("Warning: %s is not loaded: the policy is stored, but nothing enforces it until the patched %s is loaded.\n",
			       consumer_names[i], consumer_names[i]);
	}
}

/* A client that allows guests but still requires signing refuses them. */
static void guest_note(const struct set_req *req, const struct policy *p)
{
	if (req->is_algs || req->side != SIDE_CLIENT)
		return;
	if (policy_bool(p, OPT_CLIENT_GUEST) && policy_bool(p, OPT_CLIENT_REQUIRE))
		printf("Note: guest sessions stay refused while client/require_signing is 1, except with the servers in client/unsigned_peers.\n");
}

static int prepare(struct set_req *req, struct policy *before)
{
	char path[4096];
	int i, rc;

	rc = policy_read_running(before);
	if (rc)
		return rc;
	for (i = 0; i < req->nr; i++) {
		struct change *ch = &req->ch[i];

		if (!before->present[ch->opt]) {
			sysfs_path(path, sizeof(path), options[ch->opt].rel);
			return err(EXIT_FAIL, "the loaded smbsign module has no %s (it is older than this tool): load the new one first",
				   path);
		}
		snprintf(ch->old, sizeof(ch->old), "%s", before->value[ch->opt]);
		rc = sysfs_check_writable(options[ch->opt].rel);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * The file set replaced had errors: its smbsign lines are gone now, say
 * what they were, nothing is dropped silently.
 */
static void print_replaced_errors(const struct modconf *mc, const char *report)
{
	const char *p = report, *nl;

	if (!mc->nr_errors || !report)
		return;
	printf("Replaced in %s, which had %d error%s:\n", mc->path,
	       mc->nr_errors, mc->nr_errors == 1 ? "" : "s");
	char line[1024];

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (strstr(line, ": error: "))
			printf("  %s\n", line);
	}
}

/* Write the changes and save the file; on failure put everything back. */
static int apply(struct set_req *req, struct modconf *mc,
		 struct modconf_txn *txn, struct policy *after)
{
	char msg[1024];
	int rc;

	rc = write_changes(req);
	if (!rc)
		rc = policy_read_running(after);
	if (rc) {
		if (!req->runtime_only)
			modconf_abort(txn);
		return rc;
	}
	if (req->runtime_only)
		return 0;
	err_capture(msg, sizeof(msg));
	rc = modconf_commit(txn, mc, after);
	err_capture(NULL, 0);
	return rc ? fail_restored(req, rc, msg) : 0;
}

int cmd_set(int argc, char **argv)
{
	static struct set_req req;
	static struct policy before, after;
	static struct modconf mc;
	struct modconf_txn txn;
	char *old_errors = NULL;
	size_t old_errors_len = 0;
	FILE *report;
	int rc;

	/* Static for their size; each call starts from nothing. */
	memset(&req, 0, sizeof(req));
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	memset(&mc, 0, sizeof(mc));
	rc = parse_set(argc, argv, &req);
	if (!rc)
		rc = need_module();
	if (!rc)
		rc = prepare(&req, &before);
	if (!rc && !req.runtime_only) {
		/* what is wrong with the file now, to say what set replaced */
		report = open_memstream(&old_errors, &old_errors_len);
		rc = modconf_load(&mc, where(W_MODCONF), report);
		if (report)
			fclose(report);
		if (!rc)
			rc = modconf_begin(&txn, mc.path);
	}
	if (!rc)
		rc = apply(&req, &mc, &txn, &after);
	if (!rc) {
		print_changes(&req, &after);
		if (req.runtime_only) {
			printf("Not saved (--runtime-only): smbsign loads with %s at boot; 'smbsignctl status' shows the differences.\n",
			       where(W_MODCONF));
		} else {
			print_saved(&req, &mc, &after);
			print_replaced_errors(&mc, old_errors);
		}
		print_scope(&req);
		guest_note(&req, &after);
		consumer_warning(&req);
	}
	free(old_errors);
	modconf_free(&mc);
	return rc;
}
