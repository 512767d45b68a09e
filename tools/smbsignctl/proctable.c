// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the tables smbsign shows in /proc/fs/smbsign ($SMBSIGNCTL_PROCFS).
 *
 * Each is a header line, then one line per row, fields separated by single
 * spaces; "-" stands for a field that has no value. Every field is checked
 * (a table this tool cannot read exactly is an error, never a guess):
 *
 *   sessions: side address name session_id dialect algorithm logon
 *             required why signed verified failed
 *   audit:    side address name unsigned guest anonymous exempted last_seen
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

static const char *const session_cols[] = {
	"side", "address", "name", "session_id", "dialect", "algorithm",
	"logon", "required", "why", "signed", "verified", "failed",
};

static const char *const audit_cols[] = {
	"side", "address", "name", "unsigned", "guest", "anonymous",
	"exempted", "last_seen",
};

const char *const session_count_names[3] = { "signed", "verified", "failed" };
const char *const audit_count_names[4] = {
	"unsigned", "guest", "anonymous", "exempted",
};

static const char *const dialects[] = { "2.0.2", "2.1", "3.0", "3.0.2", "3.1.1" };
static const char *const logons[] = { "user", "guest", "anonymous" };

#define MAX_FIELDS 16

struct table_file {
	const char *name;	/* "sessions" */
	char path[4096];
	char *text;
	size_t len;
	char *line;		/* the current line, split in place */
	int lineno;
	char *field[MAX_FIELDS];
	int nr_fields;
};

static int bad_field(struct table_file *t, int col, const char *const *cols,
		     const char *want)
{
	return err(EXIT_FAIL, "%s line %d: %s '%s' is not %s (does the loaded smbsign module match this tool?)",
		   t->path, t->lineno, cols[col], t->field[col], want);
}

static int open_table(struct table_file *t, const char *name)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->name = name;
	rc = need_module();
	if (rc)
		return rc;
	rc = path_join(t->path, sizeof(t->path), where(W_PROCFS), name);
	if (rc)
		return rc;
	rc = read_whole(t->path, &t->text, &t->len);
	if (rc == -ENOENT)
		return err(EXIT_FAIL, "%s does not exist: the loaded smbsign module is older than this tool",
			   t->path);
	if (rc)
		return file_error("read", t->path, -rc);
	if (strlen(t->text) != t->len)
		return err(EXIT_FAIL, "%s holds a NUL byte", t->path);
	t->line = t->text;
	return 0;
}

/* Split the next line into fields; false at the end of the file. */
static int next_line(struct table_file *t, bool *more)
{
	char *nl, *p;

	*more = false;
	if (!t->line || !*t->line)
		return 0;
	nl = strchr(t->line, '\n');
	if (!nl)
		return err(EXIT_FAIL, "%s line %d does not end with a newline",
			   t->path, t->lineno + 1);
	*nl = '\0';
	t->lineno++;
	t->nr_fields = 0;
	p = t->line;
	t->line = nl + 1;
	for (;;) {
		if (t->nr_fields == MAX_FIELDS)
			return err(EXIT_FAIL, "%s line %d has too many fields",
				   t->path, t->lineno);
		t->field[t->nr_fields++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	for (int i = 0; i < t->nr_fields; i++) {
		const unsigned char *c = (const unsigned char *)t->field[i];

		if (!*c)
			return err(EXIT_FAIL, "%s line %d: field %d is empty (two blanks, or a blank at an end)",
				   t->path, t->lineno, i + 1);
		for (; *c; c++)
			if (*c < 0x21 || *c == 0x7f)
				return err(EXIT_FAIL, "%s line %d: field %d holds a control character",
					   t->path, t->lineno, i + 1);
	}
	*more = true;
	return 0;
}

static int check_header(struct table_file *t, const char *const *cols, int n)
{
	bool more;
	int i, rc;

	rc = next_line(t, &more);
	if (rc)
		return rc;
	if (!more)
		return err(EXIT_FAIL, "%s is empty: no header line", t->path);
	for (i = 0; i < n && i < t->nr_fields; i++)
		if (strcmp(t->field[i], cols[i]))
			break;
	if (i < n || t->nr_fields != n)
		return err(EXIT_FAIL, "%s: unexpected header (does the loaded smbsign module match this tool?)",
			   t->path);
	return 0;
}

static bool one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, set[i]))
			return true;
	return false;
}

