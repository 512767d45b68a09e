// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: audit, "what breaks if I require signing?"
 *
 * smbsign keeps, per side and peer, the sessions that did not sign
 * (/proc/fs/smbsign/audit): user sessions that accepted unsigned messages
 * (they sign as soon as signing is required: nothing breaks), guest and
 * anonymous sessions (they have no key and cannot sign: these peers
 * break), and the sessions <side>/unsigned_peers let through. This command
 * reads that table with the running policy and says, per peer, which it
 * is, and what to put in unsigned_peers to keep the breaking ones working
 * without turning signing off for everyone (Windows' only answer).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

enum verdict { V_OK, V_EXEMPTED, V_BREAKS, V_REFUSED };

static const char *const verdict_token[] = {
	[V_OK] = "ok", [V_EXEMPTED] = "exempted", [V_BREAKS] = "breaks",
	[V_REFUSED] = "refused",
};

static const char *const verdict_text[] = {
	[V_OK] = "ok: user sessions, they sign when signing is required",
	[V_EXEMPTED] = "exempted: listed in unsigned_peers",
	[V_BREAKS] = "BREAKS: guest/anonymous sessions cannot sign",
	[V_REFUSED] = "REFUSED now: guest/anonymous sessions cannot sign",
};

static const int peers_opt[NR_SIDES] = { OPT_CLIENT_PEERS, OPT_SERVER_PEERS };
static const int require_opt[NR_SIDES] = { OPT_CLIENT_REQUIRE,
					   OPT_SERVER_REQUIRE };

struct judged {
	const struct audit_row *row;
	enum verdict v;
	bool listed;
};

static bool nonzero(const char *count)
{
	return strcmp(count, "0") != 0;
}

/* Is the row's peer on the side's unsigned_peers list now? */
static bool listed(const struct policy *p, const struct audit_row *r)
{
	const struct option_desc *o = &options[peers_opt[r->side]];
	static struct smbsign_peer_list l;
	struct smbsign_peer_addr a = { 0 };
	const char *v = p->value[peers_opt[r->side]];
	static const unsigned char v4_mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!p->present[peers_opt[r->side]] ||
	    smbsign_parse_peers(v, strlen(v), o->allow_names, &l))
		return false;
	if (inet_pton(AF_INET, r->address, a.addr) == 1) {
		a.kind = SMBSIGN_PEER_IPV4;
	} else if (inet_pton(AF_INET6, r->address, a.addr) == 1) {
		a.kind = SMBSIGN_PEER_IPV6;
		if (!memcmp(a.addr, v4_mapped, sizeof(v4_mapped))) {
			memmove(a.addr, a.addr + 12, 4);
			memset(a.addr + 4, 0, 12);
			a.kind = SMBSIGN_PEER_IPV4;
		}
	}
	return smbsign_peers_match(&l, a.kind ? &a : NULL,
				   r->name[0] ? r->name : NULL);
}

static enum verdict judge(const struct policy *p, const struct audit_row *r,
			  bool is_listed)
{
	bool guest = nonzero(r->count[1]), anon = nonzero(r->count[2]);
	bool refused_now;

	if (!guest && !anon)
		return V_OK;
	if (is_listed)
		return V_EXEMPTED;
	/* The client also refuses guests unless insecure guest logons are on. */
	refused_now = policy_bool(p, require_opt[r->side]) ||
		      (r->side == SIDE_CLIENT && guest &&
		       !policy_bool(p, OPT_CLIENT_GUEST));
	return refused_now ? V_REFUSED : V_BREAKS;
}

/* The entry unsigned_peers needs for the row: the client's server name
 * as mounted, else the address.
 */
static const char *entry_for(const struct audit_row *r)
{
	if (r->side == SIDE_CLIENT && r->name[0])
		return r->name;
	return r->address;
}

/*
 * The list that keeps every breaking or refused peer of @side working:
 * the current list plus their entries. "" if there is nothing to add.
 */
static void suggest(const struct policy *p, const struct judged *j, int nr,
		    enum side side, char *buf, size_t len)
{
	size_t used;
	bool added = false;
	char probe[FIELD_MAX + 2], have[PEERS_TEXT_MAX + 2];
	int i;

	used = (size_t)snprintf(buf, len, "%s",
				p->value[peers_opt[side]]);
	for (i = 0; i < nr; i++) {
		const char *e = entry_for(j[i].row);

		if (j[i].row->side != side || !*e ||
		    (j[i].v != V_BREAKS && j[i].v != V_REFUSED))
			continue;
		snprintf(probe, sizeof(probe), ",%s,", e);
		snprintf(have, sizeof(have), ",%s,", buf);
		if (strstr(have, probe))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", e);
		added = true;
		if (used >= len)
			break;
	}
	if (!added)
		buf[0] = '\0';
}

/* Would the kernel take @list for @side's unsigned_peers? */
static bool peers_valid(int side, const char *list)
{
	static struct smbsign_peer_list l;
	const struct option_desc *o = &options[peers_opt[side]];

	return !smbsign_parse_peers(list, strlen(list), o->allow_names, &l);
}

