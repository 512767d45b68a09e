// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/fs/smbsign: the tables that are not one value each, so do not fit
 * sysfs (Documentation/filesystems/sysfs.rst):
 *   sessions  the live sessions (session.c)
 *   audit     the audit inventory, per peer (audit.c)
 * Both read-only and for root only: they list the peers of the machine.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "smbsign.h"

static struct proc_dir_entry *proc_dir;

/**
 * smbsign_proc_init() - create /proc/fs/smbsign and its files
 *
 * Context: process context (module init).
 * Return: 0 or -ENOMEM.
 */
int smbsign_proc_init(void)
{
	proc_dir = proc_mkdir(SMBSIGN_PROC_DIR, NULL);
	if (!proc_dir)
		return -ENOMEM;
	if (!proc_create_seq(SMBSIGN_PROC_SESSIONS, 0400, proc_dir,
			     &smbsign_sessions_seq_ops) ||
	    !proc_create_single(SMBSIGN_PROC_AUDIT, 0400, proc_dir,
				smbsign_audit_show)) {
		proc_remove(proc_dir);
		proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * smbsign_proc_exit() - remove /proc/fs/smbsign
 *
 * Context: process context (module exit).
 */
void smbsign_proc_exit(void)
{
	proc_remove(proc_dir);
	proc_dir = NULL;
}
