// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: get and set, the policy of one side.
 *
 * set checks every value before it writes anything, reads each file back
 * afterwards, and puts the earlier values back when a write fails or a
 * value does not stick.
 */
#include <string.h>

#include "smbsignctl.h"

/* The policy files of the ABI and the module parameter behind each. */
enum knob { K_REQUIRE, K_GUEST, K_AUDIT, K_ALGS, NR_KNOBS };

static const struct knob_desc {
	const char *option;		/* set option, NULL for algorithms */
	const char *file;		/* under <side>/ or at the top */
	bool client_only;
	bool global;
} knobs[NR_KNOBS] = {
	[K_REQUIRE] = { "--require-signing", "require_signing", false, false },
	[K_GUEST] = { "--allow-insecure-guest", "allow_insecure_guest", true, false },
	[K_AUDIT] = { "--audit-unsigned-peers", "audit_unsigned_peers", false, false },
	[K_ALGS] = { NULL, "algorithms", false, true },
};

/* The PowerShell field names of each side. */
static const char *const audit_field[NR_SIDES] = {
	"AuditServerDoesNotSupportSigning", "AuditClientDoesNotSupportSigning",
};

static int parse_side(const char *cmd, const char *s, enum side *side)
{
	if (!strcmp(s, "client"))
		*side = SIDE_CLIENT;
	else if (!strcmp(s, "server"))
		*side = SIDE_SERVER;
	else
		return usage_err(cmd, "expected 'client' or 'server', not '%s'", s);
	return 0;
}

/* "client/require_signing" or "algorithms" */
static void knob_rel(enum knob k, enum side side, char *buf, size_t len)
{
	if (knobs[k].global)
		snprintf(buf, len, "%s", knobs[k].file);
	else
		snprintf(buf, len, "%s/%s", side_names[side], knobs[k].file);
}

/* "client_require_signing" or "algorithms" */
static void knob_param(enum knob k, enum side side, char *buf, size_t len)
{
	if (knobs[k].global)
		snprintf(buf, len, "%s", knobs[k].file);
	else
		snprintf(buf, len, "%s_%s", side_names[side], knobs[k].file);
}

static int read_knob_bool(enum knob k, enum side side, bool *out)
{
	char rel[64];

	knob_rel(k, side, rel, sizeof(rel));
	return sysfs_read_bool(rel, out);
}

/* ---- get ---- */

int read_side(enum side side, struct side_conf *c)
{
	int rc;

	rc = read_knob_bool(K_REQUIRE, side, &c->require);
	if (!rc && side == SIDE_CLIENT)
		rc = read_knob_bool(K_GUEST, side, &c->guest);
	if (!rc)
		rc = read_knob_bool(K_AUDIT, side, &c->audit);
	if (!rc)
		rc = sysfs_read_algs(&c->algs);
	return rc;
}

static void print_side_json(enum side side, const struct side_conf *c)
{
	int i;

	printf("{\"RequireSecuritySignature\": %s, ",
	       c->require ? "true" : "false");
	if (side == SIDE_CLIENT)
		printf("\"EnableInsecureGuestLogons\": %s, ",
		       c->guest ? "true" : "false");
	printf("\"%s\": %s, \"SigningAlgorithms\": [", audit_field[side],
	       c->audit ? "true" : "false");
	for (i = 0; i < c->algs.nr_enabled; i++) {
		if (i)
			printf(", ");
		json_string(stdout, alg_display[c->algs.enabled[i]]);
	}
	printf("]}\n");
}

static void print_side_text(enum side side, const struct side_conf *c)
{
	struct table t = { 0 };
	char list[128] = "";
	size_t used = 0;
	int i;

	for (i = 0; i < c->algs.nr_enabled; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", i ? ", " : "",
					 alg_display[c->algs.enabled[i]]);
	table_add(&t, "RequireSecuritySignature", "%s", true_false(c->require));
	if (side == SIDE_CLIENT)
		table_add(&t, "EnableInsecureGuestLogons", "%s",
			  true_false(c->guest));
	table_add(&t, audit_field[side], "%s", true_false(c->audit));
	table_add(&t, "SigningAlgorithms", "%s", list);
	table_print(&t);
}

