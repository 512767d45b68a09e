// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/run: makes files of the fake trees behave the
 * way the kernel's do where a plain file cannot, so the tests need no
 * kernel and write nothing outside their own directory. Each variable
 * names one file (a resolved path):
 *
 * SMBSIGNCTL_TEST_REJECT       a write fails with EINVAL and changes
 *                              nothing: a value the kernel refuses
 * SMBSIGNCTL_TEST_IGNORE       a write succeeds and changes nothing: a
 *                              value that does not stick
 * SMBSIGNCTL_TEST_ALGS         the algorithms file: a write is parsed as
 *                              the kernel parses it and the file then
 *                              reads as the kernel shows it,
 *                              "[aes-cmac] [hmac-sha256] aes-gmac"
 * SMBSIGNCTL_TEST_FAIL_RENAME  a rename(2) onto it fails with EIO, as on
 *                              a disk that fails at the last step of
 *                              saving the policy
 *
 * Opening any of the first three for writing never truncates it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const algs[] = { "hmac-sha256", "aes-cmac", "aes-gmac" };

static bool is(const char *var, const char *path)
{
	const char *want = getenv(var);
	char real[PATH_MAX];

	return want && realpath(path, real) && !strcmp(real, want);
}

static bool special(const char *path)
{
	return is("SMBSIGNCTL_TEST_REJECT", path) ||
	       is("SMBSIGNCTL_TEST_IGNORE", path) ||
	       is("SMBSIGNCTL_TEST_ALGS", path);
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;

	if (!real_open)
		real_open = (int (*)(const char *, int, ...))
			    dlsym(RTLD_NEXT, "open");
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if ((flags & O_TRUNC) && special(path))
		flags &= ~O_TRUNC;
	return real_open(path, flags, mode);
}

/* The kernel's algorithms store: names split at blanks and commas. */
static ssize_t write_algs(int fd, const char *buf, size_t count)
{
	char in[256], out[256], *tok, *save = NULL;
	bool seen[3] = { false };
	size_t used = 0, n = 0, i;

	if (count >= sizeof(in))
		goto inval;
	memcpy(in, buf, count);
	in[count] = '\0';
	if (count && in[count - 1] == '\n')
		in[count - 1] = '\0';
	if (strpbrk(in, "\t\n["))
		goto inval;
	for (tok = strtok_r(in, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < 3 && strcasecmp(tok, algs[i]); i++)
			;
		if (i == 3 || seen[i])
			goto inval;
		seen[i] = true;
		used += snprintf(out + used, sizeof(out) - used, "%s[%s]",
				 n++ ? " " : "", algs[i]);
	}
	if (!n)
		goto inval;
	for (i = 0; i < 3; i++)
		if (!seen[i])
			used += snprintf(out + used, sizeof(out) - used, " %s",
					 algs[i]);
	used += snprintf(out + used, sizeof(out) - used, "\n");
	if (ftruncate(fd, 0) || pwrite(fd, out, used, 0) != (ssize_t)used)
		return -1;
	return (ssize_t)count;
inval:
	errno = EINVAL;
	return -1;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))
			     dlsym(RTLD_NEXT, "write");
	if (fd > 2) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = 0;
			if (is("SMBSIGNCTL_TEST_REJECT", path)) {
				errno = EINVAL;
				return -1;
			}
			if (is("SMBSIGNCTL_TEST_IGNORE", path))
				return (ssize_t)count;
			if (is("SMBSIGNCTL_TEST_ALGS", path))
				return write_algs(fd, buf, count);
		}
	}
	return real_write(fd, buf, count);
}

int rename(const char *from, const char *to)
{
	static int (*real_rename)(const char *, const char *);
	const char *fail = getenv("SMBSIGNCTL_TEST_FAIL_RENAME");

	if (!real_rename)
		real_rename = (int (*)(const char *, const char *))
			      dlsym(RTLD_NEXT, "rename");
	if (fail && !strcmp(to, fail)) {
		errno = EIO;
		return -1;
	}
	return real_rename(from, to);
}
