/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim: just enough of the kernel's headers to build smbsign's signing
 * path (smbsign/sign.c, msg.c, mac.c, ctx.c, stats.c and the pure files)
 * unmodified in userspace, for the differential fuzz target sign_fuzz.c.
 *
 * Everything here is plain memory and plain C: a struct page is PAGE_SIZE
 * bytes of memory (so page_address() and virt_to_page() are casts and page
 * arithmetic walks contiguous memory), locks are flags that assert they
 * are held, allocations are calloc(). What the kernel would WARN or BUG
 * on aborts here, so that the fuzzer reports a misuse as a finding. The
 * crypto API is mapped onto OpenSSL in kshim_crypto.c; iov_iter and
 * scatterlist extraction are kshim_iov.c.
 *
 * This file is the common base every shim header includes.
 */
#ifndef _KSHIM_H
#define _KSHIM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <linux/types.h>

#define __percpu
#define __must_check
#define __aligned(x)		__attribute__((aligned(x)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define fallthrough		__attribute__((fallthrough))
#define noinline		__attribute__((noinline))

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

/* Where the kernel would WARN or BUG: a finding, so abort. */
#define KSHIM_BUG(what)							\
	do {								\
		fprintf(stderr, "kshim: %s at %s:%d (%s)\n", what,	\
			__FILE__, __LINE__, __func__);			\
		abort();						\
	} while (0)
#define WARN_ON(cond)							\
	({								\
		bool __c = !!(cond);					\
		if (__c)						\
			KSHIM_BUG("WARN_ON(" #cond ")");		\
		__c;							\
	})

#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define min3(a, b, c)		min(min(a, b), c)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define U64_MAX			((u64)~0ULL)

/* No module: nothing is exported (the kernel gets it via <linux/export.h>). */
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif /* _KSHIM_H */
