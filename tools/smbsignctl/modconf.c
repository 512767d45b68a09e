// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the boot policy, /etc/modprobe.d/smbsign.conf
 * ($SMBSIGNCTL_MODPROBE_CONF).
 *
 * Reading follows the two programs that read the file for real:
 *  - kmod (libkmod-config.c, kmod_config_parse()): logical lines joined at
 *    a backslash before the newline (a backslash before anything else is
 *    dropped), lines starting with '#' and blank lines skipped, the first
 *    word the command, "options MODULE REST" with tabs in REST made
 *    spaces; every "options smbsign" line of the file is passed on, in
 *    order;
 *  - the kernel (kernel/params.c, parse_args() and next_arg()): blank-
 *    separated PARAM[=VALUE] words, double quotes around a value or a
 *    whole word, '-' and '_' alike in names, "--" ending the list; an
 *    unknown parameter is ignored with only a warning, a bad value makes
 *    the load fail, the last of two settings wins.
 *
 * Writing replaces the file atomically (a temporary file in the same
 * directory, fsync, rename, fsync of the directory) under a lock on the
 * directory: a header, one "options smbsign" line with every setting, and
 * the file's other lines as they were.
 */
#define _DEFAULT_SOURCE		/* flock() */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smbsignctl.h"

static const char *const header[] = {
	"# smbsign: the SMB signing policy the module loads with (modprobe smbsign).",
	"# Managed by smbsignctl(8): 'smbsignctl set' rewrites this file from the",
	"# running policy; 'smbsignctl check-config' checks it. Other lines are kept.",
};

/* ---- reading ---- */

struct reader {
	struct modconf *mc;
	FILE *report;
	const char *p, *end;	/* what is left of the file */
	int line;		/* physical line the logical line starts on */
	int next_line;
};

/* One report line; returns 0 so that checks can end with it. */
static int say(struct reader *r, int line, const char *level,
	       const char *fmt, ...) __printf(4, 5);

static int say(struct reader *r, int line, const char *level,
	       const char *fmt, ...)
{
	va_list ap;

	if (!strcmp(level, "error"))
		r->mc->nr_errors++;
	else if (!strcmp(level, "warning"))
		r->mc->nr_warnings++;
	if (!r->report)
		return 0;
	fprintf(r->report, "%s:%d: %s: ", r->mc->path, line, level);
	va_start(ap, fmt);
	vfprintf(r->report, fmt, ap);
	va_end(ap);
	fputc('\n', r->report);
	return 0;
}

/* The next logical line, as kmod's freadline_wrapped() builds it. */
static char *next_logical(struct reader *r)
{
	size_t cap = 256, n = 0;
	char *buf, *nbuf;

	if (r->p >= r->end)
		return NULL;
	buf = malloc(cap);
	if (!buf)
		return NULL;
	r->line = r->next_line;
	while (r->p < r->end) {
		char c = *r->p++;

		if (c == '\n')
			break;
		if (c == '\\') {
			if (r->p < r->end && *r->p == '\n') {
				r->p++;
				r->next_line++;
				continue;
			}
			if (r->p >= r->end)
				continue;
			c = *r->p++;
		}
		if (n + 2 > cap) {
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
		buf[n++] = c;
	}
	/* The line ends at its newline or at the end of the file. */
	r->next_line++;
	buf[n] = '\0';
	return buf;
}

/*
 * The kernel's next_arg(): one PARAM[=VALUE] word of @args, quotes
 * removed the way the kernel removes them. Returns where the next word
 * starts.
 */
static char *next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = 1;
		quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (args[i] == ' ' && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		return args + i + 1;
	}
	return args + i;
}

/* Levenshtein distance of two short names, for "did you mean". */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int row[80], i, j, prev, cur, la = strlen(a), lb = strlen(b);

	if (la >= 80 || lb >= 80)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev :
				 1 + (prev < row[j - 1] ?
				      (prev < row[j] ? prev : row[j]) :
				      (row[j - 1] < row[j] ? row[j - 1] : row[j]));
			prev = cur;
		}
	}
	return row[lb];
}

static int unknown_option(struct reader *r, const char *param)
{
	unsigned int best = 4, d;
	const char *guess = NULL;
	int i;

	for (i = 0; i < NR_OPTIONS; i++) {
		d = distance(param, options[i].param);
		if (d < best) {
			best = d;
			guess = options[i].param;
		}
	}
	return say(r, r->line, "error",
	    "unknown option '%s': the kernel ignores it with only a warning (\"smbsign: unknown parameter '%s' ignored\")%s%s%s",
	    param, param, guess ? "; did you mean " : "", guess ? guess : "",
	    guess ? "?" : "");
}

