/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): no fault injection in userspace;
 * ALLOW_ERROR_INJECTION() only marks a function in the kernel.
 */
#ifndef _KSHIM_LINUX_ERROR_INJECTION_H
#define _KSHIM_LINUX_ERROR_INJECTION_H

#define ALLOW_ERROR_INJECTION(fname, type)

#endif
