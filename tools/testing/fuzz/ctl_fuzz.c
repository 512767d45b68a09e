// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz harness for smbsignctl, linked with every file of tools/smbsignctl
 * but main.c (main() only calls smbsignctl_main()) and with the kernel's
 * parsers the tool compiles in, smbsign/parse.c and smbsign/peers.c.
 *
 * Built like walker_fuzz.c by tools/testing/fuzz (targets.sh): with gcc,
 * ASan and UBSan and -DSTANDALONE for make check, or as a libFuzzer
 * target; both link with -Wl,--wrap=write (the kernel behind the fake
 * sysfs tree, below). An input is a command line, arguments separated by
 * NUL bytes. Each answer of the tool is compared with a model written
 * here, not with the tool's own code, and any disagreement aborts:
 *  - parse_bool_arg() and the boolean values of set take exactly 1, 0, y,
 *    n, yes, no, true, false, on, off in any case, one newline allowed;
 *  - alg_by_name() finds exactly the three names, in any case;
 *  - the algorithm list of set algorithms (its arguments joined by
 *    spaces, then opt_normalize()): names in any case, each at most once,
 *    split at runs of spaces and commas, at most 64 bytes with one
 *    newline allowed; the normal form is the names joined by commas;
 *  - peer lists (set --unsigned-peers): accepted exactly when the
 *    kernel's smbsign_parse_peers() accepts them (peers_fuzz.c has that
 *    parser's own model), the entries joined by commas;
 *  - algs_parse_sysfs(), on every argument and on all of them joined by
 *    spaces as the algorithms file: names in brackets (enabled, in
 *    order) before bare ones (disabled), split at spaces, each at most
 *    once, one enabled at least; the file the kernel shows for a list
 *    reads back as that list;
 *  - explain_match() against a model of the lookup over explain_codes[]
 *    (the whole text as a number or a name; else the numbers and names
 *    in it, small numbers only right after "error"; else the phrases),
 *    on the input and on spellings of the table's numbers and names; it
 *    ignores case, runs of white space, a trailing full stop and the
 *    form of the apostrophe;
 *  - the whole command line through smbsignctl_main(), against a fake
 *    tree of ordinary files in a temporary directory (SMBSIGNCTL_SYSFS,
 *    SMBSIGNCTL_SYSMODULE, SMBSIGNCTL_PROCFS and SMBSIGNCTL_MODPROBE_CONF
 *    point into it, and so does the FILE of check-config): the exit
 *    status of every command with the module loaded and, but for set,
 *    without it; every sysfs write byte for byte (only set and
 *    stats --reset write); the policy files and smbsign.conf that set
 *    leaves (which check-config then passes), and nothing else changed.
 */
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../smbsignctl/smbsignctl.h"

#define MAX_ARGS	32
#define TEXT_MAX	1024	/* explain's limit, NUL included */
#define MODEL_CODES	32	/* the most codes the model holds */
#define EXIT_0_OR_1	(-1)	/* exit 0 and 1 are both right */
#define LOG_MAX		16	/* sysfs writes kept per command */
#define __noreturn	__attribute__((noreturn))

/*
 * What the parent must see of a command run in a child (set, below): its
 * error line and its sysfs writes. Shared memory, so one place serves
 * both.
 */
struct shared {
	char errors[1024];
	int nr_writes;
	struct {
		int file;		/* index in watched[] */
		size_t len;
		char data[VALUE_MAX + 2];
	} w[LOG_MAX];
};

static struct shared *sh;
static const unsigned char *cur_data;
static size_t cur_len;
static pid_t main_pid;
static char top[256];		/* the temporary directory */

static void remove_tree(void);

static __noreturn void fail(const char *what, const char *detail)
{
	size_t i;

	fprintf(stderr, "smbsignctl model broken: %s: '%s'; the tool said '%s'; input:",
		what, detail, sh ? sh->errors : "");
	for (i = 0; i < cur_len; i++)
		fprintf(stderr, " %02x", cur_data[i]);
	fprintf(stderr, "\n");
	if (getpid() == main_pid)
		remove_tree();
	abort();
}

/* ---- the settings, as the ABI has them ---- */

enum mkind { M_BOOL, M_PEERS, M_ALGS };

/*
 * In the order of names.h, as smbsign.conf lists them. content is what
 * the fake tree's file holds at the start of every command, normal its
 * value in normal form.
 */
static const struct mopt {
	enum mkind kind;
	const char *side;	/* NULL: both */
	const char *rel, *param, *flag;
	bool names;		/* a peer list that may hold host names */
	const char *content, *normal;
} mopts[] = {
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

#define NR_MOPTS ((int)ARRAY_SIZE(mopts))
#define M_ALGORITHMS (NR_MOPTS - 1)
_Static_assert(ARRAY_SIZE(mopts) == NR_OPTIONS,
	       "names.h has another number of settings: update mopts[]");

static const char *const model_alg_names[] = {
	"hmac-sha256", "aes-cmac", "aes-gmac",
};
_Static_assert(ARRAY_SIZE(model_alg_names) == NR_ALGS,
	       "another number of algorithms: update model_alg_names[]");

/* ---- the models of values ---- */

/* The algorithm @s (@n bytes) names, or -1. */
static int model_alg(const char *s, size_t n)
{
	int a;

	for (a = 0; a < NR_ALGS; a++)
		if (strlen(model_alg_names[a]) == n &&
		    !strncasecmp(s, model_alg_names[a], n))
			return a;
	return -1;
}

static int model_bool(const char *s, bool *v)
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

struct mlist {
	unsigned int nr;
	unsigned int alg[NR_ALGS];
};

/* A list as written to the algorithms file (and given to set). */
static int model_list(const char *s, struct mlist *l)
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
		a = model_alg(s + start, i - start);
		if (a < 0 || seen[a])
			return -1;
		seen[a] = true;
		l->alg[l->nr++] = (unsigned int)a;
	}
	return l->nr ? 0 : -1;
}

