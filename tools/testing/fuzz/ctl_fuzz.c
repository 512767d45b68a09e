// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz harness for smbsignctl's argument and value parsers, linked with
 * every file of tools/smbsignctl but main.c, and with smbsign/parse.c for
 * the cross-checks against the kernel's parsers.
 *
 * Built like walker_fuzz.c by tools/testing/fuzz (-DSTANDALONE with
 * ASan/UBSan for make check, or as a libFuzzer target). An input is a
 * command line: arguments separated by NUL bytes. Each input is checked
 * against independent models of what the tool accepts:
 *  - parse_bool_arg() accepts exactly true, false, 1, 0, yes, no, on, off
 *    in any case; the kernel's smbsign_parse_bool() accepts each of them
 *    with the same value;
 *  - find_alg() finds exactly the three names, in any case;
 *  - parse_alg_args() accepts exactly 1 to 3 distinct known names split
 *    on commas, spaces, tabs and newlines across the arguments, none of
 *    which is VALUE_MAX bytes or longer, and leaves the others disabled in
 *    ABI order; smbsign_parse_algs() reads what the tool then writes as
 *    the same list, and parse_algs() reads the algorithms file the kernel
 *    shows for it as the same list;
 *  - parse_algs(), on the whole input as the algorithms file, accepts
 *    exactly known names each at most once, the enabled ones in brackets
 *    before the disabled ones, at least one enabled, and otherwise blames
 *    a piece of its input;
 *  - explain_match() names only codes of the table, and ignores case,
 *    runs of white space, a trailing full stop and the form of the
 *    apostrophe; a number taken from the input names, in every spelling
 *    (0x-prefixed, bare hexadecimal, decimal, negative decimal, after the
 *    word "error"), exactly the codes a model of the table says, a bare
 *    number being read as decimal first; every name names its code;
 *  - the command line itself through smbsignctl_main(), against a sysfs
 *    directory that cannot exist, with stdout sent to /dev/null and
 *    error lines kept: exits 0, 1, 2 or 3, never 4 or 5 (nothing can be
 *    written); get, set, status and stats never succeed except with
 *    --help; explain exits as explain_match() says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../smbsignctl/smbsignctl.h"
#include "../../../smbsign/parse.h"

#define MAX_ARGS	32
#define TEXT_MAX	1024	/* explain's limit, NUL included */
#define NR_MODEL_NAMES	11	/* the names in model_codes */

/* A path below a character device: no such directory can ever exist. */
#define NO_SYSFS	"/dev/null/smbsignctl-fuzz"

static const unsigned char *cur_data;
static size_t cur_len;

static void fail(const char *what, const char *detail)
{
	size_t i;

	fprintf(stderr, "smbsignctl model broken: %s: '%s'; input:", what,
		detail);
	for (i = 0; i < cur_len; i++)
		fprintf(stderr, " %02x", cur_data[i]);
	fprintf(stderr, "\n");
	abort();
}

/* ---- the models ---- */

static const char *const model_alg[NR_ALGS] = {
	"hmac-sha256", "aes-cmac", "aes-gmac",
};

static int model_find_alg(const char *s, size_t n)
{
	int a;

	for (a = 0; a < NR_ALGS; a++)
		if (strlen(model_alg[a]) == n && !strncasecmp(s, model_alg[a], n))
			return a;
	return -1;
}

static int model_bool(const char *s, bool *v)
{
	static const char *const words[] = {
		"true", "1", "yes", "on", "false", "0", "no", "off",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (!strcasecmp(s, words[i])) {
			*v = i < 4;
			return 0;
		}
	}
	return -1;
}

/* Runs of @seps split @s; each piece must name a new algorithm. */
static int model_split(const char *s, const char *seps, bool *seen,
		       struct alg_list *l)
{
	size_t n;
	int a;

	for (;;) {
		s += strspn(s, seps);
		if (!*s)
			return 0;
		n = strcspn(s, seps);
		a = model_find_alg(s, n);
		if (a < 0 || seen[a])
			return -1;
		seen[a] = true;
		l->enabled[l->nr_enabled++] = a;
		s += n;
	}
}

