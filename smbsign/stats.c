// SPDX-License-Identifier: GPL-2.0
/*
 * Signing counters, per side, algorithm and event.
 *
 * Counting happens on every signed or verified message, from any CPU, so
 * the counters are per-cpu and lock-free; a read sums them. A reset does
 * not write to other CPUs' counters: it records the current sums as a
 * baseline that later reads subtract, so a reset can never tear a counter
 * another CPU is updating.
 */
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

#include <kunit/visibility.h>

#include "smbsign.h"

struct pcpu_stats {
	u64_stats_t v[SMBSIGN_SIDE_COUNT][SMBSIGN_ALG_COUNT][SMBSIGN_CNT_COUNT];
	struct u64_stats_sync syncp;
};

static struct pcpu_stats __percpu *stats;

/* Protects baseline. */
static DEFINE_MUTEX(stats_lock);
static u64 baseline[SMBSIGN_SIDE_COUNT][SMBSIGN_ALG_COUNT][SMBSIGN_CNT_COUNT];

/**
 * smbsign_stats_count() - count one event and, optionally, its bytes
 * @side: the side of the session
 * @alg: the session's algorithm
 * @cnt: the event counter
 * @bytes_cnt: the byte counter to add @bytes to, or SMBSIGN_CNT_COUNT
 * @bytes: the message length
 *
 * Before smbsign_stats_init() (the load-time self-test) nothing is
 * counted.
 *
 * Context: process or softirq context.
 */
void smbsign_stats_count(enum smbsign_side side, enum smbsign_alg alg,
			 enum smbsign_counter cnt,
			 enum smbsign_counter bytes_cnt, u64 bytes)
{
	struct pcpu_stats *s;

	if (!stats || (unsigned int)side >= SMBSIGN_SIDE_COUNT ||
	    (unsigned int)alg >= SMBSIGN_ALG_COUNT)
		return;
	s = get_cpu_ptr(stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->v[side][alg][cnt]);
	if (bytes_cnt < SMBSIGN_CNT_COUNT)
		u64_stats_add(&s->v[side][alg][bytes_cnt], bytes);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(stats);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_stats_count);

static u64 stats_sum(enum smbsign_side side, enum smbsign_alg alg,
		     enum smbsign_counter cnt)
{
	u64 sum = 0, v;
	unsigned int start;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct pcpu_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->v[side][alg][cnt]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

/**
 * smbsign_stats_read() - read one counter since the last reset
 * @side: the side
 * @alg: the algorithm
 * @cnt: the counter
 *
 * Context: process context; takes stats_lock.
 * Return: the count.
 */
u64 smbsign_stats_read(enum smbsign_side side, enum smbsign_alg alg,
		       enum smbsign_counter cnt)
{
	u64 v;

	mutex_lock(&stats_lock);
	v = stats_sum(side, alg, cnt) - baseline[side][alg][cnt];
	mutex_unlock(&stats_lock);
	return v;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_stats_read);

/**
 * smbsign_stats_reset() - set every counter back to zero
 *
 * Context: process context; takes stats_lock.
 */
void smbsign_stats_reset(void)
{
	unsigned int side, alg, cnt;

	mutex_lock(&stats_lock);
	for (side = 0; side < SMBSIGN_SIDE_COUNT; side++)
		for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++)
			for (cnt = 0; cnt < SMBSIGN_CNT_COUNT; cnt++)
				baseline[side][alg][cnt] =
					stats_sum(side, alg, cnt);
	mutex_unlock(&stats_lock);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_stats_reset);

/**
 * smbsign_stats_init() - allocate the counters
 *
 * Context: process context (module init).
 * Return: 0 or -ENOMEM.
 */
int smbsign_stats_init(void)
{
	struct pcpu_stats __percpu *s;
	int cpu;

	s = alloc_percpu(struct pcpu_stats);
	if (!s)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s, cpu)->syncp);
	stats = s;
	return 0;
}

/**
 * smbsign_stats_exit() - free the counters
 *
 * Runs when no context is left, so nothing counts any more.
 *
 * Context: process context (module exit).
 */
void smbsign_stats_exit(void)
{
	struct pcpu_stats __percpu *s = stats;

	stats = NULL;
	free_percpu(s);
}