/* The algorithms file as read (its newline gone): "[a] [b] c". */
static int model_alg_file(const char *s, struct mlist *l)
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
		a = on ? model_alg(s + 1, n - 2) : model_alg(s, n);
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
static void show_algs(const struct mlist *l, char *buf, size_t len)
{
	bool used[NR_ALGS] = { false };
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr; i++) {
		used[l->alg[i]] = true;
		n += (size_t)snprintf(buf + n, len - n, "%s[%s]", i ? " " : "",
				      model_alg_names[l->alg[i]]);
	}
	for (i = 0; i < NR_ALGS; i++)
		if (!used[i])
			n += (size_t)snprintf(buf + n, len - n, " %s",
					      model_alg_names[i]);
	snprintf(buf + n, len - n, "\n");
}

static void join_list(const struct mlist *l, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "",
				      model_alg_names[l->alg[i]]);
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
static int model_value(int opt, const char *val, char *out, size_t len)
{
	struct mlist l;
	bool b;

	switch (mopts[opt].kind) {
	case M_BOOL:
		if (model_bool(val, &b))
			return -1;
		snprintf(out, len, "%d", b);
		return 0;
	case M_ALGS:
		if (model_list(val, &l))
			return -1;
		join_list(&l, out, len);
		return 0;
	case M_PEERS:
		return model_peers(val, mopts[opt].names, out, len);
	}
	return -1;
}

/* ---- the model of explain ---- */

struct named {
	bool hit[MODEL_CODES];
	int nr;
};

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
static void model_normalize(const char *in, char *out)
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