static int model_alg_args(int argc, char **argv, struct alg_list *l)
{
	bool seen[NR_ALGS] = { false };
	int i, a;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < argc; i++)
		if (strlen(argv[i]) >= VALUE_MAX ||
		    model_split(argv[i], ", \t\n", seen, l))
			return -1;
	for (a = 0; a < NR_ALGS; a++)
		if (!seen[a])
			l->disabled[l->nr_disabled++] = a;
	return l->nr_enabled ? 0 : -1;
}

/* The algorithms file: "[aes-gmac] [aes-cmac] hmac-sha256". */
static int model_alg_file(const char *s, struct alg_list *l)
{
	bool seen[NR_ALGS] = { false };
	size_t n;
	bool on;
	int a;

	memset(l, 0, sizeof(*l));
	for (;;) {
		s += strspn(s, " \t\n");
		if (!*s)
			break;
		n = strcspn(s, " \t\n");
		on = n > 2 && s[0] == '[' && s[n - 1] == ']';
		a = on ? model_find_alg(s + 1, n - 2) : model_find_alg(s, n);
		if (a < 0 || seen[a] || (on && l->nr_disabled))
			return -1;
		seen[a] = true;
		if (on)
			l->enabled[l->nr_enabled++] = a;
		else
			l->disabled[l->nr_disabled++] = a;
		s += n;
	}
	return l->nr_enabled ? 0 : -1;
}

static bool same_list(const struct alg_list *a, const struct alg_list *b)
{
	int i;

	if (a->nr_enabled != b->nr_enabled || a->nr_disabled != b->nr_disabled)
		return false;
	for (i = 0; i < a->nr_enabled; i++)
		if (a->enabled[i] != b->enabled[i])
			return false;
	for (i = 0; i < a->nr_disabled; i++)
		if (a->disabled[i] != b->disabled[i])
			return false;
	return true;
}

/* The codes of explain and the numbers and names each answers to. */
static const struct {
	unsigned int nums[3];
	const char *names[3];
} model_codes[NR_EXPLAIN_CODES] = {
	{ { 0xc000a000 }, { "STATUS_INVALID_SIGNATURE" } },
	{ { 0xc0000022, 5, 0x80070005 },
	  { "STATUS_ACCESS_DENIED", "ERROR_ACCESS_DENIED", "E_ACCESSDENIED" } },
	{ { 0xc05d0002, 1272, 0x800704f8 },
	  { "STATUS_SMB_GUEST_LOGON_BLOCKED", "ERROR_SMB_GUEST_LOGON_BLOCKED",
	    "STATUS_GUEST_LOGON_BLOCKED" } },
	{ { 0xc05d0003 },
	  { "STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP",
	    "STATUS_NO_SIGNING_ALGORITHM_OVERLAP" } },
	{ { 0x80070035, 53 }, { "ERROR_BAD_NETPATH" } },
};

static unsigned int model_mask(unsigned long long v)
{
	unsigned int i, j, mask = 0;

	for (i = 0; i < NR_EXPLAIN_CODES; i++)
		for (j = 0; j < 3; j++)
			if (model_codes[i].nums[j] && model_codes[i].nums[j] == v)
				mask |= 1U << i;
	return mask;
}

/* A bare number: decimal first, hexadecimal (8 digits at most) next. */
static unsigned int model_bare(const char *s)
{
	unsigned int mask = 0;

	if (strspn(s, "0123456789") == strlen(s))
		mask = model_mask(strtoull(s, NULL, 10));
	if (!mask && strlen(s) <= 8 &&
	    strspn(s, "0123456789abcdefABCDEF") == strlen(s))
		mask = model_mask(strtoull(s, NULL, 16));
	return mask;
}

/* ---- the checks ---- */

