// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl fuzz harness (ctl_fuzz.c): whole command lines. The model of
 * the command line (the exit status of every command, what set changes),
 * and the checks of a command line run through smbsignctl_main() against
 * the fake tree: set in a child of a helper process, the rest in the
 * harness, with the module loaded and, where it matters, without it.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_fuzz.h"

/* ---- the model of the command line ---- */

const char *const ctlf_model_commands[] = {
	"get", "set", "showconf", "check-config", "status", "stats",
	"sessions", "audit", "explain",
};

static bool is_command(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctlf_model_commands); i++)
		if (!strcmp(s, ctlf_model_commands[i]))
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
	if (ctlf_model_value(opt, val, s->want[s->nr], sizeof(s->want[0])))
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
			if (ctlf_mopts[o].flag && !strcmp(ctlf_mopts[o].side, argv[1]) &&
			    strlen(ctlf_mopts[o].flag) == n &&
			    !strncmp(arg, ctlf_mopts[o].flag, n))
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
	if (stat(i ? argv[i] : ctlf_conf_path, &st) || S_ISDIR(st.st_mode))
		return EXIT_FAIL;
	if (!stat(ctlf_conf_path, &conf) && st.st_ino == conf.st_ino &&
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
	nr = ctlf_model_explain(in, &m);
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

/* ---- the checks of the whole command line ---- */

void ctlf_setenv_sysfs(bool loaded)
{
	if (setenv("SMBSIGNCTL_SYSFS", loaded ? ctlf_sysfs_dir : ctlf_absent_dir, 1))
		ctlf_fail("setenv", strerror(errno));
}

static int run_here(int argc, char **argv)
{
	int rc;

	ctlf_sh->nr_writes = 0;
	err_capture(ctlf_sh->errors, sizeof(ctlf_sh->errors));
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
			err_capture(ctlf_sh->errors, sizeof(ctlf_sh->errors));
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

void ctlf_start_helper(void)
{
	int req[2], ans[2];
	pid_t pid;

	if (pipe(req) || pipe(ans))
		ctlf_fail("pipe", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		ctlf_fail("fork", strerror(errno));
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
			ctlf_fail("command line too long for the helper", argv[1]);
		memcpy(blob + len, argv[i], n);
		len += n;
	}
	ctlf_sh->nr_writes = 0;
	ctlf_sh->errors[0] = '\0';
	if (!write_all(to_helper, &len, sizeof(len)) ||
	    !write_all(to_helper, blob, len) ||
	    !read_all(from_helper, &status, sizeof(status)))
		ctlf_fail("the helper that runs set is gone", "");
	if (status == -1 || !WIFEXITED(status))
		ctlf_fail("set died", argv[1]);
	return WEXITSTATUS(status);
}

static char *slurp(const char *path, size_t *len)
{
	static char buf[64 << 10];
	FILE *f = fopen(path, "r");

	if (!f)
		ctlf_fail("cannot read back", path);
	*len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Nothing in modprobe.d but smbsign.conf: set leaves no temporary file. */
static void check_no_leftovers(void)
{
	struct dirent *e;
	DIR *d = opendir(ctlf_conf_dir);

	if (!d)
		ctlf_fail("cannot read", ctlf_conf_dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "smbsign.conf"))
			ctlf_fail("a file was left in modprobe.d", e->d_name);
	closedir(d);
}

/* No sysfs write, smbsign.conf as it was. */
static void check_untouched(const char *cmd)
{
	size_t len;

	if (ctlf_sh->nr_writes)
		ctlf_fail("a command that must not write wrote to sysfs", cmd);
	if (strcmp(slurp(ctlf_conf_path, &len), ctlf_conf_text))
		ctlf_fail("a command that must not write changed smbsign.conf", cmd);
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
	const char *value[NR_OPTIONS], *expect[4 + ARRAY_SIZE(ctlf_conf_kept)];
	static char *check_argv[] = { "smbsignctl", "check-config", NULL };
	struct mlist l;
	size_t len, used;
	int i;

	if (ctlf_sh->nr_writes != ms->nr)
		ctlf_fail("set wrote another number of files than it changes", "");
	for (i = 0; i < NR_OPTIONS; i++)
		value[i] = ctlf_mopts[i].normal;
	for (i = 0; i < ms->nr; i++) {
		snprintf(want, sizeof(want), "%s\n", ms->want[i]);
		if (ctlf_sh->w[i].file != ms->opt[i] || strcmp(ctlf_sh->w[i].data, want) ||
		    ctlf_sh->w[i].len != strlen(want))
			ctlf_fail("set wrote another value or file", ctlf_sh->w[i].data);
		value[ms->opt[i]] = ms->want[i];
	}
	for (i = 0; i < NR_OPTIONS; i++) {
		if (ctlf_mopts[i].kind == M_ALGS) {
			ctlf_model_list(value[i], &l);
			ctlf_show_algs(&l, want, sizeof(want));
		} else {
			snprintf(want, sizeof(want), "%s\n", value[i]);
		}
		ctlf_tree_path(path, sizeof(path), "sys");
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s",
			 ctlf_mopts[i].rel);
		if (strcmp(slurp(path, &len), want))
			ctlf_fail("a setting reads another value after set", ctlf_mopts[i].rel);
	}
	check_no_leftovers();
	text = slurp(ctlf_conf_path, &len);
	if (ms->runtime_only) {
		if (strcmp(text, ctlf_conf_text))
			ctlf_fail("set --runtime-only changed smbsign.conf", text);
		return;
	}
	used = (size_t)snprintf(line, sizeof(line), "options smbsign");
	for (i = 0; i < NR_OPTIONS; i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 value[i][0] ? " %s=%s" : " %s=\"%s\"",
					 ctlf_mopts[i].param, value[i]);
	expect[0] = expect[1] = expect[2] = "#";
	expect[3] = line;
	for (i = 0; i < (int)ARRAY_SIZE(ctlf_conf_kept); i++)
		expect[4 + i] = ctlf_conf_kept[i];
	for (i = 0; i < (int)ARRAY_SIZE(expect); i++) {
		nl = strchr(text, '\n');
		if (!nl)
			ctlf_fail("smbsign.conf has fewer lines than set writes", text);
		*nl = '\0';
		if (i < 3 ? strncmp(text, "# ", 2) : strcmp(text, expect[i]))
			ctlf_fail("set saved another smbsign.conf", text);
		text = nl + 1;
	}
	if (*text)
		ctlf_fail("smbsign.conf has more lines than set writes", text);
	if (run_here(2, check_argv) != EXIT_OK || ctlf_sh->nr_writes)
		ctlf_fail("check-config finds fault with the file set wrote", "");
}

static void check_set(int argc, char **argv)
{
	static struct mset ms;
	int want = model_main(argc, argv, true, &ms), rc;

	rc = run_forked(argc, argv);
	if (rc != want)
		ctlf_fail("set exit status", argv[argc - 1]);
	if (rc || model_help(argc, argv))
		check_untouched("set");
	else
		check_set_result(&ms);
	if (!rc)
		ctlf_reset_tree();
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
	snprintf(path, sizeof(path), "%s/%s", ctlf_top, argv[i + 1]);
	free(argv[i + 1]);
	argv[i + 1] = strdup(path);
	if (!argv[i + 1])
		abort();
	return true;
}

void ctlf_check_command_line(int argc, char **argv)
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
		ctlf_fail("exit status with the module loaded", cmd);
	reset = !strcmp(cmd, "stats") && !rc && !model_help(argc, argv);
	for (i = 2; reset && i < argc && strcmp(argv[i], "--reset"); i++)
		;
	if (reset && i < argc) {
		if (ctlf_sh->nr_writes != 1 || ctlf_sh->w[0].file != W_RESET ||
		    strcmp(ctlf_sh->w[0].data, "1\n"))
			ctlf_fail("stats --reset did not write 1 to stats/reset", "");
		ctlf_sh->nr_writes = 0;
		ctlf_put_file("sys/stats/reset", "");
	}
	check_untouched(cmd);
	module_matters = !strcmp(cmd, "get") || !strcmp(cmd, "showconf") ||
		       !strcmp(cmd, "status") || !strcmp(cmd, "stats") ||
		       !strcmp(cmd, "sessions") || !strcmp(cmd, "audit") ||
		       !strcmp(cmd, "version") || !strcmp(cmd, "--version");
	if (!module_matters)
		return;
	ctlf_setenv_sysfs(false);
	want = model_main(argc, argv, false, &ms);
	rc = run_here(argc, argv);
	ctlf_setenv_sysfs(true);
	if (rc != want)
		ctlf_fail("exit status without the module", cmd);
	check_untouched(cmd);
}
