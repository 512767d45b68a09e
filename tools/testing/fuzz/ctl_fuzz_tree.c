// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl fuzz harness (ctl_fuzz.c): the fake tree the tool runs against,
 * ordinary files in a temporary directory laid out as sysfs, /sys/module,
 * /proc/fs/smbsign and modprobe.d on a machine with smbsign loaded; and
 * the kernel behind it, __wrap_write(), which logs every write to a
 * setting and checks it with the kernel's parser.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_fuzz.h"

/* ---- the fake tree, and the kernel behind it ---- */

/*
 * The files of the tree the tool may write: the settings (indexed like
 * ctlf_mopts[]) and stats/reset, known by inode, which rewriting them keeps.
 */
#define NR_WATCHED	(NR_MOPTS + 1)

static struct {
	dev_t dev;
	ino_t ino;
} watched[NR_WATCHED];

char ctlf_sysfs_dir[512], ctlf_absent_dir[512], ctlf_conf_dir[512];
char ctlf_conf_path[512];

/* A smbsign.conf with an option of ours between two lines set keeps. */
const char ctlf_conf_text[] =
	"# kept: not smbsign's\n"
	"options smbsign client_require_signing=1 algorithms=aes-gmac,aes-cmac\n"
	"options cifs CIFSMaxBufSize=130048\n";
const char *const ctlf_conf_kept[] = {
	"# kept: not smbsign's", "options cifs CIFSMaxBufSize=130048",
};

static const char sessions_text[] =
	"side address name session_id dialect algorithm logon required why signed verified failed\n"
	"client 192.0.2.10 nas 0x0000000000000041 3.1.1 aes-gmac user yes policy,local 12 11 0\n"
	"server 2001:db8::7 - 0x0000000000000007 - - - no - 0 0 0\n";
static const char audit_text[] =
	"side address name unsigned guest anonymous exempted last_seen\n"
	"client 192.0.2.7 oldnas 3 1 0 1 900\n"
	"server 192.0.2.8 - 0 2 0 0 950\n";

void ctlf_tree_path(char *buf, size_t len, const char *rel)
{
	if ((size_t)snprintf(buf, len, "%s/%s", ctlf_top, rel) >= len)
		ctlf_fail("path too long", rel);
}

