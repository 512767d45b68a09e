/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): rate-limited messages are dropped (the fuzzer
 * would print millions), but their format is still checked.
 */
#ifndef _KSHIM_LINUX_RATELIMIT_H
#define _KSHIM_LINUX_RATELIMIT_H

#include "../kshim.h"

#define pr_warn_ratelimited(fmt, ...)					\
	do {								\
		if (0)							\
			fprintf(stderr, fmt, ##__VA_ARGS__);		\
	} while (0)

#endif
