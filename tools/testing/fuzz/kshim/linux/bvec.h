/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): a bio_vec is a page, an offset and a length;
 * as in the kernel the offset may pass the end of the first page when
 * the pages are contiguous (a multi-page bvec).
 */
#ifndef _KSHIM_LINUX_BVEC_H
#define _KSHIM_LINUX_BVEC_H

#include "mm.h"

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

#endif
