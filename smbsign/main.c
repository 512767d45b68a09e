// SPDX-License-Identifier: GPL-2.0
/*
 * smbsign: SMB2/SMB3 message signing for cifs and ksmbd.
 *
 * Only the order of initialisation and teardown lives here.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "smbsign.h"

static int __init smbsign_init(void)
{
	int err;

	err = smbsign_hash_init();
	if (err)
		return err;
	/* Fail closed: no known answer, no module (and nothing counted). */
	err = smbsign_selftest();
	if (err)
		goto exit_hash;
	err = smbsign_stats_init();
	if (err)
		goto exit_hash;
	err = smbsign_audit_init();
	if (err)
		goto exit_stats;
	err = smbsign_proc_init();
	if (err)
		goto exit_audit;
	err = smbsign_sysfs_init();
	if (err)
		goto exit_proc;
	pr_info("loaded, version %s\n", SMBSIGN_VERSION);
	return 0;

exit_proc:
	smbsign_proc_exit();
exit_audit:
	smbsign_audit_exit();
exit_stats:
	smbsign_stats_exit();
exit_hash:
	smbsign_hash_exit();
	/* The module parameters may have set peer lists before init. */
	smbsign_policy_exit();
	return err;
}

static void __exit smbsign_exit(void)
{
	smbsign_sysfs_exit();
	smbsign_proc_exit();
	smbsign_audit_exit();
	smbsign_stats_exit();
	smbsign_hash_exit();
	smbsign_policy_exit();
	pr_info("unloaded\n");
}

module_init(smbsign_init);
module_exit(smbsign_exit);

MODULE_DESCRIPTION("SMB2/SMB3 message signing: HMAC-SHA256, AES-CMAC, AES-GMAC");
MODULE_AUTHOR("The smbsign developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SMBSIGN_VERSION);
/* The crypto API loads these on demand; listing them helps initramfs tools. */
MODULE_SOFTDEP("pre: cmac gcm");
