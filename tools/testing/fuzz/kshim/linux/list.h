/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): the list type smbsign.h names. */
#ifndef _KSHIM_LINUX_LIST_H
#define _KSHIM_LINUX_LIST_H

struct list_head {
	struct list_head *next, *prev;
};

#endif
