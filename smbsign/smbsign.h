/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the smbsign module. The public API is
 * include/linux/smbsign.h.
 */
#ifndef _SMBSIGN_INTERNAL_H
#define _SMBSIGN_INTERNAL_H

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/seq_file.h>
#include <linux/smbsign.h>
#include <linux/spinlock.h>

#include "names.h"
#include "nonce.h"
#include "parse.h"
#include "peers.h"
#include "walker.h"

#define SMBSIGN_VERSION "0.2.0"

struct crypto_shash;
struct crypto_aead;
struct aead_request;
struct scatterlist;
struct shash_desc;

/* msg.c: byte ranges of a struct smbsign_msg */
int smbsign_msg_check(const struct smbsign_msg *msg, size_t *total);
int smbsign_msg_read(const struct smbsign_msg *msg, size_t off, void *buf,
		     size_t len);
int smbsign_msg_write(const struct smbsign_msg *msg, size_t off,
		      const void *buf, size_t len);
int smbsign_msg_hash(const struct smbsign_msg *msg, size_t off, size_t len,
		     struct shash_desc *desc);
typedef int (*smbsign_msg_fn)(const void *base, size_t len, void *arg);
int smbsign_msg_walk(const struct smbsign_msg *msg, size_t off, size_t len,
		     smbsign_msg_fn fn, void *arg);
unsigned int smbsign_msg_sg_count(const struct smbsign_msg *msg, size_t off,
				  size_t len);
int smbsign_msg_to_sg(const struct smbsign_msg *msg, size_t off, size_t len,
		      struct scatterlist *sgl, unsigned int *nents,
		      unsigned int sg_max);

/*
 * mac.c: one keyed transform and what a message needs besides it.
 *
 * GMAC goes through the gcm(aes) AEAD, whose request and scatterlist are
 * preallocated here and used by one message at a time.
 */
#define SMBSIGN_GMAC_SG_INLINE	64

struct smbsign_gmac_buf {
	u8 hdr[SMBSIGN_HDR_SIZE];
	u8 tag[SMBSIGN_SIG_SIZE];
	u8 iv[SMBSIGN_GMAC_NONCE_SIZE];
};

struct smbsign_fast_key;

struct smbsign_mac {
	enum smbsign_alg alg;
	union {
		struct crypto_shash *shash;
		struct crypto_aead *aead;
	};
	/* GMAC only: @lock protects @req, @sg, @sg_max and @buf. */
	struct mutex lock;
	struct aead_request *req;
	struct scatterlist *sg;
	unsigned int sg_max;
	struct smbsign_gmac_buf *buf;
	/* The fast path's key material (fast_x86.c), or NULL: read-only. */
	struct smbsign_fast_key *fast;
};

int smbsign_mac_init(struct smbsign_mac *mac, enum smbsign_alg alg,
		     const u8 *key, unsigned int key_len);
void smbsign_mac_destroy(struct smbsign_mac *mac);
const char *smbsign_mac_driver(const struct smbsign_mac *mac);
int smbsign_mac_compute(struct smbsign_mac *mac, const u8 *hdr,
			const struct smbsign_msg *msg, size_t off, size_t len,
			const u8 *nonce, u8 out[SMBSIGN_SIG_SIZE]);

/* select.c: the fast path or the crypto API */
void smbsign_select_fast_enable(enum smbsign_alg alg, bool on);
bool smbsign_select_fast_ok(enum smbsign_alg alg);
bool smbsign_select_crypto_api_only(void);
int smbsign_select_set_crypto_api_only(const char *buf, size_t len);
const char *smbsign_select_driver(enum smbsign_alg alg);

/* fast_x86.c: the x86_64 fast paths of AES-GMAC and AES-CMAC */
#ifdef CONFIG_X86_64
unsigned int smbsign_fast_probe(void);
const char *smbsign_fast_driver(enum smbsign_alg alg);
int smbsign_fast_key_init(struct smbsign_mac *mac, const u8 *key,
			  unsigned int key_len);
void smbsign_fast_key_free(struct smbsign_mac *mac);
bool smbsign_fast_serves(const struct smbsign_mac *mac);
int smbsign_fast_compute(struct smbsign_mac *mac, const u8 *hdr,
			 const struct smbsign_msg *msg, size_t off,
			 size_t len, const u8 *nonce, u8 *out);
#else
static inline unsigned int smbsign_fast_probe(void) { return 0; }
static inline const char *smbsign_fast_driver(enum smbsign_alg alg)
{
	return "";
}

static inline int smbsign_fast_key_init(struct smbsign_mac *mac,
					const u8 *key, unsigned int key_len)
{
	mac->fast = NULL;
	return 0;
}

static inline void smbsign_fast_key_free(struct smbsign_mac *mac) { }
static inline bool smbsign_fast_serves(const struct smbsign_mac *mac)
{
	return false;
}

static inline int smbsign_fast_compute(struct smbsign_mac *mac, const u8 *hdr,
				       const struct smbsign_msg *msg,
				       size_t off, size_t len, const u8 *nonce,
				       u8 *out)
{
	return -EOPNOTSUPP;
}
#endif

/* ctx.c */

/**
 * struct smbsign_nonce_guard - the MessageIds an AES-GMAC context signed
 * @lock: protects @win
 * @win: one window per value of the CANCEL bit of the nonce's role; the
 *	direction bit is fixed by the context's side
 */
struct smbsign_nonce_guard {
	spinlock_t lock;	/* protects win[] */
	struct smbsign_nonce_window win[2];
};