static void print_text(const struct policy *p, const struct judged *j,
		       int nr, uint64_t now)
{
	static const char *const head[] = {
		"SIDE", "PEER", "NAME", "UNSIGNED", "GUEST", "ANONYMOUS",
		"EXEMPTED", "LAST SEEN", "VERDICT",
	};
	static const bool right[ARRAY_SIZE(head)] = {
		[3] = true, [4] = true, [5] = true, [6] = true,
	};
	char age[32], list[PEERS_TEXT_MAX];
	const char *cells[ARRAY_SIZE(head)];
	int i, s, bad[NR_SIDES] = { 0 }, now_refused[NR_SIDES] = { 0 };
	struct grid g;

	for (s = 0; s < NR_SIDES; s++)
		printf("%s: require_signing %s, unsigned_peers %s\n",
		       side_names[s], p->value[require_opt[s]],
		       !p->present[peers_opt[s]] ? "(not supported)" :
		       p->value[peers_opt[s]][0] ? p->value[peers_opt[s]] :
		       "(none)");
	printf("\n");
	if (!nr) {
		printf("No peer recorded yet: the table fills as SMB sessions are set up ('smbsignctl stats --reset' empties it).\n");
		return;
	}
	grid_init(&g, ARRAY_SIZE(head), head, right);
	for (i = 0; i < nr; i++) {
		const struct audit_row *r = j[i].row;

		format_age(now, r->last_seen, age, sizeof(age));
		cells[0] = side_names[r->side];
		cells[1] = r->address[0] ? r->address : "-";
		cells[2] = r->name[0] ? r->name : "-";
		cells[3] = r->count[0];
		cells[4] = r->count[1];
		cells[5] = r->count[2];
		cells[6] = r->count[3];
		cells[7] = age;
		cells[8] = verdict_text[j[i].v];
		grid_add(&g, cells);
		bad[r->side] += j[i].v == V_BREAKS || j[i].v == V_REFUSED;
		now_refused[r->side] += j[i].v == V_REFUSED;
	}
	grid_print(&g, "");
	grid_free(&g);
	for (s = 0; s < NR_SIDES; s++) {
		if (!bad[s])
			continue;
		suggest(p, j, nr, (enum side)s, list, sizeof(list));
		printf("\n%s: %d peer%s with guest or anonymous sessions, which cannot sign (%d refused now, %d once %s/require_signing is 1).\n",
		       side_names[s], bad[s], bad[s] == 1 ? "" : "s",
		       now_refused[s], bad[s] - now_refused[s], side_names[s]);
		if (!list[0])
			printf("No address or name is known to exempt: see 'smbsignctl sessions'.\n");
		else if (!peers_valid(s, list))
			printf("Exempting each of them would take more than %d entries of %s/unsigned_peers: exempt prefixes instead.\n",
			       SMBSIGN_PEERS_MAX, side_names[s]);
		else
			printf("Rather than turning signing off for every peer, exempt only these:\n  smbsignctl set %s --unsigned-peers '%s'\n",
			       side_names[s], list);
	}
	if (!bad[SIDE_CLIENT] && !bad[SIDE_SERVER])
		printf("\nNo peer would break: every peer above signs when signing is required, or is exempted.\n");
}

static void print_json(const struct policy *p, const struct judged *j,
		       int nr)
{
	char list[PEERS_TEXT_MAX];
	int i, k, s;

	printf("{");
	for (s = 0; s < NR_SIDES; s++) {
		printf("\"%s\": ", side_names[s]);
		print_side_json(p, (enum side)s);
		printf(", ");
	}
	printf("\"peers\": [");
	for (i = 0; i < nr; i++) {
		const struct audit_row *r = j[i].row;

		printf("%s{\"side\": \"%s\", \"address\": ", i ? ", " : "",
		       side_names[r->side]);
		json_string_or_null(stdout, r->address);
		printf(", \"name\": ");
		json_string_or_null(stdout, r->name);
		for (k = 0; k < 4; k++)
			printf(", \"%s\": \"%s\"", audit_count_names[k],
			       r->count[k]);
		printf(", \"last_seen\": \"%s\", \"listed\": %s, \"verdict\": \"%s\"}",
		       r->last_seen_text, jbool(j[i].listed),
		       verdict_token[j[i].v]);
	}
	printf("], \"suggested_unsigned_peers\": {");
	for (s = 0; s < NR_SIDES; s++) {
		suggest(p, j, nr, (enum side)s, list, sizeof(list));
		if (!peers_valid(s, list))
			list[0] = '\0';
		printf("%s\"%s\": ", s ? ", " : "", side_names[s]);
		json_string_or_null(stdout, list);
	}
	printf("}}\n");
}

int cmd_audit(int argc, char **argv)
{
	static struct policy p;
	struct audit_row *rows = NULL;
	struct judged *j = NULL;
	bool json = false;
	uint64_t now = 0;
	int i, nr, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-')
			return usage_err("audit", "unknown option '%s'", argv[i]);
		else
			return usage_err("audit", "unexpected argument '%s'", argv[i]);
	}
	rc = proc_read_audit(&rows, &nr);
	if (!rc)
		rc = policy_read_running(&p);
	if (!rc && !json)
		rc = boottime_now(&now);
	if (!rc && nr) {
		j = calloc((size_t)nr, sizeof(*j));
		if (!j)
			rc = err(EXIT_FAIL, "out of memory");
	}
	for (i = 0; !rc && i < nr; i++) {
		j[i].row = &rows[i];
		j[i].listed = listed(&p, &rows[i]);
		j[i].v = judge(&p, &rows[i], j[i].listed);
	}
	if (!rc) {
		if (json)
			print_json(&p, j, nr);
		else
			print_text(&p, j, nr, now);
	}
	free(j);
	free(rows);
	return rc;
}
