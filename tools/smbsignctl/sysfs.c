// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: reading and writing the files of /sys/kernel/smbsign.
 *
 * The root can be moved with $SMBSIGNCTL_SYSFS so the tool can be tested
 * against a fake tree. Every function here returns 0 or an exit status
 * (EXIT_*) after printing the one error line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smbsignctl.h"

const char *sysfs_root(void)
{
	const char *env = getenv(SYSFS_ENV);

	return env && *env ? env : SYSFS_DEFAULT;
}

bool sysfs_loaded(void)
{
	struct stat st;

	return stat(sysfs_root(), &st) == 0 && S_ISDIR(st.st_mode);
}

int need_module(void)
{
	if (sysfs_loaded())
		return 0;
	return err(EXIT_NOMODULE,
		   "the smbsign module is not loaded (%s does not exist); load it with: modprobe smbsign",
		   sysfs_root());
}

int sysfs_path(char *buf, size_t len, const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", sysfs_root(), rel);

	if (n < 0 || (size_t)n >= len)
		return err(EXIT_FAIL, "path too long: %s/%s", sysfs_root(), rel);
	return 0;
}

/* Turn errno @e of operation @op ("read", "write") on @rel into one error
 * line and an exit status. @value is what was written, or NULL.
 */
static int io_error(const char *op, const char *rel, const char *value, int e)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", sysfs_root(), rel);
	if (e == ENOENT && !sysfs_loaded())
		return need_module();
	if (e == EACCES || e == EPERM)
		return err(EXIT_PERM, "cannot %s %s: %s (run as root)",
			   op, path, strerror(e));
	if (value && e == EINVAL)
		return err(EXIT_REJECTED, "the kernel rejected '%s' for %s: %s",
			   value, path, strerror(e));
	if (e == ENOENT)
		return err(EXIT_FAIL, "cannot %s %s: %s (does the loaded smbsign module match this tool?)",
			   op, path, strerror(e));
	return err(EXIT_FAIL, "cannot %s %s: %s", op, path, strerror(e));
}

/* Read @rel into @buf, NUL-terminated, without its trailing newline. */
int sysfs_read(const char *rel, char *buf, size_t len)
{
	char path[4096];
	size_t got = 0;
	ssize_t n;
	int fd, rc;

	rc = sysfs_path(path, sizeof(path), rel);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_error("read", rel, NULL, errno);
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return io_error("read", rel, NULL, e);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	if (got && buf[got - 1] == '\n')
		buf[got - 1] = '\0';
	return 0;
}

static int bad_content(const char *rel, const char *what)
{
	return err(EXIT_FAIL, "unexpected content in %s/%s: '%s'",
		   sysfs_root(), rel, what);
}

int sysfs_read_bool(const char *rel, bool *out)
{
	char buf[64];
	int rc = sysfs_read(rel, buf, sizeof(buf));

	if (rc)
		return rc;
	if (!strcmp(buf, "1") || !strcmp(buf, "Y"))
		*out = true;
	else if (!strcmp(buf, "0") || !strcmp(buf, "N"))
		*out = false;
	else
		return bad_content(rel, buf);
	return 0;
}

/* A counter: a decimal unsigned 64-bit number, kept as digits. */
int sysfs_read_u64(const char *rel, char *digits, size_t len)
{
	int rc = sysfs_read(rel, digits, len);
	size_t n;

	if (rc)
		return rc;
	n = strlen(digits);
	if (n == 0 || n > 20 || strspn(digits, "0123456789") != n ||
	    (n > 1 && digits[0] == '0') ||
	    (n == 20 && strcmp(digits, "18446744073709551615") > 0))
		return bad_content(rel, digits);
	return 0;
}

/* Fail early, before anything is written, when @rel cannot be written. */
int sysfs_check_writable(const char *rel)
{
	char path[4096];
	int rc = sysfs_path(path, sizeof(path), rel);

	if (rc)
		return rc;
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) < 0)
		return io_error("write", rel, NULL, errno);
	return 0;
}

/* Write @value followed by a newline with one write(2). */
int sysfs_write(const char *rel, const char *value)
{
	char path[4096], buf[VALUE_MAX];
	size_t len;
	ssize_t n;
	int fd, rc;

	rc = sysfs_path(path, sizeof(path), rel);
	if (rc)
		return rc;
	len = (size_t)snprintf(buf, sizeof(buf), "%s\n", value);
	if (len >= sizeof(buf))
		return err(EXIT_USAGE, "value too long for %s", path);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return io_error("write", rel, value, errno);
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		close(fd);
		return io_error("write", rel, value, e);
	}
	if (close(fd) < 0)
		return io_error("write", rel, value, errno);
	if ((size_t)n != len)
		return err(EXIT_REJECTED, "short write to %s: %zd of %zu bytes",
			   path, n, len);
	return 0;
}

