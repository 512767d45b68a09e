/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): the kernel's integer types on top of the UAPI
 * <linux/types.h> (__le16 and friends), which glibc may include itself.
 * u8..u64 are spelled as walker.h spells them for its userspace build.
 */
#ifndef _KSHIM_LINUX_TYPES_H
#define _KSHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned int gfp_t;

#define GFP_KERNEL	0x1u
#define GFP_NOFS	0x2u

#endif /* _KSHIM_LINUX_TYPES_H */