static int set_option(struct reader *r, const char *param, const char *val)
{
	const struct option_desc *o = option_by_param(param, strlen(param));
	char norm[PEERS_TEXT_MAX];
	struct policy *set = &r->mc->set;
	int opt;

	if (!o)
		return unknown_option(r, param);
	opt = opt_index(o);
	if (!val && o->kind != OPT_BOOL) {
		r->mc->refused = true;
		return say(r, r->line, "error",
			   "%s has no value: the module would not load (expected %s)",
			   o->param, opt_grammar(o));
	}
	if (opt_normalize(o, val ? val : "1", val ? strlen(val) : 1, norm,
			  sizeof(norm))) {
		char why[512];

		opt_problem(o, val, why, sizeof(why));
		r->mc->refused = true;
		return say(r, r->line, "error",
			   "%s=%s: %s; the kernel refuses it, so the module would not load (expected %s)",
			   o->param, val, why, opt_grammar(o));
	}
	if (set->present[opt]) {
		if (opt_equal(o, set->value[opt], norm))
			say(r, r->line, "error",
			    "%s is set again (also on line %d): set it once",
			    o->param, r->mc->line_of[opt]);
		else
			say(r, r->line, "error",
			    "%s=%s contradicts %s=%s on line %d: the kernel uses the last one",
			    o->param, val ? val : "", o->param,
			    set->value[opt], r->mc->line_of[opt]);
	}
	snprintf(set->value[opt], sizeof(set->value[opt]), "%s", norm);
	set->present[opt] = true;
	r->mc->line_of[opt] = r->line;
	return 0;
}

static void parse_options(struct reader *r, char *args)
{
	char *param, *val, *p;

	for (p = args; *p; p++)
		if (*p == '\t')
			*p = ' ';
	while (*args) {
		while (*args == ' ')
			args++;
		if (!*args)
			break;
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--")) {
			if (*args)
				say(r, r->line, "error",
				    "the kernel ignores everything after \"--\": '%s'",
				    args);
			return;
		}
		set_option(r, param, val);
	}
}

/* kmod compares module names with '-' read as '_'. */
static bool is_smbsign(const char *name)
{
	return name && !strcmp(name, "smbsign");
}

static int parse_line(struct reader *r, char *line, bool *ours)
{
	char *save = NULL, *cmd, *mod, *rest;

	*ours = false;
	if (!line[0] || line[0] == '#')
		return 0;
	cmd = strtok_r(line, "\t ", &save);
	if (!cmd)
		return 0;
	mod = strtok_r(NULL, "\t ", &save);
	rest = strtok_r(NULL, "", &save);
	if (!strcmp(cmd, "options")) {
		if (!mod || !rest)
			return say(r, r->line, "error",
				   "'options' needs a module name and options: modprobe ignores this line");
		if (!is_smbsign(mod))
			return say(r, r->line, "note",
				   "options for %s: not checked", mod);
		*ours = true;
		parse_options(r, rest);
		return 0;
	}
	if (!strcmp(cmd, "install") && is_smbsign(mod))
		return say(r, r->line, "warning",
			   "modprobe runs this command instead of loading smbsign itself: the options apply only if the command loads it with modprobe");
	if (!strcmp(cmd, "blacklist") && is_smbsign(mod))
		return say(r, r->line, "note",
			   "blacklist hides only smbsign's aliases: 'modprobe smbsign' and the SMB modules still load it");
	if (!strcmp(cmd, "alias") || !strcmp(cmd, "blacklist") ||
	    !strcmp(cmd, "install") || !strcmp(cmd, "remove") ||
	    !strcmp(cmd, "softdep") || !strcmp(cmd, "weakdep"))
		return say(r, r->line, "note", "'%s' line: not checked", cmd);
	if (cmd[0] == '#')
		return say(r, r->line, "warning",
			   "a comment must start the line: modprobe reports this line as bad and ignores it");
	if (!strcmp(cmd, "include") || !strcmp(cmd, "config"))
		return say(r, r->line, "warning",
			   "modprobe no longer reads '%s' lines", cmd);
	return say(r, r->line, "error",
	    "'%s' is not a modprobe.d command: modprobe ignores this line", cmd);
}

static bool is_header(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(header); i++)
		if (strlen(header[i]) == len && !strncmp(header[i], line, len))
			return true;
	return false;
}

/* Mark physical lines first..last (1-based) as not to be kept. */
static int mark_drop(struct modconf *mc, int first, int last)
{
	int i;

	for (i = first; i <= last; i++) {
		if (i >= mc->nr_lines)
			return -1;
		mc->drop[i] = true;
	}
	return 0;
}

static int count_lines(const char *text, size_t len)
{
	int n = 1;
	size_t i;

	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	return n + 1;
}

