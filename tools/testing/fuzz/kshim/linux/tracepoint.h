/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kshim (see ../kshim.h): a tracepoint is an empty function with the
 * event's prototype, so its callers still type-check.
 */
#ifndef _KSHIM_LINUX_TRACEPOINT_H
#define _KSHIM_LINUX_TRACEPOINT_H

#include "../kshim.h"

#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args
#define DECLARE_EVENT_CLASS(name, ...)
#define DEFINE_EVENT(template, name, proto, args)			\
	static inline void trace_##name(proto) {}

#endif
