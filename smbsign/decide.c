// SPDX-License-Identifier: GPL-2.0
/*
 * The policy decision for cifs and ksmbd: whether a session may be set up
 * and whether a received message may be processed, given the session's
 * policy snapshot and the outcome of signature verification.
 *
 * The rules come from MS-SMB2 and from Windows' RequireSecuritySignature
 * semantics:
 *
 *  - A message that carries a signature is verified, required or not;
 *    a bad signature is refused (MS-SMB2 3.2.5.1.3, 3.3.5.2.4): the server
 *    answers STATUS_ACCESS_DENIED, the client drops the response with
 *    STATUS_INVALID_SIGNATURE.
 *  - An unsigned message on a session that requires signing is refused
 *    the same way, apart from what MS-SMB2 exempts: NEGOTIATE, unsigned
 *    SESSION_SETUP requests (the server) and their interim responses (the
 *    client), STATUS_PENDING interim responses and MessageId
 *    0xFFFFFFFFFFFFFFFF break notifications (3.2.5.1.3), messages that
 *    arrived encrypted (3.2.5.1.1.1, 3.3.5.2.1.1).
 *  - Guest and anonymous sessions cannot sign: requiring signing on a side
 *    refuses them on that side; the client also refuses guest sessions
 *    unless insecure guest logons are allowed.
 *
 * Every refusal is counted, traced and logged (rate-limited: a remote peer
 * can trigger it) with the NTSTATUS and a pointer to smbsignctl explain.
 */
#include <linux/bitops.h>
#include <linux/ratelimit.h>
#include <linux/string.h>

#include "smbsign.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#define STATUS_PENDING			0x00000103U
#define STATUS_MORE_PROCESSING_REQUIRED	0xc0000016U
#define STATUS_USER_SESSION_DELETED	0xc0000203U

#define SMB2_NEGOTIATE		0x0000
#define SMB2_SESSION_SETUP	0x0001

static const char *const side_names[SMBSIGN_SIDE_COUNT] = {
	[SMBSIGN_CLIENT] = "client",
	[SMBSIGN_SERVER] = "server",
};

/* MS-SMB2 2.2.1.2 Command. */
static const char *const cmd_names[] = {
	"NEGOTIATE", "SESSION_SETUP", "LOGOFF", "TREE_CONNECT",
	"TREE_DISCONNECT", "CREATE", "CLOSE", "FLUSH", "READ", "WRITE", "LOCK",
	"IOCTL", "CANCEL", "ECHO", "QUERY_DIRECTORY", "CHANGE_NOTIFY",
	"QUERY_INFO", "SET_INFO", "OPLOCK_BREAK",
};

static const char *cmd_name(u16 cmd)
{
	return cmd < ARRAY_SIZE(cmd_names) ? cmd_names[cmd] : "UNKNOWN";
}

/**
 * smbsign_status_name() - the name of an NTSTATUS smbsign_decide() returns
 * @status: the status
 *
 * Context: any context.
 * Return: e.g. "STATUS_ACCESS_DENIED", or "STATUS_UNKNOWN".
 */
const char *smbsign_status_name(u32 status)
{
	switch (status) {
	case SMBSIGN_STATUS_OK:
		return "STATUS_SUCCESS";
	case SMBSIGN_STATUS_ACCESS_DENIED:
		return "STATUS_ACCESS_DENIED";
	case SMBSIGN_STATUS_INVALID_SIGNATURE:
		return "STATUS_INVALID_SIGNATURE";
	case SMBSIGN_STATUS_GUEST_LOGON_BLOCKED:
		return "STATUS_SMB_GUEST_LOGON_BLOCKED";
	case SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP:
		return "STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP";
	}
	return "STATUS_UNKNOWN";
}

static const char *side_name(const struct smbsign_session *sess)
{
	return side_names[sess->side == SMBSIGN_SERVER];
}

/* The peer string comes from the consumer: bound it whatever it holds. */
static int peer_len(const struct smbsign_session *sess)
{
	return strnlen(sess->peer, sizeof(sess->peer));
}

