// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: which SMB modules use smbsign.
 *
 * The patched cifs and ksmbd link against smbsign's symbols, so while
 * they are loaded they are listed in /sys/module/smbsign/holders/. A cifs
 * or ksmbd that is loaded (/sys/module/<name> exists) but is not a holder
 * is the stock module: it signs on its own and ignores smbsign's policy.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "smbsignctl.h"

const char *const consumer_names[NR_CONSUMERS] = { "cifs", "ksmbd" };

static bool dir_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int consumers_read(enum consumer_state st[NR_CONSUMERS])
{
	char path[4096], rel[128];
	int i, rc;

	for (i = 0; i < NR_CONSUMERS; i++) {
		snprintf(rel, sizeof(rel), "smbsign/holders/%s",
			 consumer_names[i]);
		rc = path_join(path, sizeof(path), where(W_SYSMODULE), rel);
		if (rc)
			return rc;
		if (dir_exists(path)) {
			st[i] = CONSUMER_BOUND;
			continue;
		}
		rc = path_join(path, sizeof(path), where(W_SYSMODULE),
			       consumer_names[i]);
		if (rc)
			return rc;
		st[i] = dir_exists(path) ? CONSUMER_STOCK : CONSUMER_ABSENT;
	}
	return 0;
}

const char *consumer_text(enum consumer_state s)
{
	switch (s) {
	case CONSUMER_BOUND:
		return "bound";
	case CONSUMER_STOCK:
		return "loaded, NOT using smbsign (stock module): policy not enforced";
	case CONSUMER_ABSENT:
		break;
	}
	return "not loaded";
}

/* The JSON spelling. */
const char *consumer_token(enum consumer_state s)
{
	switch (s) {
	case CONSUMER_BOUND:
		return "bound";
	case CONSUMER_STOCK:
		return "stock";
	case CONSUMER_ABSENT:
		break;
	}
	return "not-loaded";
}

bool consumers_any_bound(const enum consumer_state st[NR_CONSUMERS])
{
	int i;

	for (i = 0; i < NR_CONSUMERS; i++)
		if (st[i] == CONSUMER_BOUND)
			return true;
	return false;
}