static bool prefixed(const char *s, const char *prefix)
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
			if (name && prefixed(name, head) &&
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
	if (prefixed(s, "nt_status_"))
		return model_exact("", s + 3, m);
	if (!prefixed(s, "smbsign_"))
		return model_exact("", s, m);
	s += 8;
	return model_exact("", s, m) ||
	       (prefixed(s, "status_") && model_exact("status_smb_", s + 7, m));
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
static char *phrases[MODEL_CODES][MAX_ALIASES];

/* The message or a piece of it (12 characters at least). */
static void model_phrases(const char *text, struct named *m)
{
	size_t i, j, n = strlen(text);

	for (i = 0; i < nr_explain_codes; i++)
		for (j = 0; j < MAX_ALIASES && phrases[i][j]; j++)
			if (strstr(text, phrases[i][j]) ||
			    (n >= 12 && strstr(phrases[i][j], text)))
				name_code(m, i);
}

/* The codes @in names; -1 when there is nothing to look up. */
static int model_explain(const char *in, struct named *m)
{
	char text[TEXT_MAX];

	memset(m, 0, sizeof(*m));
	model_normalize(in, text);
	if (!*text)
		return -1;
	if (model_number(text, m) || model_name(text, m))
		return m->nr;
	model_words(text, m);
	if (!m->nr)
		model_phrases(text, m);
	return m->nr;
}

/* ---- the fake tree, and the kernel behind it ---- */

/*
 * The files of the tree the tool may write: the settings (indexed like
 * mopts[]) and stats/reset, known by inode, which rewriting them keeps.
 */
#define W_RESET		NR_MOPTS
#define NR_WATCHED	(NR_MOPTS + 1)

static struct {
	dev_t dev;
	ino_t ino;
} watched[NR_WATCHED];

static char sysfs_dir[512], absent_dir[512], conf_dir[512], conf_path[512];

/* A smbsign.conf with an option of ours between two lines set keeps. */
static const char conf_text[] =
	"# kept: not smbsign's\n"
	"options smbsign client_require_signing=1 algorithms=aes-gmac,aes-cmac\n"
	"options cifs CIFSMaxBufSize=130048\n";
static const char *const conf_kept[] = {
	"# kept: not smbsign's", "options cifs CIFSMaxBufSize=130048",
};

static const char sessions_text[] =
	"side address name session_id dialect algorithm logon required why signed verified failed\n"
	"client 192.0.2.10 nas 0x0000000000000041 3.1.1 aes-gmac user yes policy,local 12 11 0\n"
	"server 2001:db8::7 - 0x0000000000000007 - - - no - 0 0 0\n";
static const char audit_text[] =
	"side address name unsigned guest anonymous exempted last_seen\n"
	"client 192.0.2.7 oldnas 3 1 0 1 900\n"
	"server 192.0.2.8 - 0 2 0 0 950\n";

static void tree_path(char *buf, size_t len, const char *rel)
{
	if ((size_t)snprintf(buf, len, "%s/%s", top, rel) >= len)
		fail("path too long", rel);
}

static void put_file(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	tree_path(path, sizeof(path), rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		fail("cannot write the fake tree", path);
}

/* mkdir -p top/@rel */
static void put_dir(const char *rel)
{
	char path[1024];
	size_t i, start = strlen(top) + 1;

	tree_path(path, sizeof(path), rel);
	for (i = start; ; i++) {
		if (path[i] && path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			fail("cannot make the fake tree", path);
		if (i == strlen(rel) + start)
			return;
		path[i] = '/';
	}
}

static void watch(int w, const char *rel)
{
	char path[1024];
	struct stat st;

	tree_path(path, sizeof(path), rel);
	if (stat(path, &st))
		fail("the fake tree lost a file", path);
	watched[w].dev = st.st_dev;
	watched[w].ino = st.st_ino;
}

/*
 * What the tool may change back as it was, and nothing in modprobe.d but
 * smbsign.conf.
 */
static void reset_tree(void)
{
	char path[1024];
	struct dirent *e;
	DIR *d;
	int i;

	for (i = 0; i < NR_MOPTS; i++) {
		snprintf(path, sizeof(path), "sys/%s", mopts[i].rel);
		put_file(path, mopts[i].content);
	}
	put_file("sys/stats/reset", "");
	put_file("modprobe.d/smbsign.conf", conf_text);
	d = opendir(conf_dir);
	if (!d)
		fail("cannot read", conf_dir);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "smbsign.conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", conf_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

/*
 * A machine with smbsign loaded, cifs bound to it and the stock ksmbd:
 * the files of Documentation/ABI, a policy other than the defaults, two
 * rows in each /proc table, and a smbsign.conf.
 */
static void build_tree(void)
{
	static const char *const counters[] = SMBSIGN_COUNTER_NAMES;
	static const char *const sides[] = { "client", "server" };
	char rel[256];
	int s, a, k;

	put_dir("sys/client");
	put_dir("sys/server");
	put_dir("module/smbsign/holders/cifs");
	put_dir("module/cifs");
	put_dir("module/ksmbd");
	put_dir("proc");
	put_dir("modprobe.d");
	put_dir("sys/drivers");
	put_file("sys/version", "0.2.0\n");
	for (a = 0; a < NR_ALGS; a++) {
		snprintf(rel, sizeof(rel), "sys/drivers/%s", model_alg_names[a]);
		put_file(rel, "generic\n");
		for (s = 0; s < 2; s++) {
			snprintf(rel, sizeof(rel), "sys/stats/%s/%s", sides[s],
				 model_alg_names[a]);
			put_dir(rel);
			for (k = 0; k < (int)ARRAY_SIZE(counters); k++) {
				snprintf(rel, sizeof(rel), "sys/stats/%s/%s/%s",
					 sides[s], model_alg_names[a], counters[k]);
				put_file(rel, k ? "7\n" : "18446744073709551615\n");
			}
		}
	}
	put_file("proc/sessions", sessions_text);
	put_file("proc/audit", audit_text);
	reset_tree();
	for (k = 0; k < NR_MOPTS; k++) {
		snprintf(rel, sizeof(rel), "sys/%s", mopts[k].rel);
		watch(k, rel);
	}
	watch(W_RESET, "sys/stats/reset");
}

static void remove_path(const char *path)
{
	char sub[1024];
	struct dirent *e;
	DIR *d = opendir(path);

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_path(sub);
		}
	}
	closedir(d);
	rmdir(path);
}

static void remove_tree(void)
{
	if (top[0])
		remove_path(top);
	top[0] = '\0';
}

ssize_t __real_write(int fd, const void *buf, size_t count);
ssize_t __wrap_write(int fd, const void *buf, size_t count);

/*
 * Every write(2) comes here first (-Wl,--wrap=write, targets.sh), and the
 * tool writes a sysfs file with one write(2) (sysfs_write()). A write to
 * a file of the tree is logged for the models and checked with the
 * kernel's parser for that file: the tool must never write a value the
 * kernel refuses. The algorithms file then reads as the kernel shows it,
 * as tools/smbsignctl/tests/fake_kernel.c does for the tool's tests; the
 * others as written, which is how the kernel shows what the tool writes.
 */
ssize_t __wrap_write(int fd, const void *buf, size_t count)
{
	static struct smbsign_peer_list peers;
	unsigned int algs[NR_ALGS];
	char shown[128], *data;
	struct stat st;
	struct mlist l;
	bool b;
	int f;

	if (!sh || fstat(fd, &st))
		return __real_write(fd, buf, count);
	for (f = 0; f < NR_WATCHED; f++)
		if (watched[f].ino == st.st_ino && watched[f].dev == st.st_dev)
			break;
	if (f == NR_WATCHED)
		return __real_write(fd, buf, count);
	if (sh->nr_writes >= LOG_MAX)
		fail("more sysfs writes than settings", "");
	sh->w[sh->nr_writes].file = f;
	sh->w[sh->nr_writes].len = count;
	data = sh->w[sh->nr_writes++].data;
	snprintf(data, sizeof(sh->w[0].data), "%.*s", (int)count,
		 (const char *)buf);
	if (f == W_RESET || mopts[f].kind == M_BOOL) {
		if (smbsign_parse_bool(buf, count, &b) || (f == W_RESET && !b))
			fail("the tool wrote what the kernel refuses", data);
	} else if (mopts[f].kind == M_PEERS) {
		if (smbsign_parse_peers(buf, count, mopts[f].names, &peers))
			fail("the tool wrote what the kernel refuses", data);
	} else {
		if (smbsign_parse_algs(buf, count, algs, &l.nr))
			fail("the tool wrote what the kernel refuses", data);
		memcpy(l.alg, algs, sizeof(algs));
		show_algs(&l, shown, sizeof(shown));
		return __real_write(fd, shown, strlen(shown)) ==
		       (ssize_t)strlen(shown) ? (ssize_t)count : -1;
	}
	return __real_write(fd, buf, count);
}

/* ---- the model of the command line ---- */

static const char *const model_commands[] = {
	"get", "set", "showconf", "check-config", "status", "stats",
	"sessions", "audit", "explain",
};

static bool is_command(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(model_commands); i++)
		if (!strcmp(s, model_commands[i]))
			return true;
	return false;
}

/* A command's -h or --help, before any "--": its help, nothing else. */
static bool model_help(int argc, char **argv)
{
	int i;

	if (argc < 2 || !is_command(argv[1]))
		return false;
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

/* What set changes, in the order given, in normal form. */
struct mset {
	bool runtime_only;
	int nr;
	int opt[NR_OPTIONS];
	char want[NR_OPTIONS][PEERS_TEXT_MAX];
};

static int add_value(struct mset *s, int opt, const char *val)
{
	if (model_value(opt, val, s->want[s->nr], sizeof(s->want[0])))
		return EXIT_USAGE;
	s->opt[s->nr++] = opt;
	return 0;
}

/* set algorithms NAME...: the words joined by spaces are the list. */
static int model_set_algs(int argc, char **argv, struct mset *s)
{
	char list[VALUE_MAX] = "";
	size_t used = 0, n;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--runtime-only")) {
			s->runtime_only = true;
			continue;
		}
		if (argv[i][0] == '-')
			return EXIT_USAGE;
		n = strlen(argv[i]) + !!used;
		if (used + n >= sizeof(list))
			return EXIT_USAGE;
		snprintf(list + used, sizeof(list) - used, "%s%s",
			 used ? " " : "", argv[i]);
		used += n;
	}
	return add_value(s, M_ALGORITHMS, list);
}

