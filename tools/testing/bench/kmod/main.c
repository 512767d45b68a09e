// SPDX-License-Identifier: GPL-2.0
/*
 * smbsign_bench - measure smbsign's signing against the Linux 6.12 cifs
 * and ksmbd sequences and the raw primitive, in the kernel.
 *
 * Loading the module runs what its parameters ask for and prints one line
 * per result to the kernel log, then the module stays loaded doing
 * nothing until it is removed (tools/testing/bench/run parses the lines;
 * the format is in Documentation/performance.rst):
 *
 *   smbsign_bench: row alg=A op=sign|verify size=S path=P n=N min=NS med=NS
 *   smbsign_bench: check alg=A size=S ok|FAIL: why
 *   smbsign_bench: conc alg=A size=S threads=T ctx=shared|own n=N ns=NS
 *   smbsign_bench: error ...
 *   smbsign_bench: done errors=E
 *
 * min and med are the least and the median of @rounds timings of n
 * messages each (ktime_get_ns(): under QEMU -icount shift=0 one ns is one
 * guest instruction). Paths take turns within each round, so every path
 * of a row sees the same machine state.
 *
 * Not part of smbsign.ko: it links against smbsign's exports through
 * smbsign's Module.symvers, as cifs and ksmbd do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "bench.h"

#define BENCH_MAX_ROUNDS	31

static const unsigned int default_sizes[] = {
	64, 256, 1024, 4096, 65536, SMBSIGN_BENCH_MAX_SIZE
};

static const char path_letter[SMBSIGN_BENCH_NR_PATHS] = "abcd";

static unsigned int sizes[ARRAY_SIZE(default_sizes)];
static int nr_sizes;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "message sizes (default 64,256,1024,4096,65536,1048576)");

static char *algs = "hmac-sha256,aes-cmac,aes-gmac";
module_param(algs, charp, 0444);
MODULE_PARM_DESC(algs, "algorithms, comma-separated smbsign names");

static char *ops = "sign,verify";
module_param(ops, charp, 0444);
MODULE_PARM_DESC(ops, "sign, verify or both");

static char *paths = "abcd";
module_param(paths, charp, 0444);
MODULE_PARM_DESC(paths, "paths to measure: letters of a b c d");

static char *label = "";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "print path a under this letter (e: crypto_api_only=1)");

static unsigned int budget_kib = 4096;
module_param(budget_kib, uint, 0444);
MODULE_PARM_DESC(budget_kib, "bytes per timing in KiB: n = budget / size");

static unsigned int max_iters = 2000;
module_param(max_iters, uint, 0444);
MODULE_PARM_DESC(max_iters, "most messages per timing");

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "timings per row (min and median printed), 1-31");

static bool check;
module_param(check, bool, 0444);
MODULE_PARM_DESC(check, "only check that every path signs identically");

static bool trace;
module_param(trace, bool, 0444);
MODULE_PARM_DESC(trace, "turn tracing on around each timing (event counts)");

static unsigned int conc_threads;
module_param(conc_threads, uint, 0444);
MODULE_PARM_DESC(conc_threads, "only the concurrency run, 1 to N threads");

static int errors;

static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static unsigned int iters_for(size_t size)
{
	u64 n = div_u64((u64)budget_kib * 1024, size);

	return clamp_t(u64, n, 1, max_iters ? max_iters : 1);
}

struct row {
	enum smbsign_alg alg;
	bool verify;
	size_t size;
	unsigned int n;
	u64 ns[SMBSIGN_BENCH_NR_PATHS][BENCH_MAX_ROUNDS];
	bool on[SMBSIGN_BENCH_NR_PATHS];
};

static int one(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b,
	       struct row *r, enum smbsign_bench_path p)
{
	return r->verify ? smbsign_bench_verify(k, b, p) :
			   smbsign_bench_sign(k, b, p);
}

/* One timing of r->n messages on path @p; a warm-up message first. */
static int time_path(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b,
		     struct row *r, enum smbsign_bench_path p, u64 *ns)
{
	unsigned int i;
	u64 t0;
	int err;