void ctlf_put_file(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	ctlf_tree_path(path, sizeof(path), rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		ctlf_fail("cannot write the fake tree", path);
}

/* mkdir -p top/@rel */
static void put_dir(const char *rel)
{
	char path[1024];
	size_t i, start = strlen(ctlf_top) + 1;

	ctlf_tree_path(path, sizeof(path), rel);
	for (i = start; ; i++) {
		if (path[i] && path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			ctlf_fail("cannot make the fake tree", path);
		if (i == strlen(rel) + start)
			return;
		path[i] = '/';
	}
}

static void watch(int w, const char *rel)
{
	char path[1024];
	struct stat st;

	ctlf_tree_path(path, sizeof(path), rel);
	if (stat(path, &st))
		ctlf_fail("the fake tree lost a file", path);
	watched[w].dev = st.st_dev;
	watched[w].ino = st.st_ino;
}

/*
 * What the tool may change back as it was, and nothing in modprobe.d but
 * smbsign.conf.
 */
void ctlf_reset_tree(void)
{
	char path[1024];
	struct dirent *e;
	DIR *d;
	int i;

	for (i = 0; i < NR_MOPTS; i++) {
		snprintf(path, sizeof(path), "sys/%s", ctlf_mopts[i].rel);
		ctlf_put_file(path, ctlf_mopts[i].content);
	}
	ctlf_put_file("sys/stats/reset", "");
	ctlf_put_file("modprobe.d/smbsign.conf", ctlf_conf_text);
	d = opendir(ctlf_conf_dir);
	if (!d)
		ctlf_fail("cannot read", ctlf_conf_dir);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "smbsign.conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", ctlf_conf_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

/*
 * A machine with smbsign loaded, cifs bound to it and the stock ksmbd:
 * the files of Documentation/ABI, a policy other than the defaults, two
 * rows in each /proc table, and a smbsign.conf.
 */
void ctlf_build_tree(void)
{
	static const char *const counters[] = SMBSIGN_COUNTER_NAMES;
	static const char *const sides[] = { "client", "server" };
	char rel[256];
	int s, a, k;

	put_dir("sys/client");
	put_dir("sys/server");
	put_dir("module/smbsign/holders/cifs");
	put_dir("module/cifs");
	put_dir("module/ksmbd");
	put_dir("proc");
	put_dir("modprobe.d");
	put_dir("sys/drivers");
	ctlf_put_file("sys/version", "0.2.0\n");
	for (a = 0; a < NR_ALGS; a++) {
		snprintf(rel, sizeof(rel), "sys/drivers/%s", ctlf_model_alg_names[a]);
		ctlf_put_file(rel, "generic\n");
		for (s = 0; s < 2; s++) {
			snprintf(rel, sizeof(rel), "sys/stats/%s/%s", sides[s],
				 ctlf_model_alg_names[a]);
			put_dir(rel);
			for (k = 0; k < (int)ARRAY_SIZE(counters); k++) {
				snprintf(rel, sizeof(rel), "sys/stats/%s/%s/%s",
					 sides[s], ctlf_model_alg_names[a], counters[k]);
				ctlf_put_file(rel, k ? "7\n" : "18446744073709551615\n");
			}
		}
	}
	ctlf_put_file("proc/sessions", sessions_text);
	ctlf_put_file("proc/audit", audit_text);
	ctlf_reset_tree();
	for (k = 0; k < NR_MOPTS; k++) {
		snprintf(rel, sizeof(rel), "sys/%s", ctlf_mopts[k].rel);
		watch(k, rel);
	}
	watch(W_RESET, "sys/stats/reset");
}

static void remove_path(const char *path)
{
	char sub[1024];
	struct dirent *e;
	DIR *d = opendir(path);

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_path(sub);
		}
	}
	closedir(d);
	rmdir(path);
}

void ctlf_remove_tree(void)
{
	if (ctlf_top[0])
		remove_path(ctlf_top);
	ctlf_top[0] = '\0';
}

ssize_t __wrap_write(int fd, const void *buf, size_t count);

/*
 * Every write(2) comes here first (-Wl,--wrap=write, targets.sh), and the
 * tool writes a sysfs file with one write(2) (sysfs_write()). A write to
 * a file of the tree is logged for the models and checked with the
 * kernel's parser for that file: the tool must never write a value the
 * kernel refuses. The algorithms file then reads as the kernel shows it,
 * as tools/smbsignctl/tests/fake_kernel.c does for the tool's tests; the
 * others as written, which is how the kernel shows what the tool writes.
 */
ssize_t __wrap_write(int fd, const void *buf, size_t count)
{
	static struct smbsign_peer_list peers;
	unsigned int algs[NR_ALGS];
	char shown[128], *data;
	struct stat st;
	struct mlist l;
	bool b;
	int f;

	if (!ctlf_sh || fstat(fd, &st))
		return __real_write(fd, buf, count);
	for (f = 0; f < NR_WATCHED; f++)
		if (watched[f].ino == st.st_ino && watched[f].dev == st.st_dev)
			break;
	if (f == NR_WATCHED)
		return __real_write(fd, buf, count);
	if (ctlf_sh->nr_writes >= LOG_MAX)
		ctlf_fail("more sysfs writes than settings", "");
	ctlf_sh->w[ctlf_sh->nr_writes].file = f;
	ctlf_sh->w[ctlf_sh->nr_writes].len = count;
	data = ctlf_sh->w[ctlf_sh->nr_writes++].data;
	snprintf(data, sizeof(ctlf_sh->w[0].data), "%.*s", (int)count,
		 (const char *)buf);
	if (f == W_RESET || ctlf_mopts[f].kind == M_BOOL) {
		if (smbsign_parse_bool(buf, count, &b) || (f == W_RESET && !b))
			ctlf_fail("the tool wrote what the kernel refuses", data);
	} else if (ctlf_mopts[f].kind == M_PEERS) {
		if (smbsign_parse_peers(buf, count, ctlf_mopts[f].names, &peers))
			ctlf_fail("the tool wrote what the kernel refuses", data);
	} else {
		if (smbsign_parse_algs(buf, count, algs, &l.nr))
			ctlf_fail("the tool wrote what the kernel refuses", data);
		memcpy(l.alg, algs, sizeof(algs));
		ctlf_show_algs(&l, shown, sizeof(shown));
		return __real_write(fd, shown, strlen(shown)) ==
		       (ssize_t)strlen(shown) ? (ssize_t)count : -1;
	}
	return __real_write(fd, buf, count);
}