/* set client|server --FLAG VALUE|--FLAG=VALUE..., each flag once. */
static int model_set(int argc, char **argv, struct mset *s)
{
	bool given[NR_OPTIONS] = { false };
	const char *arg, *eq, *val;
	size_t n;
	int i, o;

	s->runtime_only = false;
	s->nr = 0;
	if (argc < 2)
		return EXIT_USAGE;
	if (!strcmp(argv[1], "algorithms"))
		return model_set_algs(argc, argv, s);
	if (strcmp(argv[1], "client") && strcmp(argv[1], "server"))
		return EXIT_USAGE;
	for (i = 2; i < argc; i++) {
		arg = argv[i];
		if (!strcmp(arg, "--runtime-only")) {
			s->runtime_only = true;
			continue;
		}
		eq = strchr(arg, '=');
		n = eq ? (size_t)(eq - arg) : strlen(arg);
		for (o = 0; o < NR_MOPTS; o++)
			if (mopts[o].flag && !strcmp(mopts[o].side, argv[1]) &&
			    strlen(mopts[o].flag) == n &&
			    !strncmp(arg, mopts[o].flag, n))
				break;
		if (o == NR_MOPTS || given[o] || (!eq && i + 1 >= argc))
			return EXIT_USAGE;
		given[o] = true;
		val = eq ? eq + 1 : argv[++i];
		if (add_value(s, o, val))
			return EXIT_USAGE;
	}
	return s->nr ? EXIT_OK : EXIT_USAGE;
}

/* get client|server [--json] */
static int model_get(int argc, char **argv)
{
	bool side = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			continue;
		if (side || (strcmp(argv[i], "client") && strcmp(argv[i], "server")))
			return EXIT_USAGE;
		side = true;
	}
	return side ? EXIT_OK : EXIT_USAGE;
}

/* Commands that take only --json (and stats --reset). */
static int model_flags(int argc, char **argv, bool reset)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") &&
		    (!reset || strcmp(argv[i], "--reset")))
			return EXIT_USAGE;
	return EXIT_OK;
}

/* The argument check-config reads as its FILE; 0: the default; -1: none. */
static int model_conf_arg(int argc, char **argv)
{
	int i, path = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--") && !path && i + 1 < argc) {
			path = ++i;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1]) || path)
			return -1;
		path = i;
	}
	return path && !argv[path][0] ? -1 : path;
}

/*
 * check-config: smbsign.conf as the harness wrote it has no error; a file
 * that cannot be read is an error; any other file may have errors.
 */
static int model_check_config(int argc, char **argv)
{
	struct stat st, conf;
	int i = model_conf_arg(argc, argv);

	if (i < 0)
		return EXIT_USAGE;
	if (stat(i ? argv[i] : conf_path, &st) || S_ISDIR(st.st_mode))
		return EXIT_FAIL;
	if (!stat(conf_path, &conf) && st.st_ino == conf.st_ino &&
	    st.st_dev == conf.st_dev)
		return EXIT_OK;
	return EXIT_0_OR_1;
}

/* explain WORDS...: the words joined by spaces are the text. */
static int model_explain_cmd(int argc, char **argv)
{
	char in[TEXT_MAX] = "";
	size_t used = 0, n;
	struct named m;
	int i, nr;

	for (i = 1; i < argc; i++) {
		if (i == 1 && !strcmp(argv[i], "--"))
			continue;
		n = strlen(argv[i]) + !!used;
		if (used + n >= sizeof(in))
			return EXIT_USAGE;
		snprintf(in + used, sizeof(in) - used, "%s%s", used ? " " : "",
			 argv[i]);
		used += n;
	}
	nr = model_explain(in, &m);
	return nr < 0 ? EXIT_USAGE : nr ? EXIT_OK : EXIT_FAIL;
}

/*
 * The exit status of the command line, with the module loaded or not;
 * what set changes goes to @set.
 */
static int model_main(int argc, char **argv, bool loaded, struct mset *set)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;

	if (argc < 2)
		return EXIT_USAGE;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return argc < 3 || is_command(argv[2]) ? EXIT_OK : EXIT_USAGE;
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))
		return argc > 2 ? EXIT_USAGE : EXIT_OK;
	if (!is_command(cmd))
		return EXIT_USAGE;
	if (model_help(argc, argv))
		return EXIT_OK;
	if (!strcmp(cmd, "explain"))
		return model_explain_cmd(argc - 1, argv + 1);
	if (!strcmp(cmd, "check-config"))
		return model_check_config(argc - 1, argv + 1);
	if (!strcmp(cmd, "set"))
		rc = model_set(argc - 1, argv + 1, set);
	else if (!strcmp(cmd, "get"))
		rc = model_get(argc - 1, argv + 1);
	else if (!strcmp(cmd, "showconf"))
		rc = argc > 2 ? EXIT_USAGE : EXIT_OK;
	else
		rc = model_flags(argc - 1, argv + 1, !strcmp(cmd, "stats"));
	return rc ? rc : loaded ? EXIT_OK : EXIT_NOMODULE;
}

/* ---- the checks of values ---- */

/* The tool's algorithms file reader on @s, as sysfs_read() hands it over. */
static void check_alg_file(const char *s)
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
	m = model_alg_file(copy, &want);
	if (rc != (m ? EXIT_FAIL : 0))
		fail("algs_parse_sysfs() accepted differently", copy);
	if (!rc && (got.nr != want.nr ||
		    memcmp(got.alg, want.alg, want.nr * sizeof(want.alg[0]))))
		fail("algs_parse_sysfs() read another list", copy);
}

