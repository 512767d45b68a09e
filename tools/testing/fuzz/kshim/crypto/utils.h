/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): comparison without an early exit. */
#ifndef _KSHIM_CRYPTO_UTILS_H
#define _KSHIM_CRYPTO_UTILS_H

#include "../kshim.h"

static inline int crypto_memneq(const void *a, const void *b, size_t size)
{
	const volatile u8 *x = a, *y = b;
	u8 diff = 0;

	while (size--)
		diff |= *x++ ^ *y++;
	return diff != 0;
}

#endif
