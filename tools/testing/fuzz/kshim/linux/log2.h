/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): powers of two. */
#ifndef _KSHIM_LINUX_LOG2_H
#define _KSHIM_LINUX_LOG2_H

#include "../kshim.h"

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	if (!n || n > (ULONG_MAX >> 1) + 1)
		KSHIM_BUG("roundup_pow_of_two() out of range");
	return n == 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

#endif
