// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl fuzz harness (ctl_fuzz.c): its models, written here and not
 * taken from the tool. The settings as the ABI has them; the models of
 * the values the tool takes (booleans, algorithm names and lists, the
 * algorithms file, peer lists) and of what the kernel shows; and the
 * model of explain's lookup over explain_codes[].
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ctl_fuzz.h"

/* ---- the settings, as the ABI has them ---- */

/*
 * In the order of names.h, as smbsign.conf lists them. content is what
 * the fake tree's file holds at the start of every command, normal its
 * value in normal form.
 */
const struct mopt ctlf_mopts[] = {
	{ M_BOOL, "client", "client/require_signing", "client_require_signing",
	  "--require-signing", false, "1\n", "1" },
	{ M_BOOL, "server", "server/require_signing", "server_require_signing",
	  "--require-signing", false, "0\n", "0" },
	{ M_BOOL, "client", "client/allow_insecure_guest",
	  "client_allow_insecure_guest", "--allow-insecure-guest", false,
	  "0\n", "0" },
	{ M_BOOL, "client", "client/audit_unsigned_peers",
	  "client_audit_unsigned_peers", "--audit-unsigned-peers", false,
	  "1\n", "1" },
	{ M_BOOL, "server", "server/audit_unsigned_peers",
	  "server_audit_unsigned_peers", "--audit-unsigned-peers", false,
	  "0\n", "0" },
	{ M_PEERS, "client", "client/unsigned_peers", "client_unsigned_peers",
	  "--unsigned-peers", true, "oldnas,192.0.2.0/24\n",
	  "oldnas,192.0.2.0/24" },
	{ M_PEERS, "server", "server/unsigned_peers", "server_unsigned_peers",
	  "--unsigned-peers", false, "\n", "" },
	{ M_ALGS, NULL, "algorithms", "algorithms", NULL, false,
	  "[aes-gmac] [aes-cmac] hmac-sha256\n", "aes-gmac,aes-cmac" },
};

_Static_assert(ARRAY_SIZE(ctlf_mopts) == NR_OPTIONS,
	       "names.h has another number of settings: update ctlf_mopts[]");

const char *const ctlf_model_alg_names[] = {
	"hmac-sha256", "aes-cmac", "aes-gmac",
};
_Static_assert(ARRAY_SIZE(ctlf_model_alg_names) == NR_ALGS,
	       "another number of algorithms: update ctlf_model_alg_names[]");

/* ---- the models of values ---- */

/* The algorithm @s (@n bytes) names, or -1. */
int ctlf_model_alg(const char *s, size_t n)
{
	int a;

	for (a = 0; a < NR_ALGS; a++)
		if (strlen(ctlf_model_alg_names[a]) == n &&
		    !strncasecmp(s, ctlf_model_alg_names[a], n))
			return a;
	return -1;
}

int ctlf_model_bool(const char *s, bool *v)
{
	static const char *const words[] = {
		"1", "y", "yes", "true", "on", "0", "n", "no", "false", "off",
	};
	size_t i, n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (strlen(words[i]) == n && !strncasecmp(s, words[i], n)) {
			*v = i < ARRAY_SIZE(words) / 2;
			return 0;
		}
	}
	return -1;
}

/* A list as written to the algorithms file (and given to set). */
int ctlf_model_list(const char *s, struct mlist *l)
{
	bool seen[NR_ALGS] = { false };
	size_t n = strlen(s), i = 0, start;
	int a;

	l->nr = 0;
	if (n > SMBSIGN_PARSE_MAX)
		return -1;
	if (n && s[n - 1] == '\n')
		n--;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != ',')
			i++;
		a = ctlf_model_alg(s + start, i - start);
		if (a < 0 || seen[a])
			return -1;
		seen[a] = true;
		l->alg[l->nr++] = (unsigned int)a;
	}
	return l->nr ? 0 : -1;
}

/* The algorithms file as read (its newline gone): "[a] [b] c". */
int ctlf_model_alg_file(const char *s, struct mlist *l)
{
	bool seen[NR_ALGS] = { false }, off = false, on;
	size_t n;
	int a;

	l->nr = 0;
	for (;;) {
		s += strspn(s, " ");
		if (!*s)
			break;
		n = strcspn(s, " ");
		on = n > 2 && s[0] == '[' && s[n - 1] == ']';
		a = on ? ctlf_model_alg(s + 1, n - 2) : ctlf_model_alg(s, n);
		if (a < 0 || seen[a] || (on && off))
			return -1;
		seen[a] = true;
		if (on)
			l->alg[l->nr++] = (unsigned int)a;
		else
			off = true;
		s += n;
	}
	return l->nr ? 0 : -1;
}

