// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl fuzz harness (ctl_fuzz.c): the checks of single values and of
 * explain. The tool's parsers of values (parse_bool_arg(), alg_by_name(),
 * opt_normalize(), algs_parse_sysfs()) and explain_match() are called
 * directly and their answers compared with the models of
 * ctl_fuzz_models.c; explain also on the spellings of every name and
 * number of its table.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ctl_fuzz.h"

/* ---- the checks of values ---- */

/* The tool's algorithms file reader on @s, as sysfs_read() hands it over. */
void ctlf_check_alg_file(const char *s)
{
	char buf[VALUE_MAX], copy[VALUE_MAX];
	struct alg_list got;
	struct mlist want;
	size_t n = strlen(s);
	int rc, m;

	if (n >= VALUE_MAX)
		n = VALUE_MAX - 1;
	if (n && s[n - 1] == '\n')
		n--;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memcpy(copy, buf, n + 1);
	memset(&got, 0x5a, sizeof(got));
	rc = algs_parse_sysfs(buf, &got);
	m = ctlf_model_alg_file(copy, &want);
	if (rc != (m ? EXIT_FAIL : 0))
		ctlf_fail("algs_parse_sysfs() accepted differently", copy);
	if (!rc && (got.nr != want.nr ||
		    memcmp(got.alg, want.alg, want.nr * sizeof(want.alg[0]))))
		ctlf_fail("algs_parse_sysfs() read another list", copy);
}

/* opt_normalize() on @val for option @opt, against the models. */
void ctlf_check_value(int opt, const char *val)
{
	static char got[PEERS_TEXT_MAX], want[PEERS_TEXT_MAX];
	unsigned int kalgs[NR_ALGS], knr;
	char line[VALUE_MAX + 2], shown[128];
	struct alg_list back;
	struct mlist l;
	int g, w;

	g = opt_normalize(&options[opt], val, strlen(val), got, sizeof(got));
	w = ctlf_model_value(opt, val, want, sizeof(want));
	if (!g != !w)
		ctlf_fail(ctlf_mopts[opt].kind == M_BOOL ? "a boolean accepted differently" :
		     ctlf_mopts[opt].kind == M_ALGS ? "an algorithm list accepted differently" :
		     "a peer list accepted differently", val);
	if (g)
		return;
	if (strcmp(got, want))
		ctlf_fail("the normal form differs from the model's", got);
	if (ctlf_mopts[opt].kind != M_ALGS)
		return;
	/* What set writes, the kernel reads as the same list ... */
	ctlf_model_list(want, &l);
	snprintf(line, sizeof(line), "%s\n", got);
	if (smbsign_parse_algs(line, strlen(line), kalgs, &knr) ||
	    knr != l.nr || memcmp(kalgs, l.alg, knr * sizeof(kalgs[0])))
		ctlf_fail("the kernel reads another list than set writes", got);
	/* ... and what the kernel then shows, the tool reads as it. */
	ctlf_show_algs(&l, shown, sizeof(shown));
	shown[strlen(shown) - 1] = '\0';
	if (algs_parse_sysfs(shown, &back) || back.nr != l.nr ||
	    memcmp(back.alg, l.alg, l.nr * sizeof(l.alg[0])))
		ctlf_fail("the algorithms file does not read back", got);
}

void ctlf_check_arg(const char *arg)
{
	bool v = false, want = false;
	int got, o;

	got = parse_bool_arg(arg, &v);
	if (got != ctlf_model_bool(arg, &want) || (!got && v != want))
		ctlf_fail("parse_bool_arg()", arg);
	if (alg_by_name(arg) != ctlf_model_alg(arg, strlen(arg)))
		ctlf_fail("alg_by_name()", arg);
	/* the first boolean stands for all: they take the same values */
	for (o = 0; o < NR_MOPTS; o++)
		if (ctlf_mopts[o].kind != M_BOOL || !o)
			ctlf_check_value(o, arg);
	ctlf_check_alg_file(arg);
}

/* ---- the checks of explain ---- */

