/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsignctl: shared declarations.
 *
 * main.c        main(), nothing else (tools/testing/fuzz links the rest)
 * smbsignctl.c  command line, dispatch, help, error reporting
 * names.c       the names of settings, counters and sides, built from
 *               smbsign/names.h and smbsign/parse.h
 * paths.c       where things are (each overridable for tests) and reading
 *               whole files
 * sysfs.c       reading and writing /sys/kernel/smbsign
 * policy.c      one policy value per option: parse, read, compare, print
 * config.c      get and set
 * modconf.c     /etc/modprobe.d/smbsign.conf: read, check, write
 * checkconf.c   check-config and showconf
 * status.c      status and stats
 * consumers.c   which SMB modules are bound to smbsign
 * proctable.c   the /proc/fs/smbsign tables, parsed and checked
 * sessions.c    sessions
 * audit.c       audit
 * explain.c     explain: matching and printing
 * explain_codes.c  the codes explain knows
 * output.c      aligned tables and JSON
 *
 * Values are checked with the kernel's own parsers (smbsign/parse.c and
 * smbsign/peers.c, compiled in), so the tool accepts exactly what the
 * kernel accepts.
 */
#ifndef SMBSIGNCTL_H
#define SMBSIGNCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../smbsign/names.h"
#include "../../smbsign/parse.h"
#include "../../smbsign/peers.h"

#ifndef SMBSIGNCTL_VERSION
#define SMBSIGNCTL_VERSION "0.2.0"
#endif

/* Exit statuses, documented in smbsignctl.8 and in "smbsignctl help". */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* anything else: I/O error, unknown code */
	EXIT_USAGE = 2,		/* unknown command or option, bad value */
	EXIT_NOMODULE = 3,	/* the sysfs directory does not exist */
	EXIT_PERM = 4,		/* not allowed to read or write a file */
	EXIT_REJECTED = 5,	/* the kernel refused a value or it did not stick */
};

#define VALUE_MAX 4096		/* one sysfs page */
#define FIELD_MAX 256		/* a name or an address in a table */
#define U64_DIGITS 21		/* 18446744073709551615 and a NUL */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define __printf(a, b) __attribute__((format(printf, a, b)))

/* ---- names.c ---- */

enum side { SIDE_CLIENT, SIDE_SERVER, NR_SIDES };
extern const char *const side_names[NR_SIDES];

#define NR_ALGS SMBSIGN_PARSE_NR_ALGS
#define alg_names smbsign_parse_alg_names

/* Indexed by enum smbsign_counter and enum smbsign_why (names.h). */
#define NR_COUNTERS SMBSIGN_CNT_COUNT
extern const char *const counter_names[NR_COUNTERS];
#define NR_WHY SMBSIGN_WHY_COUNT
extern const char *const why_names[NR_WHY];

/*
 * Every policy setting, in the order of names.h: the boolean knobs, the
 * peer lists, then the algorithm list. One table serves get, set, the
 * modprobe.d line, check-config and the comparisons.
 */
enum opt_kind { OPT_BOOL, OPT_PEERS, OPT_ALGS };

struct option_desc {
	enum opt_kind kind;
	enum side side;		/* OPT_BOOL, OPT_PEERS */
	const char *file;	/* "require_signing", "algorithms" */
	const char *rel;	/* under /sys/kernel/smbsign: "client/require_signing" */
	const char *param;	/* module parameter: "client_require_signing" */
	bool def;		/* OPT_BOOL: the module's default */
	bool allow_names;	/* OPT_PEERS: host names allowed */
};

enum {
	OPT_CLIENT_REQUIRE = SMBSIGN_KNOB_CLIENT_REQUIRE,
	OPT_SERVER_REQUIRE = SMBSIGN_KNOB_SERVER_REQUIRE,
	OPT_CLIENT_GUEST = SMBSIGN_KNOB_CLIENT_GUEST,
	OPT_CLIENT_AUDIT = SMBSIGN_KNOB_CLIENT_AUDIT,
	OPT_SERVER_AUDIT = SMBSIGN_KNOB_SERVER_AUDIT,
	OPT_CLIENT_PEERS = SMBSIGN_KNOB_COUNT,
	OPT_SERVER_PEERS,
	OPT_ALGORITHMS,
	NR_OPTIONS
};
/* Built from names.h before main() runs (names.c). */
extern const struct option_desc *const options;

const struct option_desc *option_by_param(const char *param, size_t len);
int opt_index(const struct option_desc *o);
/* The option of set: "--require-signing"; NULL for the algorithms. */
const char *opt_flag(int opt);
/* The name get shows: "RequireSecuritySignature". */
const char *opt_field(int opt);
int alg_by_name(const char *name);