/* opt_normalize() on @val for option @opt, against the models. */
static void check_value(int opt, const char *val)
{
	static char got[PEERS_TEXT_MAX], want[PEERS_TEXT_MAX];
	unsigned int kalgs[NR_ALGS], knr;
	char line[VALUE_MAX + 2], shown[128];
	struct alg_list back;
	struct mlist l;
	int g, w;

	g = opt_normalize(&options[opt], val, strlen(val), got, sizeof(got));
	w = model_value(opt, val, want, sizeof(want));
	if (!g != !w)
		fail(mopts[opt].kind == M_BOOL ? "a boolean accepted differently" :
		     mopts[opt].kind == M_ALGS ? "an algorithm list accepted differently" :
		     "a peer list accepted differently", val);
	if (g)
		return;
	if (strcmp(got, want))
		fail("the normal form differs from the model's", got);
	if (mopts[opt].kind != M_ALGS)
		return;
	/* What set writes, the kernel reads as the same list ... */
	model_list(want, &l);
	snprintf(line, sizeof(line), "%s\n", got);
	if (smbsign_parse_algs(line, strlen(line), kalgs, &knr) ||
	    knr != l.nr || memcmp(kalgs, l.alg, knr * sizeof(kalgs[0])))
		fail("the kernel reads another list than set writes", got);
	/* ... and what the kernel then shows, the tool reads as it. */
	show_algs(&l, shown, sizeof(shown));
	shown[strlen(shown) - 1] = '\0';
	if (algs_parse_sysfs(shown, &back) || back.nr != l.nr ||
	    memcmp(back.alg, l.alg, l.nr * sizeof(l.alg[0])))
		fail("the algorithms file does not read back", got);
}

static void check_arg(const char *arg)
{
	bool v = false, want = false;
	int got, o;

	got = parse_bool_arg(arg, &v);
	if (got != model_bool(arg, &want) || (!got && v != want))
		fail("parse_bool_arg()", arg);
	if (alg_by_name(arg) != model_alg(arg, strlen(arg)))
		fail("alg_by_name()", arg);
	/* the first boolean stands for all: they take the same values */
	for (o = 0; o < NR_MOPTS; o++)
		if (mopts[o].kind != M_BOOL || !o)
			check_value(o, arg);
	check_alg_file(arg);
}

/* ---- the checks of explain ---- */

/* explain_match() on @text (shorter than TEXT_MAX) is the model's. */
static int check_explain(const char *text, const char *what, bool *hit)
{
	struct named m;
	int got, want;
	size_t i;

	got = explain_match(text, hit, MODEL_CODES);
	want = model_explain(text, &m);
	if (got != (want < 0 ? -EINVAL : want))
		fail(what, text);
	for (i = 0; got > 0 && i < nr_explain_codes; i++)
		if (hit[i] != m.hit[i])
			fail(what, text);
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
		fail(what, text);
}

/* The model's answer, and the same for another case, white space, ... */
static void check_explain_text(const char *text)
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
		fail("a name or number of the table does not name one code", s);
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
		fail("a name or number of the table names another code", s);
}

/* A name in the case @bits says, and with the prefixes explain knows. */
static void check_name_spellings(const char *name, unsigned int bits)
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
	if (prefixed(name, "STATUS_")) {
		snprintf(s, sizeof(s), "NT_%s", name);
		check_names_one(s, name, 0);
	}
	if (prefixed(name, "STATUS_SMB_")) {
		snprintf(s, sizeof(s), "smbsign_status_%s", name + 11);
		check_names_one(s, name, 0);
	}
	snprintf(s, sizeof(s), "mount failed: NT_STATUS_%s.", name);
	check_explain(s, "a name in a text", hit);
}

/* The number @v spelt in every way explain reads, alone and in a text. */
static void check_number_spellings(unsigned int v)
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
static void check_pieces(const struct code *c, unsigned char sep,
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
static void check_code(const struct code *c, unsigned int bits)
{
	bool hit[MODEL_CODES];
	char s[160], p[TEXT_MAX];
	size_t i;

	for (i = 0; i < MAX_ALIASES; i++) {
		if (c->names[i])
			check_name_spellings(c->names[i], bits);
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
			fail("a phrase of the table does not name its code", p);
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

static size_t name_count(const struct code *c)
{
	size_t n = 0;

	while (n < MAX_ALIASES && c->names[n])
		n++;
	return n;
}

/* ---- the checks of the whole command line ---- */

static void setenv_sysfs(bool loaded)
{
	if (setenv("SMBSIGNCTL_SYSFS", loaded ? sysfs_dir : absent_dir, 1))
		fail("setenv", strerror(errno));
}

static int run_here(int argc, char **argv)
{
	int rc;

	sh->nr_writes = 0;
	err_capture(sh->errors, sizeof(sh->errors));
	rc = smbsignctl_main(argc, argv);
	fflush(stdout);
	return rc;
}

/*
 * set runs in a child process: cmd_set() keeps its request in a static
 * struct that nothing clears (main() calls it once), so a second set in
 * one process would apply the changes of the first one again, and
 * overflow them after NR_OPTIONS. The children come from a helper forked
 * at setup, while the harness is small: a fork of the harness later
 * copies the page tables of all that ASan's quarantine and libFuzzer
 * hold, milliseconds each time. The helper reads a command line (its
 * length, then the arguments each with its NUL) and answers with the
 * wait status; it ends when the harness does.
 */
static int to_helper = -1, from_helper = -1;

static bool read_all(int fd, void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf = (char *)buf + n;
		len -= (size_t)n;
	}
	return true;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = __real_write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf = (const char *)buf + n;
		len -= (size_t)n;
	}
	return true;
}

static __noreturn void helper(int in, int out)
{
	static char blob[(MAX_ARGS + 1) * (VALUE_MAX + 1)];
	char *argv[MAX_ARGS + 2];
	size_t len, off;
	int argc, status;
	pid_t pid;

	while (read_all(in, &len, sizeof(len)) && len < sizeof(blob) &&
	       read_all(in, blob, len)) {
		for (argc = 0, off = 0; off < len && argc <= MAX_ARGS; argc++) {
			argv[argc] = blob + off;
			off += strlen(blob + off) + 1;
		}
		argv[argc] = NULL;
		pid = fork();
		if (!pid) {
			err_capture(sh->errors, sizeof(sh->errors));
			status = smbsignctl_main(argc, argv);
			fflush(stdout);
			_exit(status);
		}
		status = -1;
		while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!write_all(out, &status, sizeof(status)))
			break;
	}
	_exit(0);
}

