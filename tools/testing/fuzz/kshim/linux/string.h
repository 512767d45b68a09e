/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): string helpers. */
#ifndef _KSHIM_LINUX_STRING_H
#define _KSHIM_LINUX_STRING_H

#include "../kshim.h"

/* Not optimised away: explicit_bzero(), as the kernel's barrier does. */
static inline void memzero_explicit(void *s, size_t count)
{
	explicit_bzero(s, count);
}

#endif
