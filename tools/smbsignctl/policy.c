// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: policy values. Each option's value is checked with the
 * kernel's parser (smbsign_parse_bool(), smbsign_parse_algs(),
 * smbsign_parse_peers()) and kept in one normal form: "1" or "0", the
 * algorithm names joined by commas, the peers joined by commas as given.
 */
#include <errno.h>
#include <string.h>

#include "smbsignctl.h"

static void join_peer_tokens(const char *in, size_t len, char *out,
			     size_t outlen)
{
	size_t i = 0, used = 0, start;

	out[0] = '\0';
	if (len && in[len - 1] == '\n')
		len--;
	while (i < len) {
		while (i < len && (in[i] == ' ' || in[i] == ','))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && in[i] != ' ' && in[i] != ',')
			i++;
		used += (size_t)snprintf(out + used, outlen - used, "%s%.*s",
					 used ? "," : "", (int)(i - start),
					 in + start);
		if (used >= outlen)
			break;
	}
}

/* The value @in (@len bytes) of option @o in normal form; -EINVAL if the
 * kernel would refuse it.
 */
int opt_normalize(const struct option_desc *o, const char *in, size_t len,
		  char *out, size_t outlen)
{
	static struct smbsign_peer_list peers;
	struct alg_list l;
	bool b;

	switch (o->kind) {
	case OPT_BOOL:
		if (smbsign_parse_bool(in, len, &b))
			return -EINVAL;
		snprintf(out, outlen, "%d", b);
		return 0;
	case OPT_ALGS:
		if (smbsign_parse_algs(in, len, l.alg, &l.nr))
			return -EINVAL;
		algs_join(&l, ",", out, outlen);
		return 0;
	case OPT_PEERS:
		if (smbsign_parse_peers(in, len, o->allow_names, &peers))
			return -EINVAL;
		join_peer_tokens(in, len, out, outlen);
		return 0;
	}
	return -EINVAL;
}

/*
 * Do two values in normal form mean the same? Peer lists are equal when
 * they hold the same entries: "NAS,::ffff:10.0.0.1" is "nas,10.0.0.1".
 */
bool opt_equal(const struct option_desc *o, const char *a, const char *b)
{
	static struct smbsign_peer_list la, lb;
	unsigned int i, j;

	if (o->kind != OPT_PEERS)
		return !strcmp(a, b);
	if (smbsign_parse_peers(a, strlen(a), o->allow_names, &la) ||
	    smbsign_parse_peers(b, strlen(b), o->allow_names, &lb))
		return !strcmp(a, b);
	if (la.nr != lb.nr)
		return false;
	for (i = 0; i < la.nr; i++) {
		for (j = 0; j < lb.nr; j++)
			if (smbsign_peer_entry_equal(&la.entry[i], &lb.entry[j]))
				break;
		if (j == lb.nr)
			return false;
	}
	return true;
}

/* Which entry of a refused peer list is wrong, for the error message. */
static void peers_problem(const struct option_desc *o, const char *val,
			  char *buf, size_t len)
{
	static struct smbsign_peer_list l;
	char tok[VALUE_MAX];
	const char *p = val;
	size_t n;
	int count = 0;

	while (*p) {
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (!n)
			break;
		count++;
		snprintf(tok, sizeof(tok), "%.*s", (int)n, p);
		if (smbsign_parse_peers(tok, n, o->allow_names, &l)) {
			snprintf(buf, len, "'%.256s' is not %s", tok, o->allow_names ?
				 "a host name, an address or a prefix with its host bits 0" :
				 "an address or a prefix with its host bits 0 (names are not allowed here)");
			return;
		}
		p += n;
	}
	if (count > SMBSIGN_PEERS_MAX)
		snprintf(buf, len, "%d entries, at most %d are allowed", count,
			 SMBSIGN_PEERS_MAX);
	else if (strlen(val) >= SMBSIGN_PEERS_VALUE_MAX)
		snprintf(buf, len, "the list is longer than %d characters",
			 SMBSIGN_PEERS_VALUE_MAX - 1);
	else
		snprintf(buf, len, "an entry is listed twice");
}

/* Why the kernel would refuse @val for @o, in a few words. */
void opt_problem(const struct option_desc *o, const char *val, char *buf,
		 size_t len)
{
	if (o->kind == OPT_PEERS)
		peers_problem(o, val, buf, len);
	else if (strlen(val) > SMBSIGN_PARSE_MAX)
		snprintf(buf, len, "longer than %d characters",
			 SMBSIGN_PARSE_MAX);
	else
		snprintf(buf, len, "not valid");
}