/* ---- smbsignctl.c ---- */

extern const char *progname;
int smbsignctl_main(int argc, char **argv);
int err(int code, const char *fmt, ...) __printf(2, 3);
/* Keep the next err() messages in @buf instead of printing; NULL: print. */
void err_capture(char *buf, size_t len);
int usage_err(const char *cmd, const char *fmt, ...) __printf(2, 3);
/* The kernel's boolean grammar (smbsign_parse_bool) on an argument. */
int parse_bool_arg(const char *s, bool *out);

/* ---- paths.c ---- */

enum where {
	W_SYSFS,	/* /sys/kernel/smbsign        SMBSIGNCTL_SYSFS */
	W_SYSMODULE,	/* /sys/module                SMBSIGNCTL_SYSMODULE */
	W_PROCFS,	/* /proc/fs/smbsign           SMBSIGNCTL_PROCFS */
	W_MODCONF,	/* /etc/modprobe.d/smbsign.conf  SMBSIGNCTL_MODPROBE_CONF */
	NR_WHERE
};
const char *where(enum where w);
const char *where_default(enum where w);
const char *where_env(enum where w);
/* Seconds since boot (CLOCK_BOOTTIME), or $SMBSIGNCTL_BOOTTIME. */
int boottime_now(uint64_t *secs);
int path_join(char *buf, size_t len, const char *dir, const char *rel);
/* Read a whole file into a malloc'd NUL-terminated buffer; -errno. */
int read_whole(const char *path, char **out, size_t *len);
/* One error line and an exit status for errno @e of @op on @path. */
int file_error(const char *op, const char *path, int e);

/* ---- sysfs.c ---- */

bool sysfs_loaded(void);
int need_module(void);
int sysfs_path(char *buf, size_t len, const char *rel);
bool sysfs_exists(const char *rel);
int sysfs_read(const char *rel, char *buf, size_t len);
int sysfs_read_u64(const char *rel, char *digits, size_t len);
int sysfs_check_writable(const char *rel);
int sysfs_write(const char *rel, const char *value);
int sysfs_bad_content(const char *rel, const char *what);
/* A decimal unsigned 64-bit number as the kernel prints one. */
bool u64_text_valid(const char *s);

/* ---- policy.c ---- */

/* An algorithm preference list, most preferred first. */
struct alg_list {
	unsigned int nr;
	unsigned int alg[NR_ALGS];
};

#define PEERS_TEXT_MAX (SMBSIGN_PEERS_VALUE_MAX + 1)

/*
 * One value of every option in its normal form: "1"/"0", peers joined by
 * commas as given, algorithm names joined by commas. @present: the value
 * exists (the module has the file, the modprobe.d file sets it).
 */
struct policy {
	bool present[NR_OPTIONS];
	char value[NR_OPTIONS][PEERS_TEXT_MAX];
};

int opt_normalize(const struct option_desc *o, const char *in, size_t len,
		  char *out, size_t outlen);
bool opt_equal(const struct option_desc *o, const char *a, const char *b);
const char *opt_grammar(const struct option_desc *o);
void opt_problem(const struct option_desc *o, const char *val, char *buf,
		 size_t len);
void opt_default(const struct option_desc *o, char *out, size_t len);
int algs_parse_sysfs(char *buf, struct alg_list *out);
void algs_join(const struct alg_list *l, const char *sep, char *buf,
	       size_t len);
int policy_read_running(struct policy *p);
bool policy_bool(const struct policy *p, int opt);
void policy_options_line(const struct policy *p, char *buf, size_t len);
/* Split a normal-form comma list: calls @fn for each item. */
void for_each_item(const char *list, void (*fn)(const char *item, size_t len,
						 void *arg), void *arg);

/* ---- output.c ---- */

void json_string(FILE *f, const char *s);
void json_string_or_null(FILE *f, const char *s);
/* A JSON array of the items of a comma list. */
void json_list(FILE *f, const char *list);
const char *true_false(bool b);
const char *jbool(bool b);

#define TABLE_MAX_ROWS 16
struct table {
	int nr;
	const char *name[TABLE_MAX_ROWS];
	char value[TABLE_MAX_ROWS][PEERS_TEXT_MAX];
};
void table_add(struct table *t, const char *name, const char *fmt, ...)
	__printf(3, 4);
void table_print(const struct table *t, const char *indent);

/* Columns: a header row and cells, each column padded to its widest. */
struct grid {
	int cols, rows, cap;
	char **cell;		/* (rows + 1) * cols, row 0 is the header */
	bool *right;		/* right-align column */
};
void grid_init(struct grid *g, int cols, const char *const *header,
	       const bool *right);
