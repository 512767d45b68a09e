/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): no trace events are created in userspace. */
