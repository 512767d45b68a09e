// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: reading and writing the files of /sys/kernel/smbsign
 * ($SMBSIGNCTL_SYSFS). Every function here returns 0 or an exit status
 * (EXIT_*) after printing the one error line.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smbsignctl.h"

bool sysfs_loaded(void)
{
	struct stat st;

	return stat(where(W_SYSFS), &st) == 0 && S_ISDIR(st.st_mode);
}

int need_module(void)
{
	if (sysfs_loaded())
		return 0;
	return err(EXIT_NOMODULE,
		   "the smbsign module is not loaded (%s does not exist); load it with: modprobe smbsign",
		   where(W_SYSFS));
}

int sysfs_path(char *buf, size_t len, const char *rel)
{
	return path_join(buf, len, where(W_SYSFS), rel);
}

bool sysfs_exists(const char *rel)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", where(W_SYSFS), rel);

	return n > 0 && (size_t)n < sizeof(path) && access(path, F_OK) == 0;
}

/* Turn errno @e of operation @op ("read", "write") on @rel into one error
 * line and an exit status. @value is what was written, or NULL.
 */
static int io_error(const char *op, const char *rel, const char *value, int e)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", where(W_SYSFS), rel);
	if (e == ENOENT && !sysfs_loaded())
		return need_module();
	if (value && e == EINVAL)
		return err(EXIT_REJECTED, "the kernel rejected '%s' for %s: %s",
			   value, path, strerror(e));
	if (e == ENOENT)
		return err(EXIT_FAIL, "cannot %s %s: %s (does the loaded smbsign module match this tool?)",
			   op, path, strerror(e));
	return file_error(op, path, e);
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

int sysfs_bad_content(const char *rel, const char *what)
{
	return err(EXIT_FAIL, "unexpected content in %s/%s: '%s'",
		   where(W_SYSFS), rel, what);
}

/* No sign, no leading zero, at most 2^64 - 1: what "%llu" prints. */
bool u64_text_valid(const char *s)
{
	size_t n = strlen(s);

	return n && n <= 20 && strspn(s, "0123456789") == n &&
	       (n == 1 || s[0] != '0') &&
	       (n < 20 || strcmp(s, "18446744073709551615") <= 0);
}

/* A counter: a decimal unsigned 64-bit number, kept as digits. */
int sysfs_read_u64(const char *rel, char *digits, size_t len)
{
	int rc = sysfs_read(rel, digits, len);

	if (rc)
		return rc;
	return u64_text_valid(digits) ? 0 : sysfs_bad_content(rel, digits);
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
	char path[4096], buf[VALUE_MAX + 1];
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