static void start_helper(void)
{
	int req[2], ans[2];
	pid_t pid;

	if (pipe(req) || pipe(ans))
		fail("pipe", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		fail("fork", strerror(errno));
	if (!pid) {
		close(req[1]);
		close(ans[0]);
		helper(req[0], ans[1]);
	}
	close(req[0]);
	close(ans[1]);
	to_helper = req[1];
	from_helper = ans[0];
	/* a dead helper is an error to report, not a reason to die */
	signal(SIGPIPE, SIG_IGN);
}

static int run_forked(int argc, char **argv)
{
	static char blob[(MAX_ARGS + 1) * (VALUE_MAX + 1)];
	size_t len = 0, n;
	int i, status;

	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		if (len + n > sizeof(blob))
			fail("command line too long for the helper", argv[1]);
		memcpy(blob + len, argv[i], n);
		len += n;
	}
	sh->nr_writes = 0;
	sh->errors[0] = '\0';
	if (!write_all(to_helper, &len, sizeof(len)) ||
	    !write_all(to_helper, blob, len) ||
	    !read_all(from_helper, &status, sizeof(status)))
		fail("the helper that runs set is gone", "");
	if (status == -1 || !WIFEXITED(status))
		fail("set died", argv[1]);
	return WEXITSTATUS(status);
}

static char *slurp(const char *path, size_t *len)
{
	static char buf[64 << 10];
	FILE *f = fopen(path, "r");

	if (!f)
		fail("cannot read back", path);
	*len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Nothing in modprobe.d but smbsign.conf: set leaves no temporary file. */
static void check_no_leftovers(void)
{
	struct dirent *e;
	DIR *d = opendir(conf_dir);

	if (!d)
		fail("cannot read", conf_dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "smbsign.conf"))
			fail("a file was left in modprobe.d", e->d_name);
	closedir(d);
}

/* No sysfs write, smbsign.conf as it was. */
static void check_untouched(const char *cmd)
{
	size_t len;

	if (sh->nr_writes)
		fail("a command that must not write wrote to sysfs", cmd);
	if (strcmp(slurp(conf_path, &len), conf_text))
		fail("a command that must not write changed smbsign.conf", cmd);
	check_no_leftovers();
}

/*
 * After a set that succeeded: it wrote each change once, in the order
 * given, as the normal form and a newline; the files read as the model
 * says; smbsign.conf is three lines of comment, an options line with the
 * whole running policy, and the lines it had that are not smbsign's,
 * and check-config finds no error in it.
 */
static void check_set_result(const struct mset *ms)
{
	static char line[NR_OPTIONS * (PEERS_TEXT_MAX + 64)];
	char path[1024], want[PEERS_TEXT_MAX + 2], *text, *nl;
	const char *value[NR_OPTIONS], *expect[4 + ARRAY_SIZE(conf_kept)];
	static char *check_argv[] = { "smbsignctl", "check-config", NULL };
	struct mlist l;
	size_t len, used;
	int i;

	if (sh->nr_writes != ms->nr)
		fail("set wrote another number of files than it changes", "");
	for (i = 0; i < NR_OPTIONS; i++)
		value[i] = mopts[i].normal;
	for (i = 0; i < ms->nr; i++) {
		snprintf(want, sizeof(want), "%s\n", ms->want[i]);
		if (sh->w[i].file != ms->opt[i] || strcmp(sh->w[i].data, want) ||
		    sh->w[i].len != strlen(want))
			fail("set wrote another value or file", sh->w[i].data);
		value[ms->opt[i]] = ms->want[i];
	}
	for (i = 0; i < NR_OPTIONS; i++) {
		if (mopts[i].kind == M_ALGS) {
			model_list(value[i], &l);
			show_algs(&l, want, sizeof(want));
		} else {
			snprintf(want, sizeof(want), "%s\n", value[i]);
		}
		tree_path(path, sizeof(path), "sys");
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s",
			 mopts[i].rel);
		if (strcmp(slurp(path, &len), want))
			fail("a setting reads another value after set", mopts[i].rel);
	}
	check_no_leftovers();
	text = slurp(conf_path, &len);
	if (ms->runtime_only) {
		if (strcmp(text, conf_text))
			fail("set --runtime-only changed smbsign.conf", text);
		return;
	}
	used = (size_t)snprintf(line, sizeof(line), "options smbsign");
	for (i = 0; i < NR_OPTIONS; i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 value[i][0] ? " %s=%s" : " %s=\"%s\"",
					 mopts[i].param, value[i]);
	expect[0] = expect[1] = expect[2] = "#";
	expect[3] = line;
	for (i = 0; i < (int)ARRAY_SIZE(conf_kept); i++)
		expect[4 + i] = conf_kept[i];
	for (i = 0; i < (int)ARRAY_SIZE(expect); i++) {
		nl = strchr(text, '\n');
		if (!nl)
			fail("smbsign.conf has fewer lines than set writes", text);
		*nl = '\0';
		if (i < 3 ? strncmp(text, "# ", 2) : strcmp(text, expect[i]))
			fail("set saved another smbsign.conf", text);
		text = nl + 1;
	}
	if (*text)
		fail("smbsign.conf has more lines than set writes", text);
	if (run_here(2, check_argv) != EXIT_OK || sh->nr_writes)
		fail("check-config finds fault with the file set wrote", "");
}

