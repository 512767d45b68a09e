// SPDX-License-Identifier: GPL-2.0
/*
 * Per-session signing contexts: one algorithm, one key, one transform,
 * allocated and keyed once (MS-SMB2 3.2.5.3.1: Session.SigningKey and
 * Channel.SigningKey are fixed for the life of the session or channel),
 * and for AES-GMAC the guard that keeps its nonces unique.
 */
#include <linux/err.h>
#include <linux/error-injection.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "smbsign.h"
#include "trace.h"

/**
 * smbsign_alg_name() - the name of an algorithm as sysfs and logs show it
 * @alg: the algorithm
 *
 * Context: any context.
 * Return: "hmac-sha256", "aes-cmac", "aes-gmac", or NULL if @alg is not an
 * algorithm.
 */
const char *smbsign_alg_name(enum smbsign_alg alg)
{
	BUILD_BUG_ON(SMBSIGN_PARSE_NR_ALGS != SMBSIGN_ALG_COUNT);
	if ((unsigned int)alg >= SMBSIGN_ALG_COUNT)
		return NULL;
	return smbsign_parse_alg_names[alg];
}
EXPORT_SYMBOL_NS_GPL(smbsign_alg_name, SMBSIGN);

/**
 * smbsign_ctx_create() - allocate a keyed signing context
 * @side: SMBSIGN_CLIENT or SMBSIGN_SERVER: where the messages signed and
 *	verified through the context are counted, and their direction
 * @rec: the record of the session the key belongs to, or NULL (the
 *	self-tests); the context takes a reference on it
 * @alg: the algorithm
 * @key: the key
 * @key_len: must be SMBSIGN_KEY_SIZE
 *
 * smbsign_ctx_alloc() for a session; the self-tests call it directly.
 *
 * Context: process context; may sleep.
 * Return: as smbsign_ctx_alloc().
 */
noinline struct smbsign_ctx *smbsign_ctx_create(enum smbsign_side side,
						struct smbsign_sess_rec *rec,
						enum smbsign_alg alg,
						const u8 *key,
						unsigned int key_len)
{
	struct smbsign_ctx *ctx;
	int err;

	/* Never trust a length that may come from the wire (CVE-2023-52440). */
	if ((unsigned int)side >= SMBSIGN_SIDE_COUNT ||
	    (unsigned int)alg >= SMBSIGN_ALG_COUNT || !key ||
	    key_len != SMBSIGN_KEY_SIZE)
		return ERR_PTR(-EINVAL);

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->side = side;
	if (alg == SMBSIGN_ALG_AES_GMAC) {
		ctx->guard = kvzalloc(sizeof(*ctx->guard), GFP_KERNEL);
		if (!ctx->guard) {
			err = -ENOMEM;
			goto free_ctx;
		}
		spin_lock_init(&ctx->guard->lock);
	}
	err = smbsign_mac_init(&ctx->mac, alg, key, key_len);
	if (err)
		goto free_guard;
	if (rec) {
		refcount_inc(&rec->ref);
		ctx->rec = rec;
	}
	return ctx;

free_guard:
	kvfree(ctx->guard);
free_ctx:
	kfree_sensitive(ctx);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_ctx_create);
/*
 * Where a session's key gets its context (cifs at the end of
 * SESSION_SETUP, ksmbd in its final response, MS-SMB2 3.2.5.3.1 and
 * 3.3.5.5.3): an injected error is an ERR_PTR, as an allocation failure
 * here would return. noinline: smbsign_ctx_alloc() calls it from this
 * file, and an inlined copy would not see the injection.
 */
ALLOW_ERROR_INJECTION(smbsign_ctx_create, ERRNO);

