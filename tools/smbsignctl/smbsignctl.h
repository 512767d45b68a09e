/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsignctl: shared declarations.
 *
 * main.c        main(), nothing else
 * smbsignctl.c  command line, dispatch, help
 * sysfs.c       reading and writing /sys/kernel/smbsign (or $SMBSIGNCTL_SYSFS)
 * output.c      "Name : Value" tables and JSON
 * config.c      get and set
 * status.c      status and stats
 * explain.c     the error code table and explain
 */
#ifndef SMBSIGNCTL_H
#define SMBSIGNCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifndef SMBSIGNCTL_VERSION
#define SMBSIGNCTL_VERSION "0.2.0"
#endif

#define SYSFS_DEFAULT "/sys/kernel/smbsign"
#define SYSFS_ENV "SMBSIGNCTL_SYSFS"
#define MODPROBE_CONF "/etc/modprobe.d/smbsign.conf"

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
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __printf(a, b) __attribute__((format(printf, a, b)))

/* The sides, algorithms and counters of the ABI, in the order shown. */
enum side { SIDE_CLIENT, SIDE_SERVER, NR_SIDES };
#define NR_ALGS 3
#define NR_COUNTERS 8

extern const char *const side_names[NR_SIDES];
/* sysfs names ("aes-gmac") and display names ("AES-GMAC"), same order */
extern const char *const alg_names[NR_ALGS];
extern const char *const alg_display[NR_ALGS];
extern const char *const counter_names[NR_COUNTERS];

/* smbsignctl.c */
extern const char *progname;
int smbsignctl_main(int argc, char **argv);
int err(int code, const char *fmt, ...)
	__printf(2, 3);
/* Keep the next err() messages in @buf instead of printing; NULL: print. */
void err_capture(char *buf, size_t len);
int usage_err(const char *cmd, const char *fmt, ...)
	__printf(2, 3);
int parse_bool_arg(const char *s, bool *out);
int find_alg(const char *name);

/* sysfs.c */
const char *sysfs_root(void);
bool sysfs_loaded(void);
int need_module(void);
int sysfs_path(char *buf, size_t len, const char *rel);
int sysfs_read(const char *rel, char *buf, size_t len);
int sysfs_read_bool(const char *rel, bool *out);
int sysfs_read_u64(const char *rel, char *digits, size_t len);
int sysfs_check_writable(const char *rel);
int sysfs_write(const char *rel, const char *value);

/* The algorithms file: enabled ones in order of preference, then disabled. */
struct alg_list {
	int nr_enabled;
	int enabled[NR_ALGS];
	int nr_disabled;
	int disabled[NR_ALGS];
};
const char *parse_algs(char *buf, struct alg_list *out);
int sysfs_read_algs(struct alg_list *out);
int sysfs_read_back(const char *rel, char *have, size_t len);
int parse_alg_args(int argc, char **argv, struct alg_list *out);
void format_algs(const struct alg_list *l, char sep, char *buf, size_t len);

/* output.c */
void json_string(FILE *f, const char *s);
struct table {
	int nr;
	const char *name[16];
	char value[16][256];
};
void table_add(struct table *t, const char *name, const char *fmt, ...)
	__printf(3, 4);
void table_print(const struct table *t);
const char *true_false(bool b);

/* config.c */
struct side_conf {
	bool require, guest, audit;	/* guest: client only */
	struct alg_list algs;
};
int read_side(enum side side, struct side_conf *c);
int cmd_get(int argc, char **argv);
int cmd_set(int argc, char **argv);

/* status.c */
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* explain.c */
#define NR_EXPLAIN_CODES 5
/* Which codes @in names: bit i for entry i of the table; 0 for none. */
unsigned int explain_match(const char *in);
int cmd_explain(int argc, char **argv);

#endif
