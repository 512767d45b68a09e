/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's <linux/linkage.h> to assemble smbsign's
 * and the kernel's x86_64 assembly in userspace (tools/testing/fastpath/,
 * tools/testing/bench/native_bench.c).
 */
#ifndef _SHIM_LINUX_LINKAGE_H
#define _SHIM_LINUX_LINKAGE_H

#define SYM_FUNC_START(name)	\
	.globl name;		\
	.type name, @function;	\
	.p2align 4;		\
	name:

#define SYM_FUNC_START_LOCAL(name)	\
	.type name, @function;		\
	.p2align 4;			\
	name:

#define SYM_FUNC_END(name)	\
	.size name, . - name

#define RET	ret

#endif