/**
 * struct smbsign_ctx - a keyed signing context (one session or channel key)
 * @mac: the keyed transform
 * @side: client or server: counters, and the direction it signs
 * @guard: AES-GMAC only: the nonce guard (include/linux/smbsign.h)
 * @rec: the record of the session the key belongs to (per-session
 *	counters, the peer for logs), referenced; NULL for the self-tests
 */
struct smbsign_ctx {
	struct smbsign_mac mac;
	enum smbsign_side side;
	struct smbsign_nonce_guard *guard;
	struct smbsign_sess_rec *rec;
};

struct smbsign_ctx *smbsign_ctx_create(enum smbsign_side side,
				       struct smbsign_sess_rec *rec,
				       enum smbsign_alg alg, const u8 *key,
				       unsigned int key_len);
int smbsign_ctx_claim_nonce(struct smbsign_ctx *ctx,
			    const struct smbsign_hdr *hdr);
const char *smbsign_ctx_peer(const struct smbsign_ctx *ctx);

/* kdf.c */
int smbsign_kdf(const u8 *ki, unsigned int ki_len, const u8 *label,
		unsigned int label_len, const u8 *context,
		unsigned int context_len, u8 *out, unsigned int out_len);
int smbsign_kdf_fixed(const u8 *ki, unsigned int ki_len, const u8 *fixed,
		      unsigned int fixed_len, u8 *out, unsigned int out_len);
int smbsign_hash_init(void);
void smbsign_hash_exit(void);

/* selftest.c */
int smbsign_selftest(void);
const char *smbsign_selftest_driver(enum smbsign_alg alg);

/* stats.c: per-cpu counters, per side and algorithm (names.h) */

int smbsign_stats_init(void);
void smbsign_stats_exit(void);
void smbsign_stats_count(enum smbsign_side side, enum smbsign_alg alg,
			 enum smbsign_counter cnt,
			 enum smbsign_counter bytes_cnt, u64 bytes);
u64 smbsign_stats_read(enum smbsign_side side, enum smbsign_alg alg,
		       enum smbsign_counter cnt);
void smbsign_stats_reset(void);

/* policy.c: the live policy behind sysfs and the module parameters */
extern const struct smbsign_knob_desc smbsign_knobs[SMBSIGN_KNOB_COUNT];

bool smbsign_policy_knob(enum smbsign_knob knob);
int smbsign_policy_set_knob(enum smbsign_knob knob, const char *buf,
			    size_t len);
int smbsign_policy_set_algs(const char *buf, size_t len);
int smbsign_policy_format_algs(char *buf, bool bracket);
int smbsign_policy_set_peers(enum smbsign_side side, const char *buf,
			     size_t len);
int smbsign_policy_format_peers(enum smbsign_side side, char *buf);
void smbsign_policy_exit(void);
void smbsign_peer_addr_from_sockaddr(const struct sockaddr *sa,
				     struct smbsign_peer_addr *addr);

/* session.c: the registry of live sessions (/proc/fs/smbsign/sessions) */

/**
 * struct smbsign_sess_rec - smbsign's record of a session
 * @node: on the registry's list, under its lock; unlinked (empty) once
 *	the session called smbsign_session_exit()
 * @sess: the consumer's session while @node is linked; read only under
 *	the registry's lock
 * @ref: one for the session, one for each context keyed for it
 * @side: the session's side
 * @addr: the peer's address
 * @name: the peer's name (client: the server name of the mount), or ""
 * @peer: the peer as logs and tracepoints show it
 * @signed_msgs: messages signed with the session's keys
 * @verified: messages whose signature verified
 * @failed: messages refused: bad or missing signatures
 */
struct smbsign_sess_rec {
	struct list_head node;
	struct smbsign_session *sess;
	refcount_t ref;
	enum smbsign_side side;
	struct smbsign_peer_addr addr;
	char name[SMBSIGN_PEER_NAME_MAX + 1];
	char peer[SMBSIGN_PEER_MAX];
	atomic64_t signed_msgs;
	atomic64_t verified;
	atomic64_t failed;
};

void smbsign_sess_rec_put(struct smbsign_sess_rec *rec);
const char *smbsign_dialect_name(u16 dialect);
extern const struct seq_operations smbsign_sessions_seq_ops;

/* audit.c: what breaks if signing is required (/proc/fs/smbsign/audit) */
enum smbsign_audit_event {
	SMBSIGN_AUDIT_UNSIGNED,
	SMBSIGN_AUDIT_GUEST,
	SMBSIGN_AUDIT_ANONYMOUS,
	SMBSIGN_AUDIT_EXEMPTED,
	SMBSIGN_AUDIT_COUNT
};

#define SMBSIGN_AUDIT_ROWS	256

int smbsign_audit_init(void);
void smbsign_audit_exit(void);
void smbsign_audit_record(const struct smbsign_sess_rec *rec,
			  enum smbsign_audit_event ev);
void smbsign_audit_reset(void);
int smbsign_audit_show(struct seq_file *m, void *v);

/* proc.c */
int smbsign_proc_init(void);
void smbsign_proc_exit(void);

/* decide.c */
const char *smbsign_status_name(u32 status);

/* sign.c: whole compound chains (the KUnit suites walk them) */
int smbsign_sign_chain(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
int smbsign_verify_chain(struct smbsign_ctx *ctx,
			 const struct smbsign_msg *msg, unsigned int *bad_elem);

/* sysfs.c */
int smbsign_sysfs_init(void);
void smbsign_sysfs_exit(void);

#endif /* _SMBSIGN_INTERNAL_H */