void grid_add(struct grid *g, const char *const *cells);
void grid_print(const struct grid *g, const char *indent);
void grid_free(struct grid *g);
void format_age(uint64_t now, uint64_t then, char *buf, size_t len);

/* ---- config.c ---- */

int cmd_get(int argc, char **argv);
int cmd_set(int argc, char **argv);
void print_side_text(const struct policy *p, enum side side,
		     const char *indent, bool with_algs);
void algs_text(const struct policy *p, char *buf, size_t len);
void print_side_json(const struct policy *p, enum side side);

/* ---- modconf.c ---- */

/* What a modprobe.d file says about smbsign. */
struct modconf {
	const char *path;
	bool exists;
	struct policy set;	/* present[]: the option is set in the file */
	int line_of[NR_OPTIONS];	/* where the last setting is */
	int nr_errors, nr_warnings;
	bool refused;		/* a value the kernel refuses: no load */
	char *text;		/* the file, for rewriting */
	size_t len;
	bool *drop;		/* [physical line]: ours, not kept */
	int nr_lines;
};

/* Report lines go to @report (NULL: none). Returns 0 or an exit status. */
int modconf_load(struct modconf *mc, const char *path, FILE *report);
void modconf_free(struct modconf *mc);
/* The value of option @o at the next load: the file's, else the default. */
const char *modconf_value(const struct modconf *mc, int opt, char *buf,
			  size_t len);
void modconf_render(const struct modconf *mc, const struct policy *running,
		    FILE *out);
/* Lock the file's directory, then write it atomically from @running. */
struct modconf_txn {
	int dirfd;
	char tmp[4096];
	int tmpfd;
};
int modconf_begin(struct modconf_txn *t, const char *path);
int modconf_commit(struct modconf_txn *t, const struct modconf *old,
		   const struct policy *running);
void modconf_abort(struct modconf_txn *t);

/* ---- checkconf.c ---- */

int cmd_check_config(int argc, char **argv);
int cmd_showconf(int argc, char **argv);

/* ---- status.c ---- */

int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* ---- consumers.c ---- */

enum consumer_state { CONSUMER_ABSENT, CONSUMER_STOCK, CONSUMER_BOUND };
/* Indexed by enum side: cifs is the client, ksmbd the server. */
#define NR_CONSUMERS NR_SIDES
extern const char *const consumer_names[NR_CONSUMERS];
int consumers_read(enum consumer_state st[NR_CONSUMERS]);
const char *consumer_text(enum consumer_state s);
const char *consumer_token(enum consumer_state s);
bool consumers_any_bound(const enum consumer_state st[NR_CONSUMERS]);

/* ---- proctable.c ---- */

struct session_row {
	enum side side;
	char address[FIELD_MAX];	/* "" when unknown */
	char name[FIELD_MAX];		/* "" when none */
	char id[19];
	char dialect[8];		/* "" before it is decided */
	char alg[16];			/* "" before it is decided */
	char logon[12];			/* "" before it is decided */
	bool required;
	char why[64];			/* comma list, "" for none */
	char count[3][U64_DIGITS];	/* signed verified failed */
};

struct audit_row {
	enum side side;
	char address[FIELD_MAX];
	char name[FIELD_MAX];
	char count[4][U64_DIGITS];	/* unsigned guest anonymous exempted */
	uint64_t last_seen;
	char last_seen_text[U64_DIGITS];
};

extern const char *const audit_count_names[4];
extern const char *const session_count_names[3];

int proc_read_sessions(struct session_row **rows, int *nr);
int proc_read_audit(struct audit_row **rows, int *nr);

/* ---- sessions.c, audit.c ---- */

int cmd_sessions(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* ---- explain.c ---- */

int cmd_explain(int argc, char **argv);
/*
 * The codes of explain_codes[] that @in names: hit[i] for code i, @n the
 * size of @hit. Returns how many, -EINVAL for a blank @in, -ERANGE when @n
 * (or explain.c's own limit) is smaller than the table.
 */
int explain_match(const char *in, bool *hit, size_t n);

/* explain_codes.c: the table explain.c searches */
#define MAX_ALIASES 8

struct code {
	uint32_t status;		/* the value shown first; 0 for an errno */
	int linux_errno;		/* the errno of a Linux entry, else 0 */
	const char *title;		/* what it means, in a few words */
	const char *names[MAX_ALIASES];	/* names accepted; [0] is shown */
	uint32_t also[MAX_ALIASES];	/* other numbers that mean the same */
	const char *message;		/* the text users see, or NULL */
	const char *phrases[MAX_ALIASES]; /* lower-case pieces of it */
	const char *cause;
	const char *fix;
	const char *source;		/* where the name and value come from */
};
extern const struct code explain_codes[];
extern const size_t nr_explain_codes;

#endif
