// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: explain, the error codes and messages users meet when SMB
 * signing or guest policy refuses a connection, with the fix on Linux. The
 * codes are in explain_codes.c.
 *
 * A code is given as hexadecimal (with or without 0x), signed or unsigned
 * decimal, a negative errno (-13), a symbolic name (STATUS_..., the
 * NT_STATUS_... smbclient prints, EACCES), a whole line of text (a log
 * line, what mount.cifs printed: the codes and names in it are looked up),
 * or a piece of a message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smbsignctl.h"

#define codes explain_codes
#define NR_CODES nr_explain_codes
#define MAX_CODES 32

/* The codes named so far: hit[i] for codes[i]. */
struct matches {
	bool *hit;
	int nr;
};

static void add(struct matches *m, size_t i)
{
	if (!m->hit[i]) {
		m->hit[i] = true;
		m->nr++;
	}
}

static bool match_value(struct matches *m, uint32_t v)
{
	bool found = false;
	size_t i, j;

	for (i = 0; i < NR_CODES; i++) {
		if (codes[i].status && codes[i].status == v)
			found = true;
		for (j = 0; j < MAX_ALIASES && codes[i].also[j]; j++)
			if (codes[i].also[j] == v)
				found = true;
		if (found) {
			add(m, i);
			return true;
		}
	}
	return false;
}

static bool all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* A negative errno, as the kernel writes return codes: -13 */
static bool match_errno(struct matches *m, long long v)
{
	size_t i;

	for (i = 0; i < NR_CODES; i++)
		if (codes[i].linux_errno && codes[i].linux_errno == -v) {
			add(m, i);
			return true;
		}
	return false;
}

/* 0xc000a000, C000A000, 3221266432, -1073700864, -13 */
static bool match_number(struct matches *m, const char *s)
{
	const char *p = s;
	unsigned long long u;
	long long l;
	char *end;

	if ((p[0] == '0') && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!all_of(p, "0123456789abcdefABCDEF") || strlen(p) > 8)
			return false;
		return match_value(m, (uint32_t)strtoull(p, NULL, 16));
	}
	if (all_of(p[0] == '-' || p[0] == '+' ? p + 1 : p, "0123456789")) {
		errno = 0;
		if (p[0] == '-') {
			l = strtoll(p, &end, 10);
			if (!errno && !*end && l >= -4095 && l < 0)
				return match_errno(m, l);
			if (!errno && !*end && l >= INT32_MIN &&
			    match_value(m, (uint32_t)(int32_t)l))
				return true;
		} else {
			u = strtoull(p, &end, 10);
			if (!errno && !*end && u <= UINT32_MAX &&
			    match_value(m, (uint32_t)u))
				return true;
		}
	}
	if (all_of(p, "0123456789abcdefABCDEF") && strlen(p) <= 8)
		return match_value(m, (uint32_t)strtoull(p, NULL, 16));
	return false;
}

static bool match_exact_name(struct matches *m, const char *s)
{
	size_t i, j;

	for (i = 0; i < NR_CODES; i++)
		for (j = 0; j < MAX_ALIASES; j++)
			if (codes[i].names[j] &&
			    !strcasecmp(s, codes[i].names[j])) {
				add(m, i);
				return true;
			}
	return false;
}

/*
 * STATUS_INVALID_SIGNATURE in any case; as Samba prints it,
 * NT_STATUS_INVALID_SIGNATURE; or as include/linux/smbsign.h names it,
 * SMBSIGN_STATUS_GUEST_LOGON_BLOCKED (without the "SMB_" of the SDK).
 */
static bool match_name(struct matches *m, const char *s)
{
	char smb[128];

	if (!strncasecmp(s, "NT_STATUS_", 10))
		return match_exact_name(m, s + 3);
	if (strncasecmp(s, "SMBSIGN_", 8))
		return match_exact_name(m, s);
	s += 8;
	if (match_exact_name(m, s))
		return true;
	if (strncasecmp(s, "STATUS_", 7))
		return false;
	snprintf(smb, sizeof(smb), "STATUS_SMB_%s", s + 7);
	return match_exact_name(m, smb);
}

/*
 * Lower case, typographic apostrophes (U+2018, U+2019) made plain, runs
 * of white space made one space, no trailing full stop.
 */
static void normalize(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;

	while (*s && n + 1 < len) {
		if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) {
			out[n++] = '\'';
			s += 3;
		} else if (isspace(*s)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			s++;
		} else {
			out[n++] = (char)tolower(*s++);
		}
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
}

/* The message, or a distinctive piece of it (at least 12 characters). */
static void match_phrase(struct matches *m, const char *text)
{
	size_t i, j, n = strlen(text);

	for (i = 0; i < NR_CODES; i++)
		for (j = 0; j < MAX_ALIASES && codes[i].phrases[j]; j++)
			if (strstr(text, codes[i].phrases[j]) ||
			    (n >= 12 && strstr(codes[i].phrases[j], text)))
				add(m, i);
}

/*
 * Numbers and names inside a longer text ("Error code: 0x80070035", a
 * kernel log line). Small numbers (Win32 errors such as 53) count only
 * right after the word "error" ("System error 53 has occurred"), so that
 * a session id or message number is not taken for one.
 */
