// SPDX-License-Identifier: GPL-2.0
/*
 * smbsign_bench - concurrency: N kernel threads sign through smbsign's
 * API, all on one context (one session's channel used by N callers) or
 * each on its own context. Without a lock on the signing path the two
 * cost the same per message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/slab.h>

#include "bench.h"

#define CONC_MAX_THREADS	8
/* A small request and a 4-KiB WRITE: fixed cost and a typical payload. */
static const unsigned int conc_sizes[] = { 64, 4096 };

struct conc_worker {
	struct task_struct *task;
	struct smbsign_bench_keys *keys;
	struct smbsign_bench_buf buf;
	struct completion *go;
	struct completion done;
	unsigned int n;
	int err;
};

static int conc_fn(void *arg)
{
	struct conc_worker *w = arg;
	unsigned int i;

	wait_for_completion(w->go);
	for (i = 0; i < w->n && !w->err; i++)
		w->err = smbsign_bench_sign(w->keys, &w->buf, SMBSIGN_BENCH_API);
	complete(&w->done);
	/* Stay until kthread_stop(), which then cannot race with exit. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* One timing: @nr threads, each @n messages of @size, on @keys[i]. */
static int conc_time(struct conc_worker *w, struct smbsign_bench_keys **keys,
		     unsigned int nr, unsigned int n, size_t size, u64 *ns)
{
	DECLARE_COMPLETION_ONSTACK(go);
	unsigned int i, started = 0;
	int err = 0;
	u64 t0;

	for (i = 0; i < nr; i++) {
		w[i].keys = keys[i];
		w[i].go = &go;
		w[i].n = n;
		w[i].err = 0;
		init_completion(&w[i].done);
		smbsign_bench_buf_shape(&w[i].buf, size, false, 0);
		w[i].task = kthread_create(conc_fn, &w[i], "smbsign_bench/%u", i);
		if (IS_ERR(w[i].task)) {
			err = PTR_ERR(w[i].task);
			break;
		}
		kthread_bind(w[i].task, i % num_online_cpus());
		wake_up_process(w[i].task);
		started++;
	}
	t0 = ktime_get_ns();
	complete_all(&go);
	for (i = 0; i < started; i++)
		wait_for_completion(&w[i].done);
	*ns = ktime_get_ns() - t0;
	for (i = 0; i < started; i++) {
		kthread_stop(w[i].task);
		err = err ?: w[i].err;
	}
	return err;
}

static int conc_alg(enum smbsign_alg alg, struct conc_worker *w,
		    unsigned int iters, unsigned int max_threads)
{
	struct smbsign_bench_keys *own[CONC_MAX_THREADS] = {};
	struct smbsign_bench_keys *shared[CONC_MAX_THREADS];
	unsigned int i, nr, s;
	int err = 0, errors = 0;
	u64 ns;

	for (i = 0; i < max_threads && !err; i++) {
		own[i] = kzalloc(sizeof(*own[i]), GFP_KERNEL);
		err = own[i] ? smbsign_bench_keys_init(own[i], alg) : -ENOMEM;
	}
	if (err) {
		pr_info("error alg=%s op=conc-init err=%d\n",
			smbsign_alg_name(alg), err);
		errors++;
		goto free;
	}
	for (i = 0; i < max_threads; i++)
		shared[i] = own[0];
	for (s = 0; s < ARRAY_SIZE(conc_sizes); s++) {
		for (nr = 1; nr <= max_threads; nr++) {
			/* Shared and own take turns, as the paths do. */
			err = conc_time(w, shared, nr, iters, conc_sizes[s], &ns);
			if (!err)
				pr_info("conc alg=%s size=%u threads=%u ctx=shared n=%u ns=%llu\n",
					smbsign_alg_name(alg), conc_sizes[s],
					nr, iters, ns);
			errors += !!err;
			err = conc_time(w, own, nr, iters, conc_sizes[s], &ns);
			if (!err)
				pr_info("conc alg=%s size=%u threads=%u ctx=own n=%u ns=%llu\n",
					smbsign_alg_name(alg), conc_sizes[s],
					nr, iters, ns);
			errors += !!err;
		}
	}
free:
	for (i = 0; i < max_threads; i++) {
		if (!own[i])
			continue;
		smbsign_bench_keys_free(own[i]);
		kfree(own[i]);
	}
	return errors;
}

/**
 * smbsign_bench_concurrency() - the concurrency table
 * @iters: messages per thread per timing
 * @max_threads: timings with 1 to this many threads (at most 8)
 *
 * Prints one "conc" line per algorithm, size, thread count and kind of
 * context (shared or own): the time from the start signal to the last
 * thread's end.
 *
 * Context: process context; may sleep.
 * Return: the number of errors (each printed).
 */
int smbsign_bench_concurrency(unsigned int iters, unsigned int max_threads)
{
	struct conc_worker *w;
	enum smbsign_alg alg;
	unsigned int i;
	int errors = 0;

	max_threads = min(max_threads, CONC_MAX_THREADS);
	w = kcalloc(max_threads, sizeof(*w), GFP_KERNEL);
	if (!w)
		return 1;
	for (i = 0; i < max_threads; i++)
		if (smbsign_bench_buf_init(&w[i].buf))
			errors++;
	for (alg = 0; alg < SMBSIGN_ALG_COUNT && !errors; alg++)
		errors += conc_alg(alg, w, iters, max_threads);
	for (i = 0; i < max_threads; i++)
		smbsign_bench_buf_free(&w[i].buf);
	kfree(w);
	return errors;
}
