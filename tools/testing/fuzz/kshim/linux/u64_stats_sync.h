/* SPDX-License-Identifier: GPL-2.0 */
/* kshim (see ../kshim.h): 64-bit counters need no sequence count here. */
#ifndef _KSHIM_LINUX_U64_STATS_SYNC_H
#define _KSHIM_LINUX_U64_STATS_SYNC_H

#include "../kshim.h"

typedef struct {
	u64 v;
} u64_stats_t;

struct u64_stats_sync {
	int in_update;
};

static inline void u64_stats_init(struct u64_stats_sync *s)
{
	s->in_update = 0;
}

static inline void u64_stats_update_begin(struct u64_stats_sync *s)
{
	if (s->in_update++)
		KSHIM_BUG("nested u64_stats update");
}

static inline void u64_stats_update_end(struct u64_stats_sync *s)
{
	if (--s->in_update)
		KSHIM_BUG("unbalanced u64_stats update");
}

static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *s)
{
	return s->in_update;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *s,
					 unsigned int start)
{
	(void)s;
	return start != 0;
}

static inline void u64_stats_inc(u64_stats_t *p)
{
	p->v++;
}

static inline void u64_stats_add(u64_stats_t *p, u64 n)
{
	p->v += n;
}

static inline u64 u64_stats_read(const u64_stats_t *p)
{
	return p->v;
}

#endif
