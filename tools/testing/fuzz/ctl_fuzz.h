/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ctl fuzz harness (the ctl target of targets.sh): what its files
 * share. ctl_fuzz.c says what the harness checks.
 *
 * ctl_fuzz.c          the entry points: setup, one input, the generator
 *                     of -DSTANDALONE, and ctlf_fail()
 * ctl_fuzz_models.c   the settings as the ABI has them, the models of
 *                     values and the model of explain
 * ctl_fuzz_tree.c     the fake tree, and the kernel behind it
 * ctl_fuzz_checks.c   the checks of values and of explain
 * ctl_fuzz_cmdline.c  the model of the command line and the checks of
 *                     whole command lines
 *
 * What one file gives another is named ctlf_*, apart from the tool's
 * names that the harness links with.
 */
#ifndef CTL_FUZZ_H
#define CTL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../smbsignctl/smbsignctl.h"

#define MAX_ARGS	32
#define TEXT_MAX	1024	/* explain's limit, NUL included */
#define MODEL_CODES	32	/* the most codes the model holds */
#define EXIT_0_OR_1	(-1)	/* exit 0 and 1 are both right */
#define LOG_MAX		16	/* sysfs writes kept per command */
#define __noreturn	__attribute__((noreturn))

/*
 * What the parent must see of a command run in a child (set,
 * ctl_fuzz_cmdline.c): its error line and its sysfs writes. Shared
 * memory, so one place serves both.
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

/* ---- ctl_fuzz.c ---- */

extern struct shared *ctlf_sh;
extern char ctlf_top[256];		/* the temporary directory */

/* A model disagrees: print the input and abort. */
__noreturn void ctlf_fail(const char *what, const char *detail);

/* ---- ctl_fuzz_models.c ---- */

enum mkind { M_BOOL, M_PEERS, M_ALGS };

struct mopt {
	enum mkind kind;
	const char *side;	/* NULL: both */
	const char *rel, *param, *flag;
	bool names;		/* a peer list that may hold host names */
	const char *content, *normal;
};

/* The settings, in the order of names.h (ctl_fuzz_models.c asserts it). */
extern const struct mopt ctlf_mopts[];
#define NR_MOPTS ((int)NR_OPTIONS)
#define M_ALGORITHMS (NR_MOPTS - 1)

extern const char *const ctlf_model_alg_names[];

struct mlist {
	unsigned int nr;
	unsigned int alg[NR_ALGS];
};

int ctlf_model_alg(const char *s, size_t n);
int ctlf_model_bool(const char *s, bool *v);
int ctlf_model_list(const char *s, struct mlist *l);
int ctlf_model_alg_file(const char *s, struct mlist *l);
void ctlf_show_algs(const struct mlist *l, char *buf, size_t len);
int ctlf_model_value(int opt, const char *val, char *out, size_t len);

struct named {
	bool hit[MODEL_CODES];
	int nr;
};

/* The phrases of the table, read as explain reads text (setup()). */
extern char *ctlf_phrases[MODEL_CODES][MAX_ALIASES];

void ctlf_model_normalize(const char *in, char *out);
bool ctlf_prefixed(const char *s, const char *prefix);
int ctlf_model_explain(const char *in, struct named *m);

/* ---- ctl_fuzz_tree.c ---- */

/* stats/reset, after the settings among the files the tree watches */
#define W_RESET		NR_MOPTS

extern char ctlf_sysfs_dir[512], ctlf_absent_dir[512], ctlf_conf_dir[512];
extern char ctlf_conf_path[512];
/* smbsign.conf as the tree has it, and its lines that are not smbsign's */
extern const char ctlf_conf_text[];
extern const char *const ctlf_conf_kept[2];

void ctlf_tree_path(char *buf, size_t len, const char *rel);
void ctlf_put_file(const char *rel, const char *text);
void ctlf_reset_tree(void);
void ctlf_build_tree(void);
void ctlf_remove_tree(void);

/* write(2) itself, past __wrap_write() (-Wl,--wrap=write) */
ssize_t __real_write(int fd, const void *buf, size_t count);

/* ---- ctl_fuzz_checks.c ---- */

void ctlf_check_alg_file(const char *s);
void ctlf_check_value(int opt, const char *val);
void ctlf_check_arg(const char *arg);
void ctlf_check_explain_text(const char *text);
void ctlf_check_name_spellings(const char *name, unsigned int bits);
void ctlf_check_number_spellings(unsigned int v);
void ctlf_check_pieces(const struct code *c, unsigned char sep,
		       unsigned int pick);
void ctlf_check_code(const struct code *c, unsigned int bits);
size_t ctlf_name_count(const struct code *c);

/* ---- ctl_fuzz_cmdline.c ---- */

/* get, set, showconf, check-config, status, stats, sessions, audit, explain */
extern const char *const ctlf_model_commands[9];

void ctlf_setenv_sysfs(bool loaded);
void ctlf_start_helper(void);
void ctlf_check_command_line(int argc, char **argv);

#endif
