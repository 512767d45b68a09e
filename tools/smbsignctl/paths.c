// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: where things are, and reading whole files.
 *
 * Each place can be moved with an environment variable, so that the tool
 * can be tested against fake trees of ordinary files (tests/run) and
 * never touches the host's /etc or /sys there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "smbsignctl.h"

static const struct {
	const char *def, *env;
} places[NR_WHERE] = {
	[W_SYSFS] = { "/sys/kernel/smbsign", "SMBSIGNCTL_SYSFS" },
	[W_SYSMODULE] = { "/sys/module", "SMBSIGNCTL_SYSMODULE" },
	[W_PROCFS] = { "/proc/" SMBSIGN_PROC_DIR, "SMBSIGNCTL_PROCFS" },
	[W_MODCONF] = { "/etc/modprobe.d/smbsign.conf",
			"SMBSIGNCTL_MODPROBE_CONF" },
};

const char *where(enum where w)
{
	const char *env = getenv(places[w].env);

	return env && *env ? env : places[w].def;
}

const char *where_default(enum where w)
{
	return places[w].def;
}

const char *where_env(enum where w)
{
	return places[w].env;
}

/*
 * Seconds since boot on the clock the kernel stamps audit rows with
 * (CLOCK_BOOTTIME); $SMBSIGNCTL_BOOTTIME stands in for it in tests.
 */
int boottime_now(uint64_t *secs)
{
	const char *env = getenv("SMBSIGNCTL_BOOTTIME");
	struct timespec ts;

	if (env && *env) {
		if (!u64_text_valid(env))
			return err(EXIT_USAGE, "SMBSIGNCTL_BOOTTIME='%s' is not a number of seconds",
				   env);
		*secs = strtoull(env, NULL, 10);
		return 0;
	}
	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return err(EXIT_FAIL, "clock_gettime(CLOCK_BOOTTIME): %s",
			   strerror(errno));
	*secs = (uint64_t)ts.tv_sec;
	return 0;
}

int path_join(char *buf, size_t len, const char *dir, const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= len)
		return err(EXIT_FAIL, "path too long: %s/%s", dir, rel);
	return 0;
}

int file_error(const char *op, const char *path, int e)
{
	if (e == EACCES || e == EPERM)
		return err(EXIT_PERM, "cannot %s %s: %s (run as root)", op,
			   path, strerror(e));
	return err(EXIT_FAIL, "cannot %s %s: %s", op, path, strerror(e));
}

/* Files read whole are small: procfs tables, a modprobe.d file. */
#define READ_WHOLE_MAX (16 << 20)

int read_whole(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, got = 0;
	char *buf, *nbuf;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (got + 1 >= cap) {
			if (cap >= READ_WHOLE_MAX) {
				e = -EFBIG;
				goto fail;
			}
			cap *= 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				e = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
fail:
	close(fd);
	free(buf);
	return e;
}