static void check_explain(const char *text, unsigned int want,
			  const char *what)
{
	if (explain_match(text) != want)
		fail(what, text);
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

/* explain ignores case, white space runs, a full stop, the apostrophe. */
static void check_explain_text(const char *text)
{
	char other[TEXT_MAX];
	unsigned int mask = explain_match(text);
	size_t i, n = strlen(text);

	if (mask >> NR_EXPLAIN_CODES)
		fail("explain named a code that is not in the table", text);
	for (i = 0; i <= n; i++)
		other[i] = text[i] >= 'a' && text[i] <= 'z' ?
			   text[i] - 'a' + 'A' : text[i];
	check_explain(other, mask, "explain depends on case");
	if (replaced(text, " \t\n\v\f\r", " \t ", other))
		check_explain(other, mask, "explain depends on white space");
	if (replaced(text, "'", "\xe2\x80\x99", other))
		check_explain(other, mask, "explain depends on the apostrophe");
	if (n + 2 < TEXT_MAX) {
		memcpy(other, text, n);
		memcpy(other + n, ".", 2);
		check_explain(other, mask, "explain depends on a full stop");
	}
}

/* Every spelling of @v names what the model says. */
static void check_explain_number(unsigned int v)
{
	char s[64], t[96];
	unsigned int want = model_mask(v);

	snprintf(s, sizeof(s), "0x%08x", v);
	check_explain(s, want, "0x-prefixed number");
	snprintf(s, sizeof(s), "0X%X", v);
	check_explain(s, want, "0X-prefixed number");
	snprintf(s, sizeof(s), "%d", (int)v);
	check_explain(s, (int)v < 0 ? want : model_bare(s), "signed number");
	snprintf(s, sizeof(s), "%u", v);
	check_explain(s, model_bare(s), "decimal number");
	snprintf(t, sizeof(t), "System error %s has occurred.", s);
	check_explain(t, model_bare(s), "decimal number after 'error'");
	snprintf(s, sizeof(s), "%X", v);
	check_explain(s, model_bare(s), "bare hexadecimal number");
	snprintf(t, sizeof(t), "Error code: 0x%08x", v);
	check_explain(t, v > 0xffff ? want : 0, "number in a text");
}

/* One of the names, in the case @bits picks, with or without a prefix. */
static void check_explain_name(unsigned int bits)
{
	unsigned int i, j, k, nth = bits % NR_MODEL_NAMES;
	char s[96];

	for (i = 0; i < NR_EXPLAIN_CODES; i++) {
		for (j = 0; j < 3 && model_codes[i].names[j]; j++) {
			if (nth--)
				continue;
			snprintf(s, sizeof(s), "%s%s",
				 bits & 0x10 ? "smbsign_" : "",
				 model_codes[i].names[j]);
			for (k = 0; s[k]; k++)
				if (bits >> (k % 32) & 1 && s[k] >= 'A' &&
				    s[k] <= 'Z')
					s[k] += 'a' - 'A';
			check_explain(s, 1U << i, "a name");
		}
	}
}

static void check_bool_and_alg(const char *arg)
{
	bool v = false, want = false, kv = false;
	int got;

	got = parse_bool_arg(arg, &v);
	if (got != model_bool(arg, &want) || (!got && v != want))
		fail("parse_bool_arg", arg);
	if (!got && (smbsign_parse_bool(arg, strlen(arg), &kv) || kv != v))
		fail("a boolean the tool takes and the kernel does not", arg);
	if (find_alg(arg) != model_find_alg(arg, strlen(arg)))
		fail("find_alg", arg);
}

/* The list parse_alg_args() made, as the kernel takes and shows it. */
static void check_alg_roundtrip(const struct alg_list *l)
{
	unsigned int kalgs[SMBSIGN_PARSE_NR_ALGS], kn = 0;
	struct alg_list back;
	char val[VALUE_MAX], shown[VALUE_MAX];
	size_t n = 0;
	int i;

	format_algs(l, ' ', val, sizeof(val));
	strcat(val, "\n");
	if (smbsign_parse_algs(val, strlen(val), kalgs, &kn) ||
	    kn != (unsigned int)l->nr_enabled)
		fail("the kernel refuses the list the tool writes", val);
	for (i = 0; i < l->nr_enabled; i++)
		if (kalgs[i] != (unsigned int)l->enabled[i])
			fail("the kernel reads another list", val);
	for (i = 0; i < l->nr_enabled; i++)
		n += snprintf(shown + n, sizeof(shown) - n, "%s[%s]",
			      i ? " " : "", alg_names[l->enabled[i]]);
	for (i = 0; i < l->nr_disabled; i++)
		n += snprintf(shown + n, sizeof(shown) - n, " %s",
			      alg_names[l->disabled[i]]);
	strcat(shown, "\n");
	if (parse_algs(shown, &back) || !same_list(&back, l))
		fail("the algorithms file does not read back", val);
}

static void check_alg_args(int argc, char **argv)
{
	struct alg_list l, want;
	int got;

	memset(&l, 0x5a, sizeof(l));
	got = parse_alg_args(argc, argv, &l);
	if (!got != !model_alg_args(argc, argv, &want))
		fail("parse_alg_args accepted differently", argc ? argv[0] : "");
	if (got && got != EXIT_USAGE)
		fail("parse_alg_args exit status", argc ? argv[0] : "");
	if (got)
		return;
	if (!same_list(&l, &want))
		fail("parse_alg_args list", argc ? argv[0] : "");
	check_alg_roundtrip(&l);
}

static void check_alg_file(const char *data)
{
	char buf[VALUE_MAX];
	struct alg_list l, want;
	const char *bad;
	size_t n = strlen(data);

	/* sysfs_read() keeps at most VALUE_MAX - 1 bytes. */
	if (n >= VALUE_MAX)
		n = VALUE_MAX - 1;
	memcpy(buf, data, n);
	buf[n] = '\0';
	bad = parse_algs(buf, &l);
	if (!bad != !model_alg_file(data, &want) && n == strlen(data))
		fail("parse_algs accepted differently", data);
	if (bad && strcmp(bad, "(no algorithm enabled)") &&
	    ((uintptr_t)bad < (uintptr_t)buf ||
	     (uintptr_t)bad >= (uintptr_t)(buf + n)))
		fail("parse_algs blamed something outside its input", data);
	if (!bad && n == strlen(data) && !same_list(&l, &want))
		fail("parse_algs list", data);
}

/* ---- the whole command line ---- */

static char errors[1024];

static bool is_help(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

/* What explain ARGS... must exit with. */
static int want_explain(int argc, char **argv)
{
	char text[TEXT_MAX];
	size_t used = 0, n;
	int i;

	text[0] = '\0';
	for (i = 2; i < argc; i++) {
		if (i == 2 && !strcmp(argv[i], "--"))
			continue;
		n = strlen(argv[i]) + !!used;
		if (used + n >= sizeof(text))
			return EXIT_USAGE;
		snprintf(text + used, sizeof(text) - used, "%s%s",
			 used ? " " : "", argv[i]);
		used += n;
	}
	if (strspn(text, " \t\n\v\f\r.") == used)
		return EXIT_USAGE;
	return explain_match(text) ? EXIT_OK : EXIT_FAIL;
}

static void check_command_line(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;

	err_capture(errors, sizeof(errors));
	rc = smbsignctl_main(argc, argv);
	fflush(stdout);
	if (rc < EXIT_OK || rc > EXIT_NOMODULE)
		fail("exit status without a module", errors);
	if (is_help(argc, argv) &&
	    (!strcmp(cmd, "get") || !strcmp(cmd, "set") ||
	     !strcmp(cmd, "status") || !strcmp(cmd, "stats") ||
	     !strcmp(cmd, "explain"))) {
		if (rc != EXIT_OK)
			fail("--help of a command", cmd);
		return;
	}
	if (!rc && (!strcmp(cmd, "get") || !strcmp(cmd, "set") ||
		    !strcmp(cmd, "status") || !strcmp(cmd, "stats")))
		fail("succeeded without a module", cmd);
	if (!strcmp(cmd, "explain") && rc != want_explain(argc, argv))
		fail("explain exit status", errors);
}

/* ---- the entry points ---- */

static void setup(void)
{
	setenv(SYSFS_ENV, NO_SYSFS, 1);
	err_capture(errors, sizeof(errors));
	if (!freopen("/dev/null", "w", stdout))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	char *argv[MAX_ARGS + 2], *whole, text[TEXT_MAX];
	size_t off = 0, n, used = 0;
	unsigned int v = 0;
	int argc = 1, i;

	cur_data = data;
	cur_len = len;
	/* Every argument in a buffer of its own size: ASan sees overreads. */
	argv[0] = strdup("smbsignctl");
	while (off < len && argc <= MAX_ARGS) {
		n = strnlen((const char *)data + off, len - off);
		argv[argc] = malloc(n + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + off, n);
		argv[argc++][n] = '\0';
		off += n + 1;
	}
	argv[argc] = NULL;
	whole = strndup((const char *)data, len);
	if (!argv[0] || !whole)
		abort();

	for (i = 1; i < argc; i++) {
		check_bool_and_alg(argv[i]);
		n = strlen(argv[i]) + !!used;
		if (used + n < sizeof(text)) {
			snprintf(text + used, sizeof(text) - used, "%s%s",
				 used ? " " : "", argv[i]);
			used += n;
		}
	}
	text[used] = '\0';
	/* The whole line, and what follows "set algorithms". */
	for (i = 1; i < argc && i <= 3; i++)
		check_alg_args(argc - i, argv + i);
	check_alg_file(whole);
	check_explain_text(text);
	for (n = 0; n < len && n < 4; n++)
		v |= (unsigned int)data[n] << (8 * n);
	check_explain_number(v);
	check_explain_name(v);
	check_command_line(argc, argv);

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(whole);
	return 0;
}

#ifdef STANDALONE
static unsigned long long rng = 0x853c49e6748fea9bULL;

static unsigned int next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)rng;
}

