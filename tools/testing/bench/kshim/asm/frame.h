/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <asm/frame.h>: empty, as in
 * Debian's kernel, which has CONFIG_UNWINDER_ORC and no frame pointers.
 */
#ifndef SMBSIGN_BENCH_SHIM_FRAME_H
#define SMBSIGN_BENCH_SHIM_FRAME_H

#define FRAME_BEGIN
#define FRAME_END

#endif