	err = one(k, b, r, p);
	if (err)
		return err;
	if (trace)
		tracing_on();
	t0 = ktime_get_ns();
	for (i = 0; i < r->n && !err; i++)
		err = one(k, b, r, p);
	*ns = ktime_get_ns() - t0;
	if (trace)
		tracing_off();
	return err;
}

static void print_row(struct row *r)
{
	enum smbsign_bench_path p;
	unsigned int nr = rounds;

	for (p = 0; p < SMBSIGN_BENCH_NR_PATHS; p++) {
		char letter = path_letter[p];

		if (!r->on[p])
			continue;
		if (p == SMBSIGN_BENCH_API && label[0])
			letter = label[0];
		sort(r->ns[p], nr, sizeof(u64), cmp_u64, NULL);
		pr_info("row alg=%s op=%s size=%zu path=%c n=%u min=%llu med=%llu\n",
			smbsign_alg_name(r->alg), r->verify ? "verify" : "sign",
			r->size, letter, r->n, r->ns[p][0], r->ns[p][nr / 2]);
	}
}

static void measure(struct smbsign_bench_keys *k, struct smbsign_bench_buf *b,
		    struct row *r)
{
	enum smbsign_bench_path p;
	struct smbsign_msg msg;
	struct iov_iter it;
	unsigned int i;
	int err;

	smbsign_bench_buf_shape(b, r->size, r->verify,
				atomic64_inc_return(&k->next_mid));
	if (r->verify) {
		smbsign_bench_msg(b, &msg, &it);
		err = smbsign_sign(k->srv, &msg);
		if (err) {
			pr_info("error alg=%s size=%zu op=setup err=%d\n",
				smbsign_alg_name(r->alg), r->size, err);
			errors++;
			return;
		}
	}
	for (p = 0; p < SMBSIGN_BENCH_NR_PATHS; p++)
		r->on[p] = strchr(paths, path_letter[p]) &&
			   smbsign_bench_has_path(r->alg, p);
	for (i = 0; i < rounds; i++) {
		for (p = 0; p < SMBSIGN_BENCH_NR_PATHS; p++) {
			if (!r->on[p])
				continue;
			err = time_path(k, b, r, p, &r->ns[p][i]);
			if (err) {
				pr_info("error alg=%s op=%s size=%zu path=%c err=%d\n",
					smbsign_alg_name(r->alg),
					r->verify ? "verify" : "sign", r->size,
					path_letter[p], err);
				errors++;
				r->on[p] = false;
			}
		}
		cond_resched();
	}
	print_row(r);
}

/* (a), (b), (c) and (d) sign one request identically. */
static const char *check_one(struct smbsign_bench_keys *k,
			     struct smbsign_bench_buf *b, size_t size)
{
	u8 want[SMBSIGN_SIG_SIZE], mac[SHA256_DIGEST_SIZE];
	u8 *sig = b->data + SMBSIGN_SIG_OFFSET;
	enum smbsign_bench_path p;
	u64 mid;

