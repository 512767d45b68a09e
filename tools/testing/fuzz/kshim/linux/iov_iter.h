/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h and uio.h): iterate over a kernel iterator, one
 * step per contiguous piece; a bio_vec is mapped one page at a time with
 * kmap_local_page(), as the kernel does. A step returns how many bytes it
 * left unprocessed; a non-zero remainder stops the walk.
 */
#ifndef _KSHIM_LINUX_IOV_ITER_H
#define _KSHIM_LINUX_IOV_ITER_H

#include "uio.h"

typedef size_t (*iov_step_f)(void *iter_base, size_t progress, size_t len,
			     void *priv, void *priv2);

size_t iterate_and_advance_kernel(struct iov_iter *iter, size_t len,
				  void *priv, void *priv2, iov_step_f step);

#endif
