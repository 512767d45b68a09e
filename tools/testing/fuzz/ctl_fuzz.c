// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz harness for smbsignctl, linked with every file of tools/smbsignctl
 * but main.c (main() only calls smbsignctl_main()) and with the kernel's
 * parsers the tool compiles in, smbsign/parse.c and smbsign/peers.c.
 *
 * Built like walker_fuzz.c by tools/testing/fuzz (targets.sh): with gcc,
 * ASan and UBSan and -DSTANDALONE for make check, or as a libFuzzer
 * target; both link with -Wl,--wrap=write (the kernel behind the fake
 * sysfs tree, ctl_fuzz_tree.c). An input is a command line, arguments
 * separated by NUL bytes. Each answer of the tool is compared with a
 * model written in the harness, not with the tool's own code, and any
 * disagreement aborts:
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
 *
 * This file has the entry points: setup, one input, and the generator of
 * inputs that -DSTANDALONE builds. The models, the fake tree and the
 * checks have files of their own (ctl_fuzz.h lists them).
 */
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctl_fuzz.h"

struct shared *ctlf_sh;
static const unsigned char *cur_data;
static size_t cur_len;
static pid_t main_pid;
char ctlf_top[256];		/* the temporary directory */

__noreturn void ctlf_fail(const char *what, const char *detail)
{
	size_t i;

	fprintf(stderr, "smbsignctl model broken: %s: '%s'; the tool said '%s'; input:",
		what, detail, ctlf_sh ? ctlf_sh->errors : "");
	for (i = 0; i < cur_len; i++)
		fprintf(stderr, " %02x", cur_data[i]);
	fprintf(stderr, "\n");
	if (getpid() == main_pid)
		ctlf_remove_tree();
	abort();
}

/* ---- the entry points ---- */

static void setenv_or_fail(const char *name, const char *rel)
{
	char path[512];

	ctlf_tree_path(path, sizeof(path), rel);
	if (setenv(name, path, 1))
		ctlf_fail("setenv", name);
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
	ctlf_sh = mmap(NULL, sizeof(*ctlf_sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctlf_sh == MAP_FAILED)
		abort();
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!dirs[i] || !*dirs[i] || access(dirs[i], W_OK))
			continue;
		snprintf(ctlf_top, sizeof(ctlf_top), "%s/smbsignctl-fuzz.XXXXXX", dirs[i]);
		if (mkdtemp(ctlf_top))
			break;
		ctlf_top[0] = '\0';
	}
	if (!ctlf_top[0])
		ctlf_fail("no temporary directory", strerror(errno));
	atexit(ctlf_remove_tree);
	for (k = 0; k < NR_OPTIONS; k++)
		if (strcmp(options[k].rel, ctlf_mopts[k].rel) ||
		    strcmp(options[k].param, ctlf_mopts[k].param) ||
		    (ctlf_mopts[k].flag && strcmp(opt_flag(k), ctlf_mopts[k].flag)))
			ctlf_fail("the tool's settings are not the ABI's", ctlf_mopts[k].rel);
	if (nr_explain_codes > MODEL_CODES)
		ctlf_fail("explain_codes[] has more codes than the model holds", "");
	for (i = 0; i < nr_explain_codes; i++)
		for (k = 0; k < MAX_ALIASES && explain_codes[i].phrases[k]; k++) {
			ctlf_phrases[i][k] = strdup(explain_codes[i].phrases[k]);
			if (!ctlf_phrases[i][k])
				abort();
			ctlf_model_normalize(explain_codes[i].phrases[k], ctlf_phrases[i][k]);
		}
	ctlf_tree_path(ctlf_sysfs_dir, sizeof(ctlf_sysfs_dir), "sys");
	ctlf_tree_path(ctlf_absent_dir, sizeof(ctlf_absent_dir), "absent");
	ctlf_tree_path(ctlf_conf_dir, sizeof(ctlf_conf_dir), "modprobe.d");
	ctlf_tree_path(ctlf_conf_path, sizeof(ctlf_conf_path), "modprobe.d/smbsign.conf");
	ctlf_build_tree();
	/* What the table says does not depend on the input: check it once. */
	for (i = 0; i < nr_explain_codes; i++)
		for (k = 0; k < (int)ARRAY_SIZE(cases); k++)
			ctlf_check_code(&explain_codes[i], cases[k]);
	ctlf_setenv_sysfs(true);
	setenv_or_fail("SMBSIGNCTL_SYSMODULE", "module");
	setenv_or_fail("SMBSIGNCTL_PROCFS", "proc");
	setenv_or_fail("SMBSIGNCTL_MODPROBE_CONF", "modprobe.d/smbsign.conf");
	if (setenv("SMBSIGNCTL_BOOTTIME", "1000", 1))
		ctlf_fail("setenv", "SMBSIGNCTL_BOOTTIME");
	err_capture(ctlf_sh->errors, sizeof(ctlf_sh->errors));
	if (!freopen("/dev/null", "w", stdout))
		abort();
	ctlf_start_helper();
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
		ctlf_check_arg(argv[i]);
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
			ctlf_check_value(M_ALGORITHMS, list);
	}
	/* The arguments as the words of the algorithms file. */
	for (n = 0; n < len; n++)
		whole[n] = data[n] ? (char)data[n] : ' ';
	ctlf_check_alg_file(whole);
	ctlf_check_explain_text(text);
	for (n = 0; n < len && n < 4; n++)
		v |= (unsigned int)data[n] << (8 * n);
	ctlf_check_number_spellings(v & 0x80 ? v % 5000 : v);
	c = &explain_codes[v % nr_explain_codes];
	if (c->names[0])
		ctlf_check_name_spellings(c->names[(v >> 3) % ctlf_name_count(c)], v >> 8);
	ctlf_check_pieces(c, len > 4 ? data[4] : ' ', v >> 3);
	ctlf_check_command_line(argc, argv);

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
			add_word(buf, &len, max, ctlf_model_commands[next_rand() %
						 ARRAY_SIZE(ctlf_model_commands)]);
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