/**
 * smbsign_session_init() - start the policy state of a new session
 * @sess: the consumer's session state
 * @side: SMBSIGN_CLIENT (cifs) or SMBSIGN_SERVER (ksmbd)
 *
 * Clears @sess and snapshots the side's policy into it (MS-SMB2 3.2.4.2,
 * 3.3.5.5: the session's signing requirement is fixed at setup). Call it
 * when session setup starts, before authentication. An invalid @side is
 * treated as the strictest policy.
 *
 * Context: process context; may sleep.
 */
void smbsign_session_init(struct smbsign_session *sess,
			  enum smbsign_side side)
{
	memset(sess, 0, sizeof(*sess));
	sess->side = side;
	smbsign_policy_get(side, &sess->policy);
}
EXPORT_SYMBOL_NS_GPL(smbsign_session_init, SMBSIGN);

/*
 * Count, trace and log a refusal. A signature that smbsign_verify()
 * computed and found wrong (SMBSIGN_VERIFY_BAD) was counted there; any
 * other failure to verify (no key, a malformed message) is counted here.
 */
static u32 refuse(struct smbsign_session *sess,
		  const struct smbsign_msg_info *mi, u32 status,
		  enum smbsign_counter cnt, const char *reason)
{
	u64 mid = mi ? mi->message_id : 0;
	u16 cmd = mi ? mi->command : SMB2_SESSION_SETUP;

	if (cnt != SMBSIGN_CNT_VERIFY_FAILED || mi->verify != SMBSIGN_VERIFY_BAD)
		smbsign_stats_count(sess->side, sess->alg, cnt,
				    SMBSIGN_CNT_COUNT, 0);
	if (cnt == SMBSIGN_CNT_VERIFY_FAILED)
		trace_smbsign_verify_failed(sess->side, sess->id, mid, cmd,
					    sess->alg, status, reason);
	else
		trace_smbsign_refused(sess->side, sess->id, mid, cmd,
				      sess->alg, status, reason);
	pr_warn_ratelimited("%s: refused %s from %.*s (session 0x%llx, message %llu, %s): %s; %s (0x%08x); see 'smbsignctl explain 0x%08x'\n",
			    side_name(sess), cmd_name(cmd), peer_len(sess),
			    sess->peer, sess->id, mid,
			    smbsign_alg_name(sess->alg) ?: "none", reason,
			    smbsign_status_name(status), status, status);
	return status;
}

/* Log a peer that does not sign, once per session, if auditing is on. */
static void audit_unsigned(struct smbsign_session *sess, const char *what)
{
	if (!sess->policy.audit_unsigned_peers ||
	    test_and_set_bit(SMBSIGN_SESS_AUDITED, &sess->state))
		return;
	pr_info_ratelimited("%s: audit: %s %.*s does not sign (session 0x%llx): %s\n",
			    side_name(sess),
			    sess->side == SMBSIGN_SERVER ? "client" : "server",
			    peer_len(sess), sess->peer, sess->id, what);
}

static u32 decide_session(struct smbsign_session *sess)
{
	bool client = sess->side != SMBSIGN_SERVER;

	set_bit(SMBSIGN_SESS_DECIDED, &sess->state);
	if (sess->logon == SMBSIGN_LOGON_USER) {
		sess->signing_required = sess->policy.require_signing ||
					 sess->required_elsewhere;
		return SMBSIGN_STATUS_OK;
	}

	/* No session key: nothing on this session can be signed. */
	sess->signing_required = false;
	if (sess->policy.require_signing)
		return refuse(sess, NULL, client ?
			      SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP :
			      SMBSIGN_STATUS_ACCESS_DENIED,
			      SMBSIGN_CNT_GUEST_REFUSED,
			      sess->logon == SMBSIGN_LOGON_GUEST ?
			      "guest session while signing is required" :
			      "anonymous session while signing is required");
	if (client && sess->logon == SMBSIGN_LOGON_GUEST &&
	    !sess->policy.allow_insecure_guest)
		return refuse(sess, NULL, SMBSIGN_STATUS_GUEST_LOGON_BLOCKED,
			      SMBSIGN_CNT_GUEST_REFUSED,
			      "insecure guest logons are not allowed");
	audit_unsigned(sess, sess->logon == SMBSIGN_LOGON_GUEST ?
		       "guest session" : "anonymous session");
	return SMBSIGN_STATUS_OK;
}