/* explain_match() on @text (shorter than TEXT_MAX) is the model's. */
static int check_explain(const char *text, const char *what, bool *hit)
{
	struct named m;
	int got, want;
	size_t i;

	got = explain_match(text, hit, MODEL_CODES);
	want = ctlf_model_explain(text, &m);
	if (got != (want < 0 ? -EINVAL : want))
		ctlf_fail(what, text);
	for (i = 0; got > 0 && i < nr_explain_codes; i++)
		if (hit[i] != m.hit[i])
			ctlf_fail(what, text);
	return got;
}

/* @text with every byte in @from replaced by @to, if that fits. */
static bool replaced(const char *text, const char *from, const char *to,
		     char *out)
{
	size_t n = 0, tl = strlen(to);

	for (; *text; text++) {
		if (strchr(from, *text)) {
			if (n + tl >= TEXT_MAX)
				return false;
			memcpy(out + n, to, tl);
			n += tl;
		} else {
			if (n + 1 >= TEXT_MAX)
				return false;
			out[n++] = *text;
		}
	}
	out[n] = '\0';
	return true;
}

static void same_hits(const char *text, int nr, const bool *hit,
		      const char *what)
{
	bool other[MODEL_CODES];

	if (check_explain(text, what, other) != nr ||
	    (nr > 0 && memcmp(hit, other, nr_explain_codes * sizeof(*hit))))
		ctlf_fail(what, text);
}

/* The model's answer, and the same for another case, white space, ... */
void ctlf_check_explain_text(const char *text)
{
	bool hit[MODEL_CODES];
	char other[TEXT_MAX];
	size_t i, n = strlen(text);
	int nr = check_explain(text, "explain_match() differs from the model", hit);

	for (i = 0; i <= n; i++)
		other[i] = text[i] >= 'a' && text[i] <= 'z' ?
			   text[i] - 'a' + 'A' : text[i];
	same_hits(other, nr, hit, "explain depends on case");
	if (replaced(text, " \t\n\v\f\r", " \t ", other))
		same_hits(other, nr, hit, "explain depends on white space");
	if (replaced(text, "'", "\xe2\x80\x99", other))
		same_hits(other, nr, hit, "explain depends on the apostrophe");
	if (n + 2 < TEXT_MAX) {
		memcpy(other, text, n);
		memcpy(other + n, ".", 2);
		same_hits(other, nr, hit, "explain depends on a full stop");
	}
}

/* @s names exactly one code, and that code has @name or number @v. */
static void check_names_one(const char *s, const char *name, uint64_t v)
{
	bool hit[MODEL_CODES];
	const struct code *c;
	size_t i, j;
	bool has = false;

	if (check_explain(s, "a spelling from the table", hit) != 1)
		ctlf_fail("a name or number of the table does not name one code", s);
	for (i = 0; !hit[i]; i++)
		;
	c = &explain_codes[i];
	for (j = 0; j < MAX_ALIASES; j++)
		has |= (name && c->names[j] && !strcasecmp(c->names[j], name)) ||
		       (!name && ((c->also[j] && c->also[j] == v) ||
				  (uint64_t)c->linux_errno == v));
	if (!name && !c->linux_errno && c->status == v)
		has = true;
	if (!has)
		ctlf_fail("a name or number of the table names another code", s);
}

/* A name in the case @bits says, and with the prefixes explain knows. */
void ctlf_check_name_spellings(const char *name, unsigned int bits)
{
	bool hit[MODEL_CODES];
	char s[160];
	size_t k;

	snprintf(s, sizeof(s), "%s", name);
	for (k = 0; s[k]; k++)
		if (bits >> (k % 32) & 1 && s[k] >= 'A' && s[k] <= 'Z')
			s[k] += 'a' - 'A';
	check_names_one(s, name, 0);
	snprintf(s, sizeof(s), "SMBSIGN_%s", name);
	check_names_one(s, name, 0);
	if (ctlf_prefixed(name, "STATUS_")) {
		snprintf(s, sizeof(s), "NT_%s", name);
		check_names_one(s, name, 0);
	}
	if (ctlf_prefixed(name, "STATUS_SMB_")) {
		snprintf(s, sizeof(s), "smbsign_status_%s", name + 11);
		check_names_one(s, name, 0);
	}
	snprintf(s, sizeof(s), "mount failed: NT_STATUS_%s.", name);
	check_explain(s, "a name in a text", hit);
}