	smbsign_bench_buf_shape(b, size, false, 0);
	if (smbsign_bench_sign(k, b, SMBSIGN_BENCH_API))
		return "smbsign_sign() failed";
	memcpy(want, sig, sizeof(want));
	if (!memchr_inv(want, 0, sizeof(want)))
		return "smbsign_sign() wrote an all-zero signature";
	mid = get_unaligned_le64(b->data + SMBSIGN_HDR_MESSAGE_ID);
	memset(sig, 0, SMBSIGN_SIG_SIZE);
	if (smbsign_bench_raw_mac(k, b->data, size, mid, false, mac))
		return "the raw primitive failed";
	if (memcmp(mac, want, sizeof(want)))
		return "smbsign (a) and the raw primitive (d) differ";
	for (p = SMBSIGN_BENCH_CIFS; p <= SMBSIGN_BENCH_KSMBD; p++) {
		if (!smbsign_bench_has_path(k->alg, p))
			continue;
		/* Same MessageId: rewind the counter smbsign_bench_sign() uses. */
		atomic64_set(&k->next_mid, mid - 1);
		if (smbsign_bench_sign(k, b, p))
			return "the 6.12 sequence failed";
		if (memcmp(sig, want, sizeof(want)))
			return p == SMBSIGN_BENCH_CIFS ?
			       "smbsign (a) and the 6.12 cifs sequence (b) differ" :
			       "smbsign (a) and the 6.12 ksmbd sequence (c) differ";
	}
	atomic64_set(&k->next_mid, mid);
	memcpy(sig, want, sizeof(want));
	return NULL;
}

static void run_alg(enum smbsign_alg alg, struct smbsign_bench_buf *b,
		    struct row *r)
{
	struct smbsign_bench_keys *k;
	const char *why;
	int i, err, nr = nr_sizes;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k) {
		errors++;
		return;
	}
	err = smbsign_bench_keys_init(k, alg);
	if (err) {
		pr_info("error alg=%s op=init err=%d\n", smbsign_alg_name(alg), err);
		errors++;
		goto free_keys;
	}
	for (i = 0; i < nr; i++) {
		if (check) {
			why = check_one(k, b, sizes[i]);
			pr_info("check alg=%s size=%u %s%s\n", smbsign_alg_name(alg),
				sizes[i], why ? "FAIL: " : "ok", why ? why : "");
			errors += !!why;
			continue;
		}
		memset(r, 0, sizeof(*r));
		r->alg = alg;
		r->size = sizes[i];
		r->n = iters_for(r->size);
		if (listed(ops, "sign"))
			measure(k, b, r);
		r->verify = true;
		if (listed(ops, "verify"))
			measure(k, b, r);
	}
free_keys:
	smbsign_bench_keys_free(k);
	kfree(k);
}

static int params_ok(void)
{
	int i;

	if (!nr_sizes) {
		memcpy(sizes, default_sizes, sizeof(sizes));
		nr_sizes = ARRAY_SIZE(default_sizes);
	}
	for (i = 0; i < nr_sizes; i++)
		if (sizes[i] < SMBSIGN_HDR_SIZE || sizes[i] > SMBSIGN_BENCH_MAX_SIZE)
			return -EINVAL;
	if (!rounds || rounds > BENCH_MAX_ROUNDS || strlen(label) > 1)
		return -EINVAL;
	return 0;
}

static int __init smbsign_bench_init(void)
{
	struct smbsign_bench_buf *b;
	enum smbsign_alg alg;
	struct row *r;
	int err;

	err = params_ok();
	if (err) {
		pr_err("bad parameters: sizes 64..1048576, rounds 1..31, label one letter\n");
		return err;
	}
	if (conc_threads) {
		errors = smbsign_bench_concurrency(max_iters, conc_threads);
		goto done;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	err = -ENOMEM;
	if (!b || !r)
		goto free;
	err = smbsign_bench_buf_init(b);
	if (err)
		goto free;
	for (alg = 0; alg < SMBSIGN_ALG_COUNT; alg++)
		if (listed(algs, smbsign_alg_name(alg)))
			run_alg(alg, b, r);
	smbsign_bench_buf_free(b);
	err = 0;
free:
	kfree(r);
	kfree(b);
	if (err)
		return err;
done:
	pr_info("done errors=%d\n", errors);
	return 0;
}

static void __exit smbsign_bench_exit(void)
{
}

module_init(smbsign_bench_init);
module_exit(smbsign_bench_exit);

MODULE_DESCRIPTION("smbsign benchmark: smbsign vs the 6.12 cifs and ksmbd signing");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(SMBSIGN);
