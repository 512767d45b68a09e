/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): one possible CPU. */
#ifndef _KSHIM_LINUX_PERCPU_H
#define _KSHIM_LINUX_PERCPU_H

#include "../kshim.h"

#define alloc_percpu(type)	((type *)calloc(1, sizeof(type)))
#define free_percpu(p)		free(p)
#define per_cpu_ptr(p, cpu)	((void)(cpu), (p))
#define get_cpu_ptr(p)		(p)
#define put_cpu_ptr(p)		((void)(p))
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)

#endif