int cmd_get(int argc, char **argv)
{
	bool json = false, have_side = false;
	struct side_conf c = { 0 };
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
		rc = read_side(side, &c);
	if (rc)
		return rc;
	if (json)
		print_side_json(side, &c);
	else
		print_side_text(side, &c);
	return EXIT_OK;
}

/* ---- set ---- */

struct change {
	enum knob knob;
	char rel[64];
	bool want;			/* boolean knobs */
	struct alg_list want_algs;	/* K_ALGS */
	char old[VALUE_MAX];		/* what to write back on failure */
	char old_show[128];
	bool written;
};

struct set_req {
	enum side side;
	bool is_algs;
	int nr;
	struct change ch[NR_KNOBS];
};

static int parse_set_side(int argc, char **argv, struct set_req *req)
{
	const char *cmd = "set", *opt, *val, *eq;
	bool given[NR_KNOBS] = { false };
	char name[64];
	int i, k;

	for (i = 2; i < argc; i++) {
		opt = argv[i];
		eq = strchr(opt, '=');
		if (strncmp(opt, "--", 2))
			return usage_err(cmd, "unexpected argument '%s'", opt);
		snprintf(name, sizeof(name), "%.*s",
			 eq ? (int)(eq - opt) : (int)strlen(opt), opt);
		for (k = 0; k < K_ALGS; k++)
			if (!strcmp(name, knobs[k].option))
				break;
		if (k == K_ALGS)
			return usage_err(cmd, "unknown option '%s'", name);
		if (knobs[k].client_only && req->side != SIDE_CLIENT)
			return usage_err(cmd, "%s applies to the client only", name);
		if (given[k])
			return usage_err(cmd, "%s given twice", name);
		if (!eq && i + 1 >= argc)
			return usage_err(cmd, "%s needs a value: true or false", name);
		val = eq ? eq + 1 : argv[++i];
		given[k] = true;
		req->ch[req->nr].knob = (enum knob)k;
		if (parse_bool_arg(val, &req->ch[req->nr].want))
			return usage_err(cmd, "%s: '%s' is not a boolean (true/false, 1/0, yes/no, on/off)",
					 name, val);
		req->nr++;
	}
	if (!req->nr)
		return usage_err(cmd, "nothing to set: give --require-signing, --audit-unsigned-peers%s",
				 req->side == SIDE_CLIENT ? " or --allow-insecure-guest" : "");
	return 0;
}

static int parse_set(int argc, char **argv, struct set_req *req)
{
	int i, rc;

	if (argc < 2)
		return usage_err("set", "what: 'client', 'server' or 'algorithms'?");
	if (!strcmp(argv[1], "algorithms")) {
		req->is_algs = true;
		for (i = 2; i < argc; i++)
			if (argv[i][0] == '-')
				return usage_err("set", "unknown option '%s'", argv[i]);
		rc = parse_alg_args(argc - 2, argv + 2, &req->ch[0].want_algs);
		if (rc)
			return rc;
		req->ch[0].knob = K_ALGS;
		req->nr = 1;
		return 0;
	}
	if (strcmp(argv[1], "client") && strcmp(argv[1], "server"))
		return usage_err("set", "expected 'client', 'server' or 'algorithms', not '%s'",
				 argv[1]);
	rc = parse_side("set", argv[1], &req->side);
	return rc ? rc : parse_set_side(argc, argv, req);
}

/* Read the current value of @ch, to restore and to show it. */
static int save_old(struct change *ch)
{
	struct alg_list cur;
	bool b;
	int rc;

	if (ch->knob == K_ALGS) {
		rc = sysfs_read_algs(&cur);
		if (rc)
			return rc;
		format_algs(&cur, ' ', ch->old, sizeof(ch->old));
		format_algs(&cur, ',', ch->old_show, sizeof(ch->old_show));
		return 0;
	}
	rc = sysfs_read_bool(ch->rel, &b);
	if (rc)
		return rc;
	snprintf(ch->old, sizeof(ch->old), "%d", b);
	snprintf(ch->old_show, sizeof(ch->old_show), "%d", b);
	return 0;
}