/* "-" means no value: an empty string. */
static const char *opt_field_value(const char *s)
{
	return strcmp(s, "-") ? s : "";
}

static bool copy_field(char *dst, size_t len, const char *src)
{
	return (size_t)snprintf(dst, len, "%s", opt_field_value(src)) < len;
}

static int parse_side_field(struct table_file *t, const char *const *cols,
			    enum side *side)
{
	int i;

	for (i = 0; i < NR_SIDES; i++)
		if (!strcmp(t->field[0], side_names[i])) {
			*side = (enum side)i;
			return 0;
		}
	return bad_field(t, 0, cols, "client or server");
}

/* An IPv4 address, an IPv6 address, or "-". */
static int parse_address(struct table_file *t, const char *const *cols,
			 char *dst, size_t len)
{
	unsigned char a[16];
	const char *s = t->field[1];

	if (strcmp(s, "-") && inet_pton(AF_INET, s, a) != 1 &&
	    inet_pton(AF_INET6, s, a) != 1)
		return bad_field(t, 1, cols, "an IPv4 or IPv6 address or -");
	if (!copy_field(dst, len, s))
		return bad_field(t, 1, cols, "a short enough address");
	return 0;
}

static int parse_counts(struct table_file *t, const char *const *cols,
			int first, int n, char (*dst)[U64_DIGITS])
{
	int i;

	for (i = 0; i < n; i++) {
		if (!u64_text_valid(t->field[first + i]))
			return bad_field(t, first + i, cols,
					 "a decimal 64-bit count");
		snprintf(dst[i], U64_DIGITS, "%s", t->field[first + i]);
	}
	return 0;
}

/* Comma-separated reasons of SMBSIGN_WHY, each at most once, or "-". */
static bool why_valid(const char *s)
{
	bool seen[NR_WHY] = { false };
	char copy[64], *tok, *save = NULL;
	int i;

	if (!strcmp(s, "-"))
		return true;
	if (snprintf(copy, sizeof(copy), "%s", s) >= (int)sizeof(copy) ||
	    s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return false;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_WHY; i++)
			if (!strcmp(tok, why_names[i]))
				break;
		if (i == NR_WHY || seen[i])
			return false;
		seen[i] = true;
	}
	return true;
}

static int parse_session(struct table_file *t, struct session_row *r)
{
	const char *const *c = session_cols;
	const char *id = t->field[3];
	int rc;

	memset(r, 0, sizeof(*r));
	rc = parse_side_field(t, c, &r->side);
	if (!rc)
		rc = parse_address(t, c, r->address, sizeof(r->address));
	if (rc)
		return rc;
	if (!copy_field(r->name, sizeof(r->name), t->field[2]))
		return bad_field(t, 2, c, "a name of at most 255 characters");
	if (strlen(id) != 18 || strncmp(id, "0x", 2) ||
	    strspn(id + 2, "0123456789abcdef") != 16)
		return bad_field(t, 3, c, "0x and 16 lower-case hex digits");
	snprintf(r->id, sizeof(r->id), "%s", id);
	if (strcmp(t->field[4], "-") &&
	    !one_of(t->field[4], dialects, ARRAY_SIZE(dialects)))
		return bad_field(t, 4, c, "2.0.2, 2.1, 3.0, 3.0.2, 3.1.1 or -");
	copy_field(r->dialect, sizeof(r->dialect), t->field[4]);
	if (strcmp(t->field[5], "-") && alg_by_name(t->field[5]) < 0)
		return bad_field(t, 5, c, "hmac-sha256, aes-cmac, aes-gmac or -");
	copy_field(r->alg, sizeof(r->alg), t->field[5]);
	if (strcmp(t->field[6], "-") &&
	    !one_of(t->field[6], logons, ARRAY_SIZE(logons)))
		return bad_field(t, 6, c, "user, guest, anonymous or -");
	copy_field(r->logon, sizeof(r->logon), t->field[6]);
	if (strcmp(t->field[7], "yes") && strcmp(t->field[7], "no"))
		return bad_field(t, 7, c, "yes or no");
	r->required = !strcmp(t->field[7], "yes");
	if (!why_valid(t->field[8]))
		return bad_field(t, 8, c, "a comma list of policy, local, peer, exempt, or -");
	copy_field(r->why, sizeof(r->why), t->field[8]);
	return parse_counts(t, c, 9, 3, r->count);
}

