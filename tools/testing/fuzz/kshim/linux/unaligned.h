/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): little-endian loads from any address. */
#ifndef _KSHIM_LINUX_UNALIGNED_H
#define _KSHIM_LINUX_UNALIGNED_H

#include "../kshim.h"

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | b[1] << 8);
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 |
	       (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	const u8 *b = p;

	return (u64)get_unaligned_le32(b) |
	       (u64)get_unaligned_le32(b + 4) << 32;
}

#endif