/* What the kernel shows (smbsign_policy_format_algs()), newline and all. */
void ctlf_show_algs(const struct mlist *l, char *buf, size_t len)
{
	bool used[NR_ALGS] = { false };
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr; i++) {
		used[l->alg[i]] = true;
		n += (size_t)snprintf(buf + n, len - n, "%s[%s]", i ? " " : "",
				      ctlf_model_alg_names[l->alg[i]]);
	}
	for (i = 0; i < NR_ALGS; i++)
		if (!used[i])
			n += (size_t)snprintf(buf + n, len - n, " %s",
					      ctlf_model_alg_names[i]);
	snprintf(buf + n, len - n, "\n");
}

static void join_list(const struct mlist *l, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "",
				      ctlf_model_alg_names[l->alg[i]]);
}

/*
 * A peer list in normal form: its words, split at runs of spaces and
 * commas (after one newline is gone), joined by commas. Which lists are
 * valid is the kernel's to say: the tool must accept exactly those.
 */
static int model_peers(const char *s, bool names, char *out, size_t len)
{
	static struct smbsign_peer_list l;
	size_t n = strlen(s), i = 0, start, used = 0;

	if (smbsign_parse_peers(s, n, names, &l))
		return -1;
	if (n && s[n - 1] == '\n')
		n--;
	out[0] = '\0';
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i == n)
			return 0;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != ',')
			i++;
		used += (size_t)snprintf(out + used, len - used, "%s%.*s",
					 used ? "," : "", (int)(i - start),
					 s + start);
	}
}

/* The normal form of @val for setting @opt, or -1 if it is refused. */
int ctlf_model_value(int opt, const char *val, char *out, size_t len)
{
	struct mlist l;
	bool b;

	switch (ctlf_mopts[opt].kind) {
	case M_BOOL:
		if (ctlf_model_bool(val, &b))
			return -1;
		snprintf(out, len, "%d", b);
		return 0;
	case M_ALGS:
		if (ctlf_model_list(val, &l))
			return -1;
		join_list(&l, out, len);
		return 0;
	case M_PEERS:
		return model_peers(val, ctlf_mopts[opt].names, out, len);
	}
	return -1;
}

/* ---- the model of explain ---- */

static void name_code(struct named *m, size_t i)
{
	if (!m->hit[i]) {
		m->hit[i] = true;
		m->nr++;
	}
}

/* isspace() in the C locale */
static bool is_blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * What explain reads: ASCII in lower case, U+2018 and U+2019 as an
 * apostrophe, every run of white space one space, none at the start,
 * and no spaces or full stops at the end.
 */
void ctlf_model_normalize(const char *in, char *out)
{
	const unsigned char *s = (const unsigned char *)in;
	bool blank = false;
	size_t n = 0;
	char c;

	while (*s) {
		if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) {
			c = '\'';
			s += 3;
		} else if (is_blank(*s)) {
			blank = true;
			s++;
			continue;
		} else {
			c = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
			s++;
		}
		if (blank && n)
			out[n++] = ' ';
		blank = false;
		out[n++] = c;
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
}

/* The first code with number @v (its status or an alias before a 0). */
static bool model_value_code(uint64_t v, struct named *m)
{
	size_t i, j;

	/* 0 is no code: it marks an errno entry and ends the aliases */
	if (!v)
		return false;
	for (i = 0; i < nr_explain_codes; i++) {
		bool has = explain_codes[i].status == v;

		for (j = 0; j < MAX_ALIASES && explain_codes[i].also[j]; j++)
			has |= explain_codes[i].also[j] == v;
		if (has) {
			name_code(m, i);
			return true;
		}
	}
	return false;
}

static bool model_errno_code(uint64_t e, struct named *m)
{
	size_t i;

	for (i = 0; i < nr_explain_codes; i++)
		if (explain_codes[i].linux_errno &&
		    (uint64_t)explain_codes[i].linux_errno == e) {
			name_code(m, i);
			return true;
		}
	return false;
}

/*
 * The value of @s if all of it is digits of @base; it grows no further
 * once above 2^40, which is more than any code has.
 */
static bool all_digits(const char *s, unsigned int base, uint64_t *v)
{
	const char *d = "0123456789abcdef", *p;

	*v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		p = strchr(d, *s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s);
		if (!p || (unsigned int)(p - d) >= base)
			return false;
		if (*v < (1ULL << 40))
			*v = *v * base + (unsigned int)(p - d);
	}
	return true;
}

/*
 * A number: 0x and 1 to 8 hex digits; decimal with a sign or without,
 * "-1" to "-4095" a negative errno, down to -2^31 a signed 32-bit value;
 * without a sign, a decimal that names nothing is tried as 1 to 8 hex
 * digits.
 */