static void match_tokens(struct matches *m, char *text)
{
	char *tok, *save = NULL;
	bool after_error = false, one_hit[MAX_CODES];
	struct matches one = { .hit = one_hit };
	size_t n, i;

	for (tok = strtok_r(text, " \t\n,;:()[]{}\"'=", &save); tok;
	     tok = strtok_r(NULL, " \t\n,;:()[]{}\"'=", &save)) {
		n = strlen(tok);
		while (n && tok[n - 1] == '.')
			tok[--n] = '\0';
		memset(one_hit, 0, sizeof(one_hit));
		one.nr = 0;
		if (n && !match_number(&one, tok))
			match_name(&one, tok);
		for (i = 0; i < NR_CODES; i++)
			if (one.hit[i] && (after_error ||
					   !isdigit((unsigned char)tok[0]) ||
					   strtoull(tok, NULL, 0) > 0xffff))
				add(m, i);
		after_error = !strcmp(tok, "error");
	}
}

/* @text, one line per '\n', each indented by two spaces */
static void print_indented(const char *text)
{
	const char *p = text;
	size_t n;

	while (*p) {
		n = strcspn(p, "\n");
		printf("  %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static void print_code(const struct code *c)
{
	size_t j;

	if (c->linux_errno) {
		printf("%s (errno %d): %s\n", c->names[0], c->linux_errno,
		       c->title);
		printf("  also written: -%d", c->linux_errno);
		for (j = 1; j < MAX_ALIASES && c->names[j]; j++)
			printf(", %s", c->names[j]);
	} else {
		printf("0x%08x %s: %s\n", c->status, c->names[0], c->title);
		printf("  also written: %d, %u", (int32_t)c->status, c->status);
		for (j = 1; j < MAX_ALIASES && c->names[j]; j++)
			printf(", %s", c->names[j]);
		for (j = 0; j < MAX_ALIASES && c->also[j]; j++)
			printf(c->also[j] > 0xffff ? ", 0x%08x" : ", %u",
			       c->also[j]);
	}
	printf("\n");
	if (c->message)
		printf("  message: \"%s\"\n", c->message);
	printf("  source: %s\n", c->source);
	printf("\nCause:\n");
	print_indented(c->cause);
	printf("\nFix on Linux:\n");
	print_indented(c->fix);
}

/* "0xc000a000, 0xc0000022, ..., EACCES": what explain knows. */
static void known_codes(char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < NR_CODES && used < len; i++) {
		if (codes[i].linux_errno)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 i ? ", " : "", codes[i].names[0]);
		else
			used += (size_t)snprintf(buf + used, len - used,
						 "%s0x%08x", i ? ", " : "",
						 codes[i].status);
	}
}

/*
 * The codes @in names (what the user gave, at most 1023 bytes of it are
 * read): the whole text as a number or a name; else the numbers and names
 * inside it (a log line names its code); else the message or a piece of
 * it. hit[i] tells whether it names explain_codes[i]; @n is the size of
 * @hit. Returns the number of codes named, -EINVAL when @in is blank (or
 * only full stops), -ERANGE when @hit is too small for the table.
 * Not static so that the fuzz harness (tools/testing/fuzz/ctl_fuzz.c) can
 * check it against its model.
 */
int explain_match(const char *in, bool *hit, size_t n)
{
	char text[1024], copy[1024];
	struct matches m = { .hit = hit };

	if (n < NR_CODES || NR_CODES > MAX_CODES)
		return -ERANGE;
	memset(hit, 0, n * sizeof(*hit));
	normalize(in, text, sizeof(text));
	if (!*text)
		return -EINVAL;
	if (match_number(&m, text) || match_name(&m, text))
		return m.nr;
	snprintf(copy, sizeof(copy), "%s", text);
	match_tokens(&m, copy);
	if (!m.nr)
		match_phrase(&m, text);
	return m.nr;
}

int cmd_explain(int argc, char **argv)
{
	char in[1024] = "", known[512];
	bool hit[MAX_CODES];
	size_t used = 0, i;
	int a, nr, first = 1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--") && a == 1)
			continue;
		used += (size_t)snprintf(in + used, sizeof(in) - used, "%s%s",
					 used ? " " : "", argv[a]);
		if (used >= sizeof(in))
			return usage_err("explain", "text too long");
	}
	nr = explain_match(in, hit, ARRAY_SIZE(hit));
	if (nr == -ERANGE)
		return err(EXIT_FAIL, "explain: the table has more than %d codes",
			   MAX_CODES);
	if (nr == -EINVAL)
		return usage_err("explain", "which code? e.g. 0xc000a000");
	if (!nr) {
		known_codes(known, sizeof(known));
		return err(EXIT_FAIL, "explain: unknown code '%s' (known: %s)",
			   in, known);
	}
	for (i = 0; i < NR_CODES; i++) {
		if (!hit[i])
			continue;
		if (!first)
			printf("\n");
		first = 0;
		print_code(&codes[i]);
	}
	return EXIT_OK;
}