int modconf_load(struct modconf *mc, const char *path, FILE *report)
{
	struct reader r = { .mc = mc, .report = report, .next_line = 1 };
	const char *start;
	char *line;
	bool ours;
	int rc, i;

	memset(mc, 0, sizeof(*mc));
	mc->path = path;
	rc = read_whole(path, &mc->text, &mc->len);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return file_error("read", path, -rc);
	mc->exists = true;
	mc->nr_lines = count_lines(mc->text, mc->len);
	mc->drop = calloc((size_t)mc->nr_lines, sizeof(*mc->drop));
	if (!mc->drop)
		return err(EXIT_FAIL, "out of memory");
	r.p = mc->text;
	r.end = mc->text + mc->len;
	while (r.p < r.end) {
		start = r.p;
		line = next_logical(&r);
		if (!line)
			return err(EXIT_FAIL, "out of memory");
		parse_line(&r, line, &ours);
		if (ours || (r.next_line == r.line + 1 &&
			     is_header(start, strcspn(start, "\n"))))
			mark_drop(mc, r.line, r.next_line - 1);
		free(line);
	}
	for (i = 0; i < NR_OPTIONS; i++)
		if (!mc->set.present[i])
			mc->line_of[i] = 0;
	return 0;
}

void modconf_free(struct modconf *mc)
{
	free(mc->text);
	free(mc->drop);
	mc->text = NULL;
	mc->drop = NULL;
}

/*
 * The value option @opt gets at the next load: the file's, else the
 * module's default; NULL when that default is not known here (the
 * algorithm list's).
 */
const char *modconf_value(const struct modconf *mc, int opt, char *buf,
			  size_t len)
{
	if (mc->set.present[opt]) {
		snprintf(buf, len, "%s", mc->set.value[opt]);
		return buf;
	}
	if (options[opt].kind == OPT_ALGS)
		return NULL;
	opt_default(&options[opt], buf, len);
	return buf;
}

/* ---- writing ---- */

/* The file for @running, keeping the lines of @old that are not ours. */
void modconf_render(const struct modconf *mc, const struct policy *running,
		    FILE *out)
{
	static char line[NR_OPTIONS * (PEERS_TEXT_MAX + 64)];
	const char *p, *nl;
	size_t i;
	int n;

	for (i = 0; i < ARRAY_SIZE(header); i++)
		fprintf(out, "%s\n", header[i]);
	policy_options_line(running, line, sizeof(line));
	fprintf(out, "%s\n", line);
	if (!mc || !mc->exists)
		return;
	for (p = mc->text, n = 1; p < mc->text + mc->len; n++) {
		nl = memchr(p, '\n', (size_t)(mc->text + mc->len - p));
		if (!nl)
			nl = mc->text + mc->len;
		if (n >= mc->nr_lines || !mc->drop[n])
			fprintf(out, "%.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

int modconf_begin(struct modconf_txn *t, const char *path)
{
	char copy[4096], *dir;

	t->dirfd = -1;
	t->tmpfd = -1;
	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	t->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->dirfd < 0) {
		if (errno == ENOENT)
			return err(EXIT_FAIL, "cannot save the policy in %s: %s does not exist (--runtime-only changes only the running policy)",
				   path, dir);
		return file_error("open", dir, errno);
	}
	if (flock(t->dirfd, LOCK_EX) < 0) {
		int e = errno;

		close(t->dirfd);
		return file_error("lock", dir, e);
	}
	/* modprobe reads only *.conf: a temporary file left over is inert. */
	snprintf(t->tmp, sizeof(t->tmp), "%s/.smbsign.conf.XXXXXX", dir);
	t->tmpfd = mkstemp(t->tmp);
	if (t->tmpfd < 0) {
		int e = errno;

		close(t->dirfd);
		return file_error("write in", dir, e);
	}
	return 0;
}

void modconf_abort(struct modconf_txn *t)
{
	if (t->tmpfd >= 0) {
		close(t->tmpfd);
		unlink(t->tmp);
	}
	if (t->dirfd >= 0)
		close(t->dirfd);
	t->tmpfd = t->dirfd = -1;
}

int modconf_commit(struct modconf_txn *t, const struct modconf *old,
		   const struct policy *running)
{
	mode_t mode = 0644;
	struct stat st;
	FILE *f;
	int e;

	if (stat(old->path, &st) == 0)
		mode = st.st_mode & 07777;
	f = fdopen(t->tmpfd, "w");
	if (!f) {
		e = errno;
		goto fail;
	}
	t->tmpfd = -1;
	modconf_render(old, running, f);
	if (fflush(f) || fsync(fileno(f)) || fchmod(fileno(f), mode)) {
		e = errno;
		fclose(f);
		goto fail;
	}
	if (fclose(f)) {
		e = errno;
		goto fail;
	}
	if (rename(t->tmp, old->path) < 0) {
		e = errno;
		goto fail;
	}
	/* The rename is durable once the directory is. */
	fsync(t->dirfd);
	close(t->dirfd);
	t->dirfd = -1;
	return 0;
fail:
	unlink(t->tmp);
	modconf_abort(t);
	return file_error("write", old->path, e);
}
