/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsign_bench - what the benchmark's files share.
 *
 * One message is one SMB2 header followed by its body, in one physically
 * contiguous buffer (struct smbsign_bench_buf), seen three ways:
 *  - as cifs hands it to smbsign and to its own 6.12 signing code: kvecs
 *    for the header and the start of the body, the rest (the payload of a
 *    READ or WRITE) as an ITER_BVEC of pages;
 *  - as ksmbd 6.12 signs it: kvecs only;
 *  - as one flat buffer, for the raw primitive.
 */
#ifndef SMBSIGN_BENCH_H
#define SMBSIGN_BENCH_H

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/bvec.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/smbsign.h>
#include <linux/uio.h>

/* Message sizes measured: 64 B to 1 MiB. */
#define SMBSIGN_BENCH_MAX_SIZE		SZ_1M
/*
 * Bodies above this go to pages (a READ response's or WRITE request's
 * payload); cifs keeps smaller messages in kvecs.
 */
#define SMBSIGN_BENCH_KVEC_MAX		1024
/* The kvec part in front of the pages: header plus a READ response body. */
#define SMBSIGN_BENCH_KVEC_HEAD		(SMBSIGN_HDR_SIZE + 16)
#define SMBSIGN_BENCH_MAX_PAGES		(SMBSIGN_BENCH_MAX_SIZE / PAGE_SIZE + 1)

/* Paths measured; letters as in Documentation/performance.rst. */
enum smbsign_bench_path {
	SMBSIGN_BENCH_API,	/* a: smbsign_sign()/smbsign_verify() */
	SMBSIGN_BENCH_CIFS,	/* b: Linux 6.12 fs/smb/client/smb2transport.c */
	SMBSIGN_BENCH_KSMBD,	/* c: Linux 6.12 fs/smb/server/auth.c */
	SMBSIGN_BENCH_RAW,	/* d: pre-keyed transform, flat buffer */
	SMBSIGN_BENCH_NR_PATHS
};

/**
 * struct smbsign_bench_buf - one message buffer and its views
 * @page: first of the contiguous pages holding the message
 * @data: their kernel mapping
 * @size: current message size
 * @iov: the kvecs: header (and the body up to SMBSIGN_BENCH_KVEC_HEAD
 *	for a paged message, all of it otherwise)
 * @nr_iov: entries used in @iov
 * @bv: the payload pages of a paged message
 * @nr_bv: entries used in @bv
 * @data_len: bytes in @bv
 * @kiov: ksmbd's view, kvecs only (header, body)
 */
struct smbsign_bench_buf {
	struct page *page;
	u8 *data;
	size_t size;
	struct kvec iov[2];
	unsigned int nr_iov;
	struct bio_vec bv[SMBSIGN_BENCH_MAX_PAGES];
	unsigned int nr_bv;
	size_t data_len;
	struct kvec kiov[2];
};

/**
 * struct smbsign_bench_pool - ksmbd's pool of crypto contexts, one entry
 * @lock: protects @idle
 * @idle: the entries nobody uses
 * @wait: where a caller waits for an idle entry
 * @entry: the one entry, holding &struct smbsign_bench_keys.desc
 */
struct smbsign_bench_pool {
	spinlock_t lock;	/* protects idle */
	struct list_head idle;
	wait_queue_head_t wait;
	struct smbsign_bench_pool_entry {
		struct list_head list;
		struct shash_desc *desc;
	} entry;
};

/**
 * struct smbsign_bench_keys - everything keyed once for one algorithm
 * @alg: the algorithm
 * @key: the signing key
 * @sess_cli: the client session @cli belongs to
 * @sess_srv: the server session @srv belongs to
 * @cli: smbsign client context: signs requests, verifies responses
 * @srv: smbsign server context: signs the responses @cli verifies
 * @shash: path b's per-connection transform (cifs' server->secmech),
 *	keyed on every message as cifs does; path c's pool entry; NULL
 *	for AES-GMAC, which 6.12 does not have
 * @desc: its descriptor, allocated once like cifs' and ksmbd's
 * @pool: path c's pool, holding @desc
 * @raw: path d's pre-keyed hash transform (HMAC, CMAC)
 * @aead: path d's pre-keyed gcm(aes) transform (GMAC)
 * @req: its request
 * @sg: the AAD and the tag
 * @tag: where path d's GMAC tag goes
 * @next_mid: the next MessageId to sign with (GMAC never repeats one)
 */
struct smbsign_bench_keys {
	enum smbsign_alg alg;
	u8 key[SMBSIGN_KEY_SIZE];
	struct smbsign_session sess_cli;
	struct smbsign_session sess_srv;
	struct smbsign_ctx *cli;
	struct smbsign_ctx *srv;
	struct crypto_shash *shash;
	struct shash_desc *desc;
	struct smbsign_bench_pool pool;
	struct crypto_shash *raw;
	struct crypto_aead *aead;
	struct aead_request *req;
	struct scatterlist sg[2];
	u8 *tag;
	atomic64_t next_mid;
};

int smbsign_bench_buf_init(struct smbsign_bench_buf *b);
void smbsign_bench_buf_free(struct smbsign_bench_buf *b);
void smbsign_bench_buf_shape(struct smbsign_bench_buf *b, size_t size,
			     bool server, u64 mid);
void smbsign_bench_msg(struct smbsign_bench_buf *b, struct smbsign_msg *msg,
		       struct iov_iter *it);

int smbsign_bench_keys_init(struct smbsign_bench_keys *k, enum smbsign_alg alg);
void smbsign_bench_keys_free(struct smbsign_bench_keys *k);
bool smbsign_bench_has_path(enum smbsign_alg alg, enum smbsign_bench_path p);
int smbsign_bench_sign(struct smbsign_bench_keys *k,
		       struct smbsign_bench_buf *b, enum smbsign_bench_path p);
int smbsign_bench_verify(struct smbsign_bench_keys *k,
			 struct smbsign_bench_buf *b,
			 enum smbsign_bench_path p);
int smbsign_bench_raw_mac(struct smbsign_bench_keys *k, const u8 *data,
			  size_t len, u64 mid, bool server, u8 *out);

int smbsign_bench_concurrency(unsigned int iters, unsigned int max_threads);

#endif /* SMBSIGN_BENCH_H */