/**
 * smbsign_ctx_alloc() - allocate a keyed signing context for a session
 * @sess: the session the key belongs to, from smbsign_session_init(): the
 *	context signs and verifies for its side, and counts into its line
 *	of /proc/fs/smbsign/sessions
 * @alg: the negotiated signing algorithm
 * @key: the signing key: Session.SigningKey or Channel.SigningKey
 *	(MS-SMB2 3.2.5.3.1, 3.3.5.5.3); for SMB 2.0.2 and 2.1 the first 16
 *	bytes of the session key
 * @key_len: must be SMBSIGN_KEY_SIZE (16)
 *
 * The transform is allocated and keyed here, once; signing and verifying
 * through the context never allocate a transform or set a key. The
 * caller's copy of @key is not retained. An AES-GMAC context also gets its
 * nonce guard here (two windows of SMBSIGN_NONCE_WINDOW bits). The context
 * may outlive smbsign_session_exit() of @sess.
 *
 * Context: process context; may sleep.
 * Return: the context, or ERR_PTR(-EINVAL) for a session whose
 * smbsign_session_init() failed, an unknown algorithm or a key that is
 * not 16 bytes, ERR_PTR(-ENOENT) if the crypto API has no implementation
 * of the algorithm, ERR_PTR(-ENOMEM).
 */
struct smbsign_ctx *smbsign_ctx_alloc(struct smbsign_session *sess,
				      enum smbsign_alg alg, const u8 *key,
				      unsigned int key_len)
{
	if (!sess || !sess->rec)
		return ERR_PTR(-EINVAL);
	return smbsign_ctx_create(sess->side, sess->rec, alg, key, key_len);
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_alloc, SMBSIGN);

/**
 * smbsign_ctx_free() - free a context and wipe its key material
 * @ctx: the context, or NULL
 *
 * The caller must make sure no sign or verify on @ctx is in progress.
 *
 * Context: process context.
 */
void smbsign_ctx_free(struct smbsign_ctx *ctx)
{
	if (IS_ERR_OR_NULL(ctx))
		return;
	smbsign_mac_destroy(&ctx->mac);
	kvfree(ctx->guard);
	smbsign_sess_rec_put(ctx->rec);
	kfree_sensitive(ctx);
}
EXPORT_SYMBOL_NS_GPL(smbsign_ctx_free, SMBSIGN);

/**
 * smbsign_ctx_peer() - the peer of a context's session, for logs
 * @ctx: the context
 *
 * Context: any context.
 * Return: e.g. "fileserver (192.0.2.7)", or "unknown peer".
 */
const char *smbsign_ctx_peer(const struct smbsign_ctx *ctx)
{
	return ctx->rec ? ctx->rec->peer : "unknown peer";
}

/**
 * smbsign_ctx_claim_nonce() - let an AES-GMAC context sign a message once
 * @ctx: the context
 * @hdr: the header of the message about to be signed
 *
 * Records the message's MessageId in the window of its role (MS-SMB2
 * 3.1.4.1: the nonce is the MessageId and the role), or refuses it; a
 * refusal is counted (nonce_refused), traced and logged, rate-limited,
 * since a peer may have provoked it. Other algorithms have no nonce.
 *
 * Context: process context (the guard's spinlock is taken with bottom
 * halves enabled: nobody signs from softirq context).
 * Return: 0 to sign, -EEXIST for a MessageId the context already signed
 * in that role, -ERANGE for one too far below the highest it signed.
 */
int smbsign_ctx_claim_nonce(struct smbsign_ctx *ctx,
			    const struct smbsign_hdr *hdr)
{
	struct smbsign_nonce_guard *g = ctx->guard;
	bool cancel = hdr->command == SMBSIGN_CMD_CANCEL;
	const char *why;
	int err;

	if (!g)
		return 0;
	spin_lock(&g->lock);
	err = smbsign_nonce_claim(&g->win[cancel], hdr->message_id);
	spin_unlock(&g->lock);
	if (!err)
		return 0;

	why = err == -EEXIST ? "MessageId already signed" :
			       "MessageId below the nonce window";
	smbsign_stats_count(ctx->side, ctx->mac.alg, SMBSIGN_CNT_NONCE_REFUSED,
			    SMBSIGN_CNT_COUNT, 0);
	trace_smbsign_nonce_refused(ctx->side, smbsign_ctx_peer(ctx),
				    hdr->session_id, hdr->message_id,
				    hdr->command, ctx->mac.alg, 0, why);
	pr_warn_ratelimited("%s: refused to sign message %llu to %s (session 0x%llx, command %u) with aes-gmac: %s\n",
			    ctx->side == SMBSIGN_SERVER ? "server" : "client",
			    hdr->message_id, smbsign_ctx_peer(ctx), hdr->session_id,
			    hdr->command, why);
	return err;
}