/* The number @v spelt in every way explain reads, alone and in a text. */
void ctlf_check_number_spellings(unsigned int v)
{
	bool hit[MODEL_CODES];
	char s[160];

	snprintf(s, sizeof(s), "0x%08x", v);
	check_explain(s, "0x and hex digits", hit);
	snprintf(s, sizeof(s), "0X%X", v);
	check_explain(s, "0X and hex digits", hit);
	snprintf(s, sizeof(s), "%X", v);
	check_explain(s, "hex digits", hit);
	snprintf(s, sizeof(s), "%u", v);
	check_explain(s, "a decimal number", hit);
	snprintf(s, sizeof(s), "+%u", v);
	check_explain(s, "a decimal number with a plus", hit);
	snprintf(s, sizeof(s), "-%u", v);
	check_explain(s, "a negative number", hit);
	snprintf(s, sizeof(s), "%d", (int)v);
	check_explain(s, "a signed number", hit);
	snprintf(s, sizeof(s), "System error %u has occurred.", v);
	check_explain(s, "a number after error", hit);
	snprintf(s, sizeof(s), "Error code: 0x%08x", v);
	check_explain(s, "a number in a text", hit);
	snprintf(s, sizeof(s), "message %u, NT code 0x%x", v, v);
	check_explain(s, "numbers in a text", hit);
}

/*
 * A code's number and name next to the byte @sep, and the piece of one of
 * its phrases that @pick says: which bytes split words, and how short a
 * piece names the code.
 */
void ctlf_check_pieces(const struct code *c, unsigned char sep,
			 unsigned int pick)
{
	bool hit[MODEL_CODES];
	char s[160];
	const char *p;
	size_t n, i;

	sep = sep ? sep : '\n';
	snprintf(s, sizeof(s), "x%c0x%08x", sep,
		 c->status ? c->status : (uint32_t)c->linux_errno);
	check_explain(s, "a number after a byte", hit);
	snprintf(s, sizeof(s), "%s%c%u", c->names[0] ? c->names[0] : "", sep,
		 c->also[0]);
	check_explain(s, "a name before a byte", hit);
	snprintf(s, sizeof(s), "error%c%u", sep, c->also[0]);
	check_explain(s, "a small number after error", hit);
	for (n = 0; n < MAX_ALIASES && c->phrases[n]; n++)
		;
	if (!n)
		return;
	p = c->phrases[pick % n];
	n = strlen(p);
	i = (pick >> 4) % n;
	n = 1 + (pick >> 12) % (n - i);
	snprintf(s, sizeof(s), "%.*s", (int)n, p + i);
	check_explain(s, "a piece of a phrase", hit);
}

/* One code of the table: each of its names, numbers and phrases. */
void ctlf_check_code(const struct code *c, unsigned int bits)
{
	bool hit[MODEL_CODES];
	char s[160], p[TEXT_MAX];
	size_t i;

	for (i = 0; i < MAX_ALIASES; i++) {
		if (c->names[i])
			ctlf_check_name_spellings(c->names[i], bits);
		if (c->also[i]) {
			snprintf(s, sizeof(s), c->also[i] > 0xffff ? "0x%08x" : "%u",
				 c->also[i]);
			check_names_one(s, NULL, c->also[i]);
		}
		if (!c->phrases[i] || strlen(c->phrases[i]) >= TEXT_MAX)
			continue;
		snprintf(p, sizeof(p), "%s", c->phrases[i]);
		if (bits & 1)
			p[0] = (char)(p[0] >= 'a' && p[0] <= 'z' ?
				      p[0] - 'a' + 'A' : p[0]);
		if (check_explain(p, "a phrase of the table", hit) < 1 ||
		    !hit[c - explain_codes])
			ctlf_fail("a phrase of the table does not name its code", p);
	}
	if (c->linux_errno) {
		snprintf(s, sizeof(s), "-%d", c->linux_errno);
		check_names_one(s, NULL, (uint64_t)c->linux_errno);
		return;
	}
	snprintf(s, sizeof(s), "0x%08x", c->status);
	check_names_one(s, NULL, c->status);
	snprintf(s, sizeof(s), "%d", (int32_t)c->status);
	check_names_one(s, NULL, c->status);
}

size_t ctlf_name_count(const struct code *c)
{
	size_t n = 0;

	while (n < MAX_ALIASES && c->names[n])
		n++;
	return n;
}
