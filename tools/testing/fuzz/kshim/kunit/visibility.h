/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): EXPORT_SYMBOL_IF_KUNIT() is defined empty on the
 * compiler's command line (targets.sh), as for the other fuzz targets.
 */
