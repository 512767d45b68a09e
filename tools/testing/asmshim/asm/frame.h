/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's <asm/frame.h> for assembling kernel assembly in userspace
 * (tools/testing/asmshim/): empty, as in Debian's kernel, which unwinds
 * with ORC and builds without frame pointers.
 */
#ifndef _SHIM_ASM_FRAME_H
#define _SHIM_ASM_FRAME_H

#define FRAME_BEGIN
#define FRAME_END

#endif