/* Words of valid and almost valid command lines, glued, then mutated. */
static const char *const pieces[] = {
	"get", "set", "status", "stats", "explain", "help", "--version",
	"client", "server", "algorithms", "--json", "--reset", "--help", "-h",
	"--", "--require-signing", "--allow-insecure-guest=",
	"--audit-unsigned-peers", "true", "FALSE", "1", "0", "yes", "Off",
	"y", "aes-gmac", "AES-CMAC,hmac-sha256", "aes-cmac aes-cmac",
	"[aes-gmac] [aes-cmac] hmac-sha256", "aes-gcm", ",", " ", "\t",
	"0xc000a000", "C05D0002", "3221266432", "-1073700864", "53", "1272",
	"STATUS_INVALID_SIGNATURE", "smbsign_status_access_denied",
	"System error", "can\xe2\x80\x99t access this shared folder",
	"The network path was not found.", "error", ".",
};

static size_t make_input(unsigned char *buf, size_t max)
{
	size_t len = 0, l, i, n = next_rand() % 7;
	const char *p;

	while (n--) {
		p = pieces[next_rand() % ARRAY_SIZE(pieces)];
		l = strlen(p) + 1;
		if (len + l > max)
			break;
		memcpy(buf + len, p, l);
		len += l - (next_rand() % 8 == 0);
	}
	for (i = next_rand() % 3; i && len; i--)
		buf[next_rand() % len] ^= 1 << (next_rand() % 8);
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned char *buf;
	unsigned long i;
	size_t len;

	setup();
	/* Fewer inputs than the other harnesses: each one runs the tool. */
	iters /= 10;
	for (i = 0; i < iters; i++) {
		buf = malloc(512);
		if (!buf)
			return 2;
		len = make_input(buf, 512);
		/* Exact-size copy: ASan sees a read one byte past the end. */
		buf = realloc(buf, len ?: 1);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	fprintf(stderr, "ctl: %lu command lines, tool and models agree\n",
		iters);
	return 0;
}
#endif