static int parse_audit(struct table_file *t, struct audit_row *r)
{
	const char *const *c = audit_cols;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = parse_side_field(t, c, &r->side);
	if (!rc)
		rc = parse_address(t, c, r->address, sizeof(r->address));
	if (rc)
		return rc;
	if (!copy_field(r->name, sizeof(r->name), t->field[2]))
		return bad_field(t, 2, c, "a name of at most 255 characters");
	rc = parse_counts(t, c, 3, 4, r->count);
	if (rc)
		return rc;
	if (!u64_text_valid(t->field[7]))
		return bad_field(t, 7, c, "a number of seconds since boot");
	snprintf(r->last_seen_text, sizeof(r->last_seen_text), "%s",
		 t->field[7]);
	r->last_seen = strtoull(t->field[7], NULL, 10);
	return 0;
}

/* Read every row of table @name with @parse into a malloc'd array. */
static int read_rows(const char *name, const char *const *cols, int ncols,
		     size_t row_size,
		     int (*parse)(struct table_file *t, void *row),
		     void **rows, int *nr)
{
	struct table_file t;
	size_t cap = 0;
	char *all = NULL, *grown;
	bool more;
	int rc;

	*rows = NULL;
	*nr = 0;
	rc = open_table(&t, name);
	if (!rc)
		rc = check_header(&t, cols, ncols);
	while (!rc) {
		rc = next_line(&t, &more);
		if (rc || !more)
			break;
		if (t.nr_fields != ncols) {
			rc = err(EXIT_FAIL, "%s line %d has %d fields, expected %d (does the loaded smbsign module match this tool?)",
				 t.path, t.lineno, t.nr_fields, ncols);
			break;
		}
		if ((size_t)*nr == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(all, cap * row_size);
			if (!grown) {
				rc = err(EXIT_FAIL, "out of memory");
				break;
			}
			all = grown;
		}
		rc = parse(&t, all + (size_t)*nr * row_size);
		if (!rc)
			(*nr)++;
	}
	free(t.text);
	if (rc) {
		free(all);
		*nr = 0;
		return rc;
	}
	*rows = all;
	return 0;
}

static int parse_session_any(struct table_file *t, void *row)
{
	return parse_session(t, row);
}

static int parse_audit_any(struct table_file *t, void *row)
{
	return parse_audit(t, row);
}

int proc_read_sessions(struct session_row **rows, int *nr)
{
	return read_rows(SMBSIGN_PROC_SESSIONS, session_cols,
			 ARRAY_SIZE(session_cols), sizeof(**rows),
			 parse_session_any, (void **)rows, nr);
}

int proc_read_audit(struct audit_row **rows, int *nr)
{
	return read_rows(SMBSIGN_PROC_AUDIT, audit_cols, ARRAY_SIZE(audit_cols),
			 sizeof(**rows), parse_audit_any, (void **)rows, nr);
}
