// SPDX-License-Identifier: GPL-2.0
/*
 * Signing and verifying messages and compound chains (MS-SMB2 3.1.4.1,
 * 3.1.5.1, 3.2.4.1.4, 3.3.4.1.3).
 *
 * Every element is checked before anything is signed or verified: a
 * malformed message changes nothing and gets -EINVAL. The header of each
 * element is copied to the stack, so the caller's buffer is read once for
 * the checks, never written by verify, and written by sign only with the
 * finished Flags and Signature.
 */
#include <crypto/utils.h>
#include <linux/error-injection.h>
#include <linux/string.h>

#include "smbsign.h"

struct elem {
	size_t off;
	size_t len;
	unsigned int idx;
	struct smbsign_hdr hdr;
	u8 raw[SMBSIGN_HDR_SIZE];
};

typedef int (*elem_fn)(struct smbsign_ctx *ctx,
		       const struct smbsign_msg *msg, struct elem *e);

/*
 * A single message may carry a NextCommand equal to its own length: cifs
 * signs each element of a compound in its own buffer, padding included.
 */
static int single_elem_len(const struct smbsign_hdr *hdr, size_t total,
			   size_t *len)
{
	if (hdr->next_command &&
	    (hdr->next_command != total || hdr->next_command % 8))
		return -EINVAL;
	*len = total;
	return 0;
}

static int elem_check(const struct smbsign_ctx *ctx, const struct elem *e,
		      bool sign)
{
	bool from_server = e->hdr.flags & SMBSIGN_FLAG_SERVER_TO_REDIR;
	bool server = ctx->side == SMBSIGN_SERVER;

	/*
	 * GMAC nonces are built from the MessageId: 0 and 0xFFFF... are not
	 * unique per key (MS-SMB2 3.2.4.1.3; Samba refuses both as well).
	 */
	if (ctx->mac.alg == SMBSIGN_ALG_AES_GMAC &&
	    (e->hdr.message_id == 0 || e->hdr.message_id == U64_MAX))
		return -EINVAL;
	/*
	 * A context signs only its own side's messages: the role bit of the
	 * GMAC nonce then never collides with the peer's, which shares the
	 * key (MS-SMB2 3.1.4.1).
	 */
	if (sign && from_server != server)
		return -EINVAL;
	return 0;
}

/*
 * Walk the elements of @msg; with @fn NULL only check them. @single
 * treats the message as one element whatever its NextCommand says.
 */
static int walk(struct smbsign_ctx *ctx, const struct smbsign_msg *msg,
		size_t total, bool single, bool sign, elem_fn fn,
		unsigned int *bad)
{
	struct smbsign_hdr first = { 0 };
	struct elem e = { 0 };
	int err;

	for (;;) {
		err = smbsign_msg_read(msg, e.off, e.raw, SMBSIGN_HDR_SIZE);
		if (!err)
			err = smbsign_hdr_parse(e.raw, SMBSIGN_HDR_SIZE, &e.hdr);
		if (err)
			break;
		if (single)
			err = single_elem_len(&e.hdr, total, &e.len);
		else
			err = smbsign_chain_elem_len(&e.hdr, e.off, total,
						     &e.len);
		if (!err)
			err = elem_check(ctx, &e, sign);
		if (err)
			break;
		if (!e.idx)
			first = e.hdr;
		else if (!smbsign_chain_same_session(&first, &e.hdr))
			err = -EINVAL;
		if (!err && fn)
			err = fn(ctx, msg, &e);
		if (err || e.off + e.len == total)
			break;
		e.off += e.len;
		e.idx++;
	}
	if (err && bad)
		*bad = e.idx;
	memzero_explicit(&e, sizeof(e));
	return err;
}

static int elem_sign(struct smbsign_ctx *ctx, const struct smbsign_msg *msg,
		     struct elem *e)
{
	u8 nonce[SMBSIGN_GMAC_NONCE_SIZE];
	u8 sig[SMBSIGN_SIG_SIZE];
	int err;

