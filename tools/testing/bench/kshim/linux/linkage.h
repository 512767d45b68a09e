/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <linux/linkage.h>, enough to
 * assemble arch/x86/crypto/ghash-clmulni-intel_asm.S of linux-source-6.12
 * unchanged into the native benchmark (tools/testing/bench/native_bench.c).
 */
#ifndef SMBSIGN_BENCH_SHIM_LINKAGE_H
#define SMBSIGN_BENCH_SHIM_LINKAGE_H

#define SYM_FUNC_START(name)		\
	.globl name;			\
	.type name, @function;		\
	.p2align 4;			\
	name:
#define SYM_FUNC_START_LOCAL(name)	\
	.type name, @function;		\
	.p2align 4;			\
	name:
#define SYM_FUNC_END(name)	.size name, . - name
#define RET			ret

#endif
