// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for tests/run: the file named by $SMBSIGNCTL_TEST_REJECT
 * behaves like a sysfs file whose kernel rejects every value: opening it
 * for writing never truncates it, and a write to it fails with EINVAL,
 * changing nothing. Reads go through. The test then needs no real kernel
 * file with that behaviour, and writes nothing outside its own tree.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int is_rejecting(const char *path)
{
	const char *reject = getenv("SMBSIGNCTL_TEST_REJECT");
	char real[PATH_MAX];

	return reject && realpath(path, real) && !strcmp(real, reject);
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
	if ((flags & O_TRUNC) && is_rejecting(path))
		flags &= ~O_TRUNC;
	return real_open(path, flags, mode);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	static ssize_t (*real_write)(int, const void *, size_t);
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (!real_write)
		real_write = (ssize_t (*)(int, const void *, size_t))
			     dlsym(RTLD_NEXT, "write");
	if (fd > 2 && getenv("SMBSIGNCTL_TEST_REJECT")) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n > 0) {
			path[n] = 0;
			if (is_rejecting(path)) {
				errno = EINVAL;
				return -1;
			}
		}
	}
	return real_write(fd, buf, count);
}