const char *opt_grammar(const struct option_desc *o)
{
	switch (o->kind) {
	case OPT_BOOL:
		return "1, 0, y, n, yes, no, true, false, on or off, in any case";
	case OPT_ALGS:
		return "hmac-sha256, aes-cmac and aes-gmac in any case, each at most once, separated by commas or spaces, most preferred first";
	case OPT_PEERS:
		return o->allow_names ?
		       "server names as in the mount's UNC, IPv4 or IPv6 addresses or prefixes (192.0.2.0/24, 2001:db8::/32), separated by commas or spaces, at most 16, each once; \"\" for none" :
		       "client IPv4 or IPv6 addresses or prefixes (192.0.2.0/24, 2001:db8::/32), separated by commas or spaces, at most 16, each once; \"\" for none";
	}
	return "";
}

/*
 * The module's value when nothing sets the option: the default of
 * names.h for a boolean, no peers for a list. The algorithm list's default
 * is the module's own (names.h has none): "" here.
 */
void opt_default(const struct option_desc *o, char *out, size_t len)
{
	snprintf(out, len, "%s", o->kind == OPT_BOOL ? (o->def ? "1" : "0") :
		 "");
}

/*
 * The algorithms file: "[aes-gmac] [aes-cmac] hmac-sha256", enabled ones
 * in brackets, most preferred first, then the disabled ones. Returns 0,
 * or an exit status after saying what is wrong.
 */
int algs_parse_sysfs(char *buf, struct alg_list *out)
{
	bool seen[NR_ALGS] = { false }, disabled = false;
	char *tok, *save = NULL, copy[VALUE_MAX];
	int a;

	snprintf(copy, sizeof(copy), "%s", buf);
	out->nr = 0;
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		size_t n = strlen(tok);
		bool on = n > 2 && tok[0] == '[' && tok[n - 1] == ']';

		if (on) {
			tok[n - 1] = '\0';
			tok++;
		}
		a = alg_by_name(tok);
		/* unknown, twice, or enabled after a disabled one */
		if (a < 0 || seen[a] || (on && disabled))
			return sysfs_bad_content(SMBSIGN_ALGS_NAME, copy);
		seen[a] = true;
		if (on)
			out->alg[out->nr++] = (unsigned int)a;
		else
			disabled = true;
	}
	return out->nr ? 0 : sysfs_bad_content(SMBSIGN_ALGS_NAME, copy);
}

void algs_join(const struct alg_list *l, const char *sep, char *buf,
	       size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? sep : "", alg_names[l->alg[i]]);
}

static int read_option(int opt, struct policy *p)
{
	const struct option_desc *o = &options[opt];
	char buf[VALUE_MAX];
	struct alg_list l;
	int rc;

	/* A module older than this tool has no peer lists: say so, go on. */
	if (o->kind == OPT_PEERS && sysfs_loaded() && !sysfs_exists(o->rel)) {
		p->present[opt] = false;
		p->value[opt][0] = '\0';
		return 0;
	}
	rc = sysfs_read(o->rel, buf, sizeof(buf));
	if (rc)
		return rc;
	if (o->kind == OPT_ALGS) {
		rc = algs_parse_sysfs(buf, &l);
		if (rc)
			return rc;
		algs_join(&l, ",", p->value[opt], sizeof(p->value[opt]));
	} else if (opt_normalize(o, buf, strlen(buf), p->value[opt],
				 sizeof(p->value[opt]))) {
		return sysfs_bad_content(o->rel, buf);
	}
	p->present[opt] = true;
	return 0;
}

/* The policy in /sys/kernel/smbsign. */
int policy_read_running(struct policy *p)
{
	int i, rc;

	for (i = 0; i < NR_OPTIONS; i++) {
		rc = read_option(i, p);
		if (rc)
			return rc;
	}
	return 0;
}

bool policy_bool(const struct policy *p, int opt)
{
	return !strcmp(p->value[opt], "1");
}

/*
 * "options smbsign client_require_signing=1 ...": every option present,
 * in the order of names.h. Values never hold a blank or a quote; an empty
 * one is written "" so that a reader sees it was meant.
 */
void policy_options_line(const struct policy *p, char *buf, size_t len)
{
	size_t used;
	int i;

	used = (size_t)snprintf(buf, len, "options smbsign");
	for (i = 0; i < NR_OPTIONS && used < len; i++) {
		if (!p->present[i])
			continue;
		used += (size_t)snprintf(buf + used, len - used,
					 p->value[i][0] ? " %s=%s" : " %s=\"%s\"",
					 options[i].param, p->value[i]);
	}
}

void for_each_item(const char *list, void (*fn)(const char *item, size_t len,
						 void *arg), void *arg)
{
	const char *p = list, *c;

	while (*p) {
		c = strchr(p, ',');
		if (!c)
			c = p + strlen(p);
		if (c > p)
			fn(p, (size_t)(c - p), arg);
		p = *c ? c + 1 : c;
	}
}
