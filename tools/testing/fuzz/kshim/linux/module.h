/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): no module. EXPORT_SYMBOL_NS_GPL() is in
 * ../kshim.h, EXPORT_SYMBOL_IF_KUNIT() on the compiler's command line, as
 * for the other fuzz targets.
 */
#ifndef _KSHIM_LINUX_MODULE_H
#define _KSHIM_LINUX_MODULE_H

#include "../kshim.h"

#endif