static void check_set(int argc, char **argv)
{
	static struct mset ms;
	int want = model_main(argc, argv, true, &ms), rc;

	rc = run_forked(argc, argv);
	if (rc != want)
		fail("set exit status", argv[argc - 1]);
	if (rc || model_help(argc, argv))
		check_untouched("set");
	else
		check_set_result(&ms);
	if (!rc)
		reset_tree();
}

/*
 * check-config reads the file it is given: make it one in the tree
 * (top/FILE); false when it would be outside even so ("..").
 */
static bool conf_arg_in_tree(int argc, char **argv)
{
	char path[8192];
	int i;

	if (model_help(argc, argv))
		return true;
	i = model_conf_arg(argc - 1, argv + 1);
	if (i <= 0)
		return true;
	if (strstr(argv[i + 1], ".."))
		return false;
	snprintf(path, sizeof(path), "%s/%s", top, argv[i + 1]);
	free(argv[i + 1]);
	argv[i + 1] = strdup(path);
	if (!argv[i + 1])
		abort();
	return true;
}

static void check_command_line(int argc, char **argv)
{
	static struct mset ms;
	const char *cmd = argc > 1 ? argv[1] : "";
	bool module_matters, reset;
	int want, rc, i;

	if (!strcmp(cmd, "set")) {
		check_set(argc, argv);
		return;
	}
	if (!strcmp(cmd, "check-config") && !conf_arg_in_tree(argc, argv))
		return;
	want = model_main(argc, argv, true, &ms);
	rc = run_here(argc, argv);
	if (want == EXIT_0_OR_1 ? rc != EXIT_OK && rc != EXIT_FAIL : rc != want)
		fail("exit status with the module loaded", cmd);
	reset = !strcmp(cmd, "stats") && !rc && !model_help(argc, argv);
	for (i = 2; reset && i < argc && strcmp(argv[i], "--reset"); i++)
		;
	if (reset && i < argc) {
		if (sh->nr_writes != 1 || sh->w[0].file != W_RESET ||
		    strcmp(sh->w[0].data, "1\n"))
			fail("stats --reset did not write 1 to stats/reset", "");
		sh->nr_writes = 0;
		put_file("sys/stats/reset", "");
	}
	check_untouched(cmd);
	module_matters = !strcmp(cmd, "get") || !strcmp(cmd, "showconf") ||
		       !strcmp(cmd, "status") || !strcmp(cmd, "stats") ||
		       !strcmp(cmd, "sessions") || !strcmp(cmd, "audit") ||
		       !strcmp(cmd, "version") || !strcmp(cmd, "--version");
	if (!module_matters)
		return;
	setenv_sysfs(false);
	want = model_main(argc, argv, false, &ms);
	rc = run_here(argc, argv);
	setenv_sysfs(true);
	if (rc != want)
		fail("exit status without the module", cmd);
	check_untouched(cmd);
}

/* ---- the entry points ---- */

static void setenv_or_fail(const char *name, const char *rel)
{
	char path[512];

	tree_path(path, sizeof(path), rel);
	if (setenv(name, path, 1))
		fail("setenv", name);
}

/*
 * The tree goes to tmpfs where there is one: set fsyncs smbsign.conf and
 * its directory every time.
 */