static void new_value(const struct change *ch, char sep, char *buf, size_t len)
{
	if (ch->knob == K_ALGS)
		format_algs(&ch->want_algs, sep, buf, len);
	else
		snprintf(buf, len, "%d", ch->want);
}

/* Did the value stick? Prints the error and returns EXIT_* if not. */
static int check_stuck(const struct change *ch)
{
	char want[128], have[VALUE_MAX], path[4096];
	int rc;

	new_value(ch, ',', want, sizeof(want));
	rc = sysfs_read_back(ch->rel, have, sizeof(have));
	if (rc)
		return rc;
	if (!strcmp(want, have))
		return 0;
	sysfs_path(path, sizeof(path), ch->rel);
	return err(EXIT_REJECTED, "%s reads '%s' after writing '%s': the value did not stick",
		   path, have, want);
}

/* Put back what was there before. Returns false if that failed too. */
static bool restore(struct set_req *req)
{
	char ignored[256];
	bool ok = true;
	int i;

	err_capture(ignored, sizeof(ignored));
	for (i = req->nr - 1; i >= 0; i--)
		if (req->ch[i].written && sysfs_write(req->ch[i].rel, req->ch[i].old))
			ok = false;
	err_capture(NULL, 0);
	return ok;
}

static void print_result(const struct set_req *req)
{
	char param[64], val[128], line[512] = "options smbsign";
	size_t used = strlen(line);
	int i;

	for (i = 0; i < req->nr; i++) {
		const struct change *ch = &req->ch[i];

		new_value(ch, ',', val, sizeof(val));
		printf("# %s: %s -> %s\n", ch->rel, ch->old_show, val);
		knob_param(ch->knob, req->side, param, sizeof(param));
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 " %s=%s", param, val);
	}
	if (req->is_algs)
		printf("# Applies to sessions negotiated from now on.\n");
	else if (req->side == SIDE_CLIENT)
		printf("# Applies to sessions set up from now on: remount existing SMB mounts.\n");
	else
		printf("# Applies to sessions set up from now on: existing clients must reconnect.\n");
	printf("# To keep it across reboots, add this line to %s:\n%s\n",
	       MODPROBE_CONF, line);
}

/* A client that allows guests but still requires signing refuses them. */
static void guest_note(const struct set_req *req)
{
	char ignored[256];
	bool guest = false, require = false;
	int rc;

	if (req->is_algs || req->side != SIDE_CLIENT)
		return;
	err_capture(ignored, sizeof(ignored));
	rc = read_knob_bool(K_GUEST, SIDE_CLIENT, &guest);
	if (!rc)
		rc = read_knob_bool(K_REQUIRE, SIDE_CLIENT, &require);
	err_capture(NULL, 0);
	if (!rc && guest && require)
		printf("# Note: guest sessions stay refused while client/require_signing is 1.\n");
}

int cmd_set(int argc, char **argv)
{
	struct set_req req = { 0 };
	char val[VALUE_MAX], msg[1024];
	int i, rc;

	rc = parse_set(argc, argv, &req);
	if (rc)
		return rc;
	rc = need_module();
	if (rc)
		return rc;
	for (i = 0; i < req.nr; i++) {
		knob_rel(req.ch[i].knob, req.side, req.ch[i].rel,
			 sizeof(req.ch[i].rel));
		rc = save_old(&req.ch[i]);
		if (!rc)
			rc = sysfs_check_writable(req.ch[i].rel);
		if (rc)
			return rc;
	}
	for (i = 0; i < req.nr; i++) {
		new_value(&req.ch[i], ' ', val, sizeof(val));
		err_capture(msg, sizeof(msg));
		rc = sysfs_write(req.ch[i].rel, val);
		if (!rc) {
			req.ch[i].written = true;
			rc = check_stuck(&req.ch[i]);
		}
		err_capture(NULL, 0);
		if (rc) {
			bool ok = restore(&req);

			return err(rc, "%s; %s", msg,
				   ok ? "nothing was changed" :
				   "restoring the earlier values failed too");
		}
	}
	print_result(&req);
	guest_note(&req);
	return EXIT_OK;
}
