/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): smbsign.h only declares seq_file users. */
#ifndef _KSHIM_LINUX_SEQ_FILE_H
#define _KSHIM_LINUX_SEQ_FILE_H

struct seq_file;
struct seq_operations;

#endif