static void setup(void)
{
	/* which letters of a name are in lower case */
	static const unsigned int cases[] = {
		0, ~0U, 0x55555555, 0xaaaaaaaa,
	};
	const char *dirs[] = { "/dev/shm", getenv("TMPDIR"), "/tmp" };
	size_t i;
	int k;

	main_pid = getpid();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		abort();
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!dirs[i] || !*dirs[i] || access(dirs[i], W_OK))
			continue;
		snprintf(top, sizeof(top), "%s/smbsignctl-fuzz.XXXXXX", dirs[i]);
		if (mkdtemp(top))
			break;
		top[0] = '\0';
	}
	if (!top[0])
		fail("no temporary directory", strerror(errno));
	atexit(remove_tree);
	for (k = 0; k < NR_OPTIONS; k++)
		if (strcmp(options[k].rel, mopts[k].rel) ||
		    strcmp(options[k].param, mopts[k].param) ||
		    (mopts[k].flag && strcmp(opt_flag(k), mopts[k].flag)))
			fail("the tool's settings are not the ABI's", mopts[k].rel);
	if (nr_explain_codes > MODEL_CODES)
		fail("explain_codes[] has more codes than the model holds", "");
	for (i = 0; i < nr_explain_codes; i++)
		for (k = 0; k < MAX_ALIASES && explain_codes[i].phrases[k]; k++) {
			phrases[i][k] = strdup(explain_codes[i].phrases[k]);
			if (!phrases[i][k])
				abort();
			model_normalize(explain_codes[i].phrases[k], phrases[i][k]);
		}
	tree_path(sysfs_dir, sizeof(sysfs_dir), "sys");
	tree_path(absent_dir, sizeof(absent_dir), "absent");
	tree_path(conf_dir, sizeof(conf_dir), "modprobe.d");
	tree_path(conf_path, sizeof(conf_path), "modprobe.d/smbsign.conf");
	build_tree();
	/* What the table says does not depend on the input: check it once. */
	for (i = 0; i < nr_explain_codes; i++)
		for (k = 0; k < (int)ARRAY_SIZE(cases); k++)
			check_code(&explain_codes[i], cases[k]);
	setenv_sysfs(true);
	setenv_or_fail("SMBSIGNCTL_SYSMODULE", "module");
	setenv_or_fail("SMBSIGNCTL_PROCFS", "proc");
	setenv_or_fail("SMBSIGNCTL_MODPROBE_CONF", "modprobe.d/smbsign.conf");
	if (setenv("SMBSIGNCTL_BOOTTIME", "1000", 1))
		fail("setenv", "SMBSIGNCTL_BOOTTIME");
	err_capture(sh->errors, sizeof(sh->errors));
	if (!freopen("/dev/null", "w", stdout))
		abort();
	start_helper();
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
	char *argv[MAX_ARGS + 2], *whole, text[TEXT_MAX], list[VALUE_MAX];
	const struct code *c;
	size_t off = 0, n, used = 0;
	unsigned int v = 0;
	int argc = 1, i, j;

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
	whole = malloc(len + 1);
	if (!argv[0] || !whole)
		abort();
	whole[len] = '\0';

	text[0] = '\0';
	for (i = 1; i < argc; i++) {
		check_arg(argv[i]);
		n = strlen(argv[i]) + !!used;
		if (used + n < sizeof(text)) {
			snprintf(text + used, sizeof(text) - used, "%s%s",
				 used ? " " : "", argv[i]);
			used += n;
		}
	}
	/* What follows "set algorithms" (and the like) as one list. */
	for (i = 1; i < argc && i <= 3; i++) {
		for (j = i, n = 0; j < argc && n < sizeof(list); j++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
					      n ? " " : "", argv[j]);
		if (n < sizeof(list))
			check_value(M_ALGORITHMS, list);
	}
	/* The arguments as the words of the algorithms file. */
	for (n = 0; n < len; n++)
		whole[n] = data[n] ? (char)data[n] : ' ';
	check_alg_file(whole);
	check_explain_text(text);
	for (n = 0; n < len && n < 4; n++)
		v |= (unsigned int)data[n] << (8 * n);
	check_number_spellings(v & 0x80 ? v % 5000 : v);
	c = &explain_codes[v % nr_explain_codes];
	if (c->names[0])
		check_name_spellings(c->names[(v >> 3) % name_count(c)], v >> 8);
	check_pieces(c, len > 4 ? data[4] : ' ', v >> 3);
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
	"get", "set", "status", "stats", "showconf", "check-config",
	"sessions", "audit", "explain", "help", "--version", "client",
	"server", "algorithms", "--json", "--reset", "--runtime-only",
	"--help", "-h", "--", "--require-signing", "--allow-insecure-guest=",
	"--audit-unsigned-peers", "--unsigned-peers", "--unsigned-peers=",
	"true", "FALSE", "1", "0", "y", "N\n", "Off", "aes-gmac",
	"AES-CMAC,hmac-sha256", "aes-cmac aes-cmac",
	"[aes-gmac] [aes-cmac] hmac-sha256", "hmac-sha256 [aes-cmac]",
	"aes-gcm", ",", " ", "\t", "",
	"nas.example.com", "192.0.2.7 NAS", "10.0.0.0/8,2001:db8::/32",
	"192.0.2.1/24", "modprobe.d/smbsign.conf", "sys/version", "-",
	"0xc000a000", "C05D0002", "3221266432", "-1073700864", "-13", "53",
	"1272", "0x800704f8", "STATUS_INVALID_SIGNATURE",
	"smbsign_status_guest_logon_blocked", "NT_STATUS_ACCESS_DENIED",
	"EOPNOTSUPP", "System error", "error", ".",
	"can\xe2\x80\x99t access this shared folder",
	"The network path was not found.",
	"mount error(13): Permission denied",
};

/* Valid command lines, to be changed a word at a time. */
static const char *const lines[][8] = {
	{ "set", "client", "--require-signing", "no" },
	{ "set", "server", "--audit-unsigned-peers=1", "--runtime-only" },
	{ "set", "client", "--unsigned-peers", "nas.example.com 192.0.2.0/24",
	  "--allow-insecure-guest", "Yes" },
	{ "set", "server", "--unsigned-peers=", "--require-signing", "on" },
	{ "set", "client", "--require-signing=1", "--audit-unsigned-peers",
	  "off", "--require-signing", "0" },
	{ "set", "algorithms", "aes-cmac,HMAC-SHA256" },
	{ "set", "algorithms", "aes-gmac", "aes-cmac", "--runtime-only" },
	{ "get", "server", "--json" },
	{ "status", "--json" },
	{ "stats", "--reset" },
	{ "showconf" },
	{ "check-config", "modprobe.d/smbsign.conf" },
	{ "sessions" },
	{ "audit", "--json" },
	{ "explain", "System", "error", "53", "has", "occurred." },
};

static void add_word(unsigned char *buf, size_t *len, size_t max,
		     const char *w)
{
	size_t l = strlen(w) + 1;

	if (*len + l > max)
		return;
	memcpy(buf + *len, w, l);
	/* now and then two words run together */
	*len += l - (next_rand() % 16 == 0);
}

static size_t make_input(unsigned char *buf, size_t max)
{
	const char *const *line = lines[next_rand() % ARRAY_SIZE(lines)];
	size_t len = 0, i, n;

	if (next_rand() % 3 == 0) {
		for (i = 0; i < ARRAY_SIZE(lines[0]) && line[i]; i++)
			add_word(buf, &len, max, next_rand() % 6 ? line[i] :
				 pieces[next_rand() % ARRAY_SIZE(pieces)]);
		n = next_rand() % 4 == 0;
	} else {
		/* mostly a command first, so that each one runs */
		if (next_rand() % 8)
			add_word(buf, &len, max, model_commands[next_rand() %
						 ARRAY_SIZE(model_commands)]);
		n = next_rand() % 7;
	}
	while (n--)
		add_word(buf, &len, max, pieces[next_rand() % ARRAY_SIZE(pieces)]);
	for (i = next_rand() % 8 ? 0 : 1 + next_rand() % 2; i && len; i--)
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
	/*
	 * Fewer inputs than the other harnesses: each one runs the tool, a
	 * set in a process of its own.
	 */
	iters /= 20;
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