static bool model_number(const char *s, struct named *m)
{
	bool sign = s[0] == '-' || s[0] == '+';
	uint64_t v;

	if (s[0] == '0' && s[1] == 'x')
		return strlen(s + 2) <= 8 && all_digits(s + 2, 16, &v) &&
		       model_value_code(v, m);
	if (all_digits(s + sign, 10, &v)) {
		if (s[0] == '-' && v >= 1 && v <= 4095)
			return model_errno_code(v, m);
		if (s[0] == '-')
			return v >= 4096 && v <= (1ULL << 31) &&
			       model_value_code((1ULL << 32) - v, m);
		if (v <= UINT32_MAX && model_value_code(v, m))
			return true;
		if (sign)
			return false;
	}
	return strlen(s) <= 8 && all_digits(s, 16, &v) &&
	       model_value_code(v, m);
}

bool ctlf_prefixed(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

/* The first code with the name @head@tail, in any case. */
static bool model_exact(const char *head, const char *tail, struct named *m)
{
	size_t i, j, hl = strlen(head);
	const char *name;

	for (i = 0; i < nr_explain_codes; i++)
		for (j = 0; j < MAX_ALIASES; j++) {
			name = explain_codes[i].names[j];
			if (name && ctlf_prefixed(name, head) &&
			    !strcasecmp(name + hl, tail)) {
				name_code(m, i);
				return true;
			}
		}
	return false;
}

/*
 * A name; Samba's NT_STATUS_X is STATUS_X; smbsign's SMBSIGN_X is X, and
 * SMBSIGN_STATUS_X also STATUS_SMB_X.
 */
static bool model_name(const char *s, struct named *m)
{
	if (ctlf_prefixed(s, "nt_status_"))
		return model_exact("", s + 3, m);
	if (!ctlf_prefixed(s, "smbsign_"))
		return model_exact("", s, m);
	s += 8;
	return model_exact("", s, m) ||
	       (ctlf_prefixed(s, "status_") && model_exact("status_smb_", s + 7, m));
}

/*
 * strtoull(@s, NULL, 0) of a word that starts with a digit (or more, when
 * that is above 2^40): 0x and hex digits, 0 and octal digits, or decimal.
 */
static uint64_t base0(const char *s)
{
	static const char d[] = "0123456789abcdef";
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p;

	if (s[0] == '0' && s[1] == 'x' && s[2] && strchr(d, s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; *s; s++) {
		p = strchr(d, *s);
		if (!p || (unsigned int)(p - d) >= base)
			break;
		if (v < (1ULL << 40))
			v = v * base + (unsigned int)(p - d);
	}
	return v;
}

/* The words of a text, each a number or a name. */
static void model_words(const char *text, struct named *m)
{
	static const char delims[] = " \t\n,;:()[]{}\"'=";
	bool after_error = false, small;
	char word[TEXT_MAX];
	struct named one;
	size_t n, i;

	for (;;) {
		text += strspn(text, delims);
		if (!*text)
			return;
		n = strcspn(text, delims);
		memcpy(word, text, n);
		text += n;
		while (n && word[n - 1] == '.')
			n--;
		word[n] = '\0';
		memset(&one, 0, sizeof(one));
		if (n && !model_number(word, &one))
			model_name(word, &one);
		/* 53 is a Win32 error only after "error": not a message id */
		small = word[0] >= '0' && word[0] <= '9' && base0(word) <= 0xffff;
		for (i = 0; i < nr_explain_codes; i++)
			if (one.hit[i] && (after_error || !small))
				name_code(m, i);
		after_error = !strcmp(word, "error");
	}
}

/* The phrases of the table, read as explain reads text (setup()). */
char *ctlf_phrases[MODEL_CODES][MAX_ALIASES];

/* The message or a piece of it (12 characters at least). */
static void model_phrases(const char *text, struct named *m)
{
	size_t i, j, n = strlen(text);

	for (i = 0; i < nr_explain_codes; i++)
		for (j = 0; j < MAX_ALIASES && ctlf_phrases[i][j]; j++)
			if (strstr(text, ctlf_phrases[i][j]) ||
			    (n >= 12 && strstr(ctlf_phrases[i][j], text)))
				name_code(m, i);
}

/* The codes @in names; -1 when there is nothing to look up. */
int ctlf_model_explain(const char *in, struct named *m)
{
	char text[TEXT_MAX];

	memset(m, 0, sizeof(*m));
	ctlf_model_normalize(in, text);
	if (!*text)
		return -1;
	if (model_number(text, m) || model_name(text, m))
		return m->nr;
	model_words(text, m);
	if (!m->nr)
		model_phrases(text, m);
	return m->nr;
}
