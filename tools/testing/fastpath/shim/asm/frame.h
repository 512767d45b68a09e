/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's <asm/frame.h> for assembling linux-source's
 * arch/x86/crypto files in userspace (ghash_bench.c): frame pointers as
 * the kernel builds them with CONFIG_FRAME_POINTER.
 */
#ifndef _SHIM_ASM_FRAME_H
#define _SHIM_ASM_FRAME_H

#define FRAME_BEGIN	push %rbp; mov %rsp, %rbp
#define FRAME_END	pop %rbp

#endif