/* Unsigned messages MS-SMB2 does not require to be signed. */
static bool exempt_unsigned(const struct smbsign_session *sess,
			    const struct smbsign_msg_info *mi)
{
	if (sess->side == SMBSIGN_SERVER)
		return mi->command == SMB2_SESSION_SETUP;
	/* 3.2.5.1.3: interim responses and break notifications. */
	if (mi->status == STATUS_PENDING || mi->message_id == U64_MAX)
		return true;
	if (mi->command == SMB2_SESSION_SETUP) {
		/* 3.3.5.5.3: only the final 3.1.1 response must be signed. */
		return mi->status == STATUS_MORE_PROCESSING_REQUIRED ||
		       sess->dialect < 0x0311;
	}
	/* A server cannot sign for a session it no longer has. */
	return mi->status == STATUS_USER_SESSION_DELETED;
}

static u32 decide_msg(struct smbsign_session *sess,
		      const struct smbsign_msg_info *mi)
{
	bool client = sess->side != SMBSIGN_SERVER;
	u32 deny = client ? SMBSIGN_STATUS_INVALID_SIGNATURE :
			    SMBSIGN_STATUS_ACCESS_DENIED;

	/* A consumer that skipped the session decision fails closed. */
	if (WARN_ON_ONCE(!test_bit(SMBSIGN_SESS_DECIDED, &sess->state)))
		return deny;
	if (mi->encrypted || mi->command == SMB2_NEGOTIATE)
		return SMBSIGN_STATUS_OK;

	switch (mi->verify) {
	case SMBSIGN_VERIFY_OK:
		return SMBSIGN_STATUS_OK;
	case SMBSIGN_VERIFY_UNSIGNED:
		if (exempt_unsigned(sess, mi))
			return SMBSIGN_STATUS_OK;
		if (!sess->signing_required) {
			audit_unsigned(sess, "unsigned messages accepted");
			return SMBSIGN_STATUS_OK;
		}
		return refuse(sess, mi, deny, SMBSIGN_CNT_UNSIGNED_REJECTED,
			      "unsigned message while signing is required");
	default:
		/* SMBSIGN_VERIFY_BAD, or the message could not be checked. */
		return refuse(sess, mi, deny, SMBSIGN_CNT_VERIFY_FAILED,
			      mi->verify == SMBSIGN_VERIFY_BAD ?
			      "signature does not verify" :
			      "signature could not be checked");
	}
}

/**
 * smbsign_decide() - the policy decision for a session or a message
 * @sess: the session, from smbsign_session_init() and then filled in
 * @mi: a received message, or NULL to decide on the session itself
 *
 * With @mi NULL, call once per session, right after authentication (and
 * before the final SESSION_SETUP response is sent or acted upon): it
 * refuses guest and anonymous sessions the policy does not allow and
 * computes @sess->signing_required. With @mi, call for every received
 * message after verifying its signature (or finding it unsigned).
 *
 * A refusal is counted (guest_refused, unsigned_rejected; bad signatures
 * are counted by smbsign_verify()), traced (smbsign:smbsign_refused,
 * smbsign:smbsign_verify_failed) and logged, rate-limited.
 *
 * Context: any context that may take a spinlock; the session-level call
 * is made in process context.
 * Return: SMBSIGN_STATUS_OK to go on, or the NTSTATUS to answer with
 * (server) or to fail the operation with (client):
 * SMBSIGN_STATUS_ACCESS_DENIED, SMBSIGN_STATUS_INVALID_SIGNATURE,
 * SMBSIGN_STATUS_GUEST_LOGON_BLOCKED or
 * SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP.
 */
u32 smbsign_decide(struct smbsign_session *sess,
		   const struct smbsign_msg_info *mi)
{
	if (!sess)
		return SMBSIGN_STATUS_ACCESS_DENIED;
	if (!mi)
		return decide_session(sess);
	return decide_msg(sess, mi);
}
EXPORT_SYMBOL_NS_GPL(smbsign_decide, SMBSIGN);