/*
 * The algorithms file: "[aes-gmac] [aes-cmac] hmac-sha256", enabled ones
 * in brackets, most preferred first, then the disabled ones. Returns the
 * offending token (a piece of @buf, which is cut up), or NULL when @buf
 * parses.
 */
const char *parse_algs(char *buf, struct alg_list *out)
{
	bool seen[NR_ALGS] = { false };
	char *tok, *save = NULL;
	int a;

	memset(out, 0, sizeof(*out));
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		size_t n = strlen(tok);
		bool on = n > 2 && tok[0] == '[' && tok[n - 1] == ']';

		if (on) {
			tok[n - 1] = '\0';
			tok++;
		}
		a = find_alg(tok);
		/* unknown, twice, or enabled after a disabled one */
		if (a < 0 || seen[a] || (on && out->nr_disabled))
			return tok;
		seen[a] = true;
		if (on)
			out->enabled[out->nr_enabled++] = a;
		else
			out->disabled[out->nr_disabled++] = a;
	}
	return out->nr_enabled ? NULL : "(no algorithm enabled)";
}

int sysfs_read_algs(struct alg_list *out)
{
	char buf[VALUE_MAX];
	const char *bad;
	int rc;

	rc = sysfs_read("algorithms", buf, sizeof(buf));
	if (rc)
		return rc;
	bad = parse_algs(buf, out);
	return bad ? bad_content("algorithms", bad) : 0;
}

/*
 * Read @rel back after writing it: the value that is there now, formatted
 * like format_algs(',') or "1"/"0", into @have; what was read when it does
 * not parse.
 */
int sysfs_read_back(const char *rel, char *have, size_t len)
{
	char buf[VALUE_MAX], raw[VALUE_MAX];
	struct alg_list l;
	int rc;

	rc = sysfs_read(rel, buf, sizeof(buf));
	if (rc)
		return rc;
	snprintf(raw, sizeof(raw), "%s", buf);
	if (!strcmp(rel, "algorithms")) {
		if (parse_algs(buf, &l))
			snprintf(have, len, "%s", raw);
		else
			format_algs(&l, ',', have, len);
	} else if (!strcmp(buf, "Y") || !strcmp(buf, "N")) {
		snprintf(have, len, "%d", buf[0] == 'Y');
	} else {
		snprintf(have, len, "%s", raw);
	}
	return 0;
}

/*
 * The algorithms given on the command line: one or more names separated by
 * commas or spaces, across one or more arguments, case-insensitive, each
 * at most once. The disabled list is filled with the rest, in ABI order.
 */
int parse_alg_args(int argc, char **argv, struct alg_list *out)
{
	bool seen[NR_ALGS] = { false };
	char buf[VALUE_MAX], *tok, *save = NULL;
	int i, a;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < argc; i++) {
		if (snprintf(buf, sizeof(buf), "%s", argv[i]) >= (int)sizeof(buf))
			return usage_err("set", "algorithm list too long");
		for (tok = strtok_r(buf, ", \t\n", &save); tok;
		     tok = strtok_r(NULL, ", \t\n", &save)) {
			a = find_alg(tok);
			if (a < 0)
				return usage_err("set", "unknown algorithm '%s' (known: hmac-sha256, aes-cmac, aes-gmac)",
						 tok);
			if (seen[a])
				return usage_err("set", "algorithm '%s' given twice",
						 alg_names[a]);
			seen[a] = true;
			out->enabled[out->nr_enabled++] = a;
		}
	}
	if (!out->nr_enabled)
		return usage_err("set", "empty algorithm list");
	for (a = 0; a < NR_ALGS; a++)
		if (!seen[a])
			out->disabled[out->nr_disabled++] = a;
	return 0;
}

/* "aes-cmac,hmac-sha256" (sep ',') or "aes-cmac hmac-sha256" (sep ' ') */
void format_algs(const struct alg_list *l, char sep, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < l->nr_enabled && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? (char[]){ sep, '\0' } : "",
					 alg_names[l->enabled[i]]);
}