	/* The SIGNED flag is part of what is signed (MS-SMB2 3.1.4.1). */
	e->hdr.flags |= SMBSIGN_FLAG_SIGNED;
	e->raw[SMBSIGN_HDR_FLAGS] |= SMBSIGN_FLAG_SIGNED;
	memset(e->raw + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
	smbsign_gmac_nonce(&e->hdr, nonce);
	err = smbsign_mac_compute(&ctx->mac, e->raw, msg, e->off, e->len,
				  nonce, sig);
	/* The signature leaves smbsign only under a nonce never used. */
	if (!err)
		err = smbsign_ctx_claim_nonce(ctx, &e->hdr);
	if (!err)
		err = smbsign_msg_write(msg, e->off + SMBSIGN_HDR_FLAGS,
					e->raw + SMBSIGN_HDR_FLAGS, 1);
	if (!err)
		err = smbsign_msg_write(msg, e->off + SMBSIGN_SIG_OFFSET,
					sig, sizeof(sig));
	if (!err) {
		smbsign_stats_count(ctx->side, ctx->mac.alg, SMBSIGN_CNT_SIGNED,
				    SMBSIGN_CNT_BYTES_SIGNED, e->len);
		if (ctx->rec)
			atomic64_inc(&ctx->rec->signed_msgs);
	}
	memzero_explicit(sig, sizeof(sig));
	return err;
}

static int elem_verify(struct smbsign_ctx *ctx,
		       const struct smbsign_msg *msg, struct elem *e)
{
	u8 nonce[SMBSIGN_GMAC_NONCE_SIZE];
	u8 got[SMBSIGN_SIG_SIZE];
	u8 want[SMBSIGN_SIG_SIZE];
	int err;

	memcpy(got, e->raw + SMBSIGN_SIG_OFFSET, sizeof(got));
	memset(e->raw + SMBSIGN_SIG_OFFSET, 0, SMBSIGN_SIG_SIZE);
	smbsign_gmac_nonce(&e->hdr, nonce);
	err = smbsign_mac_compute(&ctx->mac, e->raw, msg, e->off, e->len,
				  nonce, want);
	/* Constant time: no timing oracle on the signature (CVE-2026-23364). */
	if (!err && crypto_memneq(got, want, sizeof(want)))
		err = -EBADMSG;
	if (!err || err == -EBADMSG) {
		smbsign_stats_count(ctx->side, ctx->mac.alg,
				    err ? SMBSIGN_CNT_VERIFY_FAILED :
					  SMBSIGN_CNT_VERIFIED,
				    SMBSIGN_CNT_BYTES_VERIFIED, e->len);
		if (ctx->rec)
			atomic64_inc(err ? &ctx->rec->failed :
				     &ctx->rec->verified);
	}
	memzero_explicit(want, sizeof(want));
	return err;
}

static int run(struct smbsign_ctx *ctx, const struct smbsign_msg *msg,
	       bool single, elem_fn fn, unsigned int *bad)
{
	bool sign = fn == elem_sign;
	size_t total;
	int err;

	if (!ctx)
		return -EINVAL;
	err = smbsign_msg_check(msg, &total);
	if (err)
		return err;
	/* A single message is one element: no second pass to check first. */
	if (!single) {
		err = walk(ctx, msg, total, false, sign, NULL, bad);
		if (err)
			return err;
	}
	return walk(ctx, msg, total, single, sign, fn, bad);
}

/**
 * smbsign_sign() - sign one SMB2 message in place
 * @ctx: the session's (or channel's) context
 * @msg: the message; its NextCommand is 0 or the message's own length
 *	(one element of a compound, padded, as cifs sends it)
 *
 * Sets SMB2_FLAGS_SIGNED and writes the Signature field. Nothing is
 * written if the message is malformed or signing fails.
 *
 * With AES-GMAC the context records the MessageId (per role) before the
 * signature leaves smbsign, and never signs it again: see the nonce
 * guarantee in include/linux/smbsign.h.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a malformed message (no SMB2 header in the
 * kvecs, a bad NextCommand, MessageId 0 or 0xFFFFFFFFFFFFFFFF with
 * AES-GMAC, SMB2_FLAGS_SERVER_TO_REDIR not matching the context's side),
 * -EEXIST if an AES-GMAC context already signed that MessageId in that
 * role, -ERANGE if it is more than SMBSIGN_NONCE_WINDOW below the highest
 * one signed, -EMSGSIZE, -ENOMEM, or the crypto API's error.
 */
int smbsign_sign(struct smbsign_ctx *ctx, const struct smbsign_msg *msg)
{
	return run(ctx, msg, true, elem_sign, NULL);
}
EXPORT_SYMBOL_NS_GPL(smbsign_sign, SMBSIGN);
/*
 * Signing and verifying fail apart (smbsign_mac_compute() fails both):
 * cifs must not send a request it could not sign, ksmbd must drop the
 * connection rather than send a response unsigned (MS-SMB2 3.3.4.1.1).
 */
ALLOW_ERROR_INJECTION(smbsign_sign, ERRNO);

/**
 * smbsign_verify() - verify the signature of one SMB2 message
 * @ctx: the session's (or channel's) context
 * @msg: the message, as for smbsign_sign()
 *
 * The message is not modified. The signature is checked whatever the
 * SMB2_FLAGS_SIGNED flag says; whether an unsigned message is acceptable
 * is policy, decided by the caller.
 *
 * Context: process context; may sleep.
 * Return: 0 if the signature is valid, -EBADMSG if it is not, -EINVAL for
 * a malformed message, -EMSGSIZE, -ENOMEM, or the crypto API's error.
 */
int smbsign_verify(struct smbsign_ctx *ctx, const struct smbsign_msg *msg)
{
	return run(ctx, msg, true, elem_verify, NULL);
}
EXPORT_SYMBOL_NS_GPL(smbsign_verify, SMBSIGN);
/* A verify that cannot run is a refusal to the caller (MS-SMB2 3.2.5.1.3). */
ALLOW_ERROR_INJECTION(smbsign_verify, ERRNO);

/**
 * smbsign_sign_chain() - sign every element of a compound chain in place
 * @ctx: the session's context
 * @msg: the chain; elements follow NextCommand (MS-SMB2 3.3.4.1.3)
 *
 * Each element is signed on its own, padding included. Every element must
 * belong to the session of the first (its SessionId, or 0xFFFF... on a
 * related operation). The whole chain is checked before anything is
 * written.
 *
 * Context: process context; may sleep.
 * Return: as smbsign_sign(); -EINVAL also for a NextCommand that is not
 * 8-byte aligned, points outside the message or leaves an element shorter
 * than a header, and for an element of another session.
 */
int smbsign_sign_chain(struct smbsign_ctx *ctx, const struct smbsign_msg *msg)
{
	return run(ctx, msg, false, elem_sign, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_sign_chain);

/**
 * smbsign_verify_chain() - verify every element of a compound chain
 * @ctx: the session's context
 * @msg: the chain
 * @bad_elem: if not NULL, set to the index of the element that failed
 *
 * Stops at the first element that fails; the message is not modified.
 *
 * Context: process context; may sleep.
 * Return: as smbsign_verify(), and -EINVAL as smbsign_sign_chain().
 */
int smbsign_verify_chain(struct smbsign_ctx *ctx,
			 const struct smbsign_msg *msg, unsigned int *bad_elem)
{
	return run(ctx, msg, false, elem_verify, bad_elem);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_verify_chain);
