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
 *    the same way, apart from what MS-SMB2 exempts: NEGOTIATE, the
 *    SESSION_SETUP requests of a session being set up (the server never
 *    asks about those) and the interim responses to them (the client),
 *    STATUS_PENDING interim responses and MessageId
 *    0xFFFFFFFFFFFFFFFF break notifications (3.2.5.1.3), messages that
 *    arrived encrypted (3.2.5.1.1.1, 3.3.5.2.1.1).
 *  - Guest and anonymous sessions cannot sign: requiring signing on a side,
 *    or anything else that requires it for the session (the peer, the
 *    consumer's configuration, an earlier authentication of the session),
 *    refuses them, since the guest and anonymous flags come from the
 *    peer and an attacker sets them at will; the client also refuses
 *    guest sessions unless insecure guest logons are allowed.
 *  - A message of the wrong direction (a client receiving a request, a
 *    server a response) is refused whatever its signature: both sides
 *    sign with one key, so a reflected message would verify.
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

/* The peer as logs and tracepoints show it. */
static const char *sess_peer(const struct smbsign_session *sess)
{
	return sess->rec ? sess->rec->peer : "unknown peer";
}

/*
 * Count, trace and log a refusal: of a message @mi, or of the
 * authentication @auth. A signature that smbsign_verify() computed and
 * found wrong (SMBSIGN_VERIFY_BAD) was counted there; any other failure to
 * verify (no key, a malformed message) is counted here.
 */
static u32 refuse(struct smbsign_session *sess,
		  const struct smbsign_msg_info *mi,
		  const struct smbsign_auth *auth, u32 status,
		  enum smbsign_counter cnt, const char *reason)
{
	enum smbsign_alg alg = auth ? auth->alg : READ_ONCE(sess->alg);
	u64 id = auth ? auth->id : READ_ONCE(sess->id);
	u64 mid = mi ? mi->message_id : 0;
	u16 cmd = mi ? mi->command : SMBSIGN_CMD_SESSION_SETUP;

	if (!mi || cnt != SMBSIGN_CNT_VERIFY_FAILED ||
	    mi->verify != SMBSIGN_VERIFY_BAD) {
		smbsign_stats_count(sess->side, alg, cnt, SMBSIGN_CNT_COUNT, 0);
		if (mi && sess->rec)
			atomic64_inc(&sess->rec->failed);
	}
	if (cnt == SMBSIGN_CNT_VERIFY_FAILED)
		trace_smbsign_verify_failed(sess->side, sess_peer(sess), id, mid,
					    cmd, alg, status, reason);
	else
		trace_smbsign_refused(sess->side, sess_peer(sess), id, mid, cmd,
				      alg, status, reason);
	pr_warn_ratelimited("%s: refused %s from %s (session 0x%llx, message %llu, %s): %s; %s (0x%08x); see 'smbsignctl explain 0x%08x'\n",
			    side_name(sess), cmd_name(cmd), sess_peer(sess), id, mid,
			    smbsign_alg_name(alg) ?: "none", reason,
			    smbsign_status_name(status), status, status);
	return status;
}

/*
 * A session that does not sign, once per session: into the audit
 * inventory always, into the log if auditing is on.
 */
static void audit_unsigned(struct smbsign_session *sess,
			   enum smbsign_audit_event ev, const char *what)
{
	if (test_and_set_bit(SMBSIGN_SESS_AUDITED, &sess->state))
		return;
	smbsign_audit_record(sess->rec, ev);
	if (!sess->policy.audit_unsigned_peers)
		return;
	pr_info_ratelimited("%s: audit: %s %s does not sign (session 0x%llx): %s\n",
			    side_name(sess),
			    sess->side == SMBSIGN_SERVER ? "client" : "server",
			    sess_peer(sess), READ_ONCE(sess->id), what);
}

/*
 * An exception of unsigned_peers let this authentication through: count
 * it, record it and log it, always (it is the administrator's decision to
 * relax signing for this peer, and it must stay visible).
 */
static void exempted(struct smbsign_session *sess,
		     const struct smbsign_auth *auth, const char *what)
{
	smbsign_stats_count(sess->side, auth->alg, SMBSIGN_CNT_PEER_EXEMPTED,
			    SMBSIGN_CNT_COUNT, 0);
	smbsign_audit_record(sess->rec, SMBSIGN_AUDIT_EXEMPTED);
	pr_info_ratelimited("%s: %s %s allowed %s by %s/unsigned_peers (session 0x%llx)\n",
			    side_name(sess),
			    sess->side == SMBSIGN_SERVER ? "client" : "server",
			    sess_peer(sess), what, side_name(sess), auth->id);
}

/**
 * smbsign_session_decide() - the policy decision for an authentication
 * @sess: the session, from smbsign_session_init()
 * @auth: the facts of the authentication that just completed
 *
 * Call it right after every authentication of the session (the first
 * one, re-authentications, and the session setups that follow a
 * reconnect), before the final SESSION_SETUP response is sent (server) or
 * the session is used (client). It refuses guest and anonymous sessions
 * that may not be used and computes @sess->signing_required.
 *
 * Signing is required when the policy snapshot requires it, when
 * @auth->required_elsewhere says so, or when an earlier authentication of
 * the session required it: nothing a peer sends can relax it. A guest or
 * anonymous logon of a session that requires signing is refused, whoever
 * requires it: those flags come from the peer, unsigned, so an attacker
 * who sets them must not get an unsigned session out of it (Windows'
 * RequireSecuritySignature blocks guest logons the same way). A user
 * session also signs when @auth->peer_requires; a guest or anonymous one
 * is then for the peer, which asked for signing, to refuse.
 *
 * A refusal is counted (guest_refused), traced (smbsign:smbsign_refused)
 * and logged, rate-limited. A refused re-authentication leaves @sess as
 * it was.
 *
 * Context: process context. May run while other channels of the session
 * call smbsign_decide(); calls for one session are serialised by the
 * consumer.
 * Return: SMBSIGN_STATUS_OK, or the NTSTATUS to fail the session setup
 * with: SMBSIGN_STATUS_ACCESS_DENIED (server),
 * SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP or
 * SMBSIGN_STATUS_GUEST_LOGON_BLOCKED (client).
 */
u32 smbsign_session_decide(struct smbsign_session *sess,
			   const struct smbsign_auth *auth)
{
	bool client, required, user;
	unsigned long why;

	if (!sess || !auth)
		return SMBSIGN_STATUS_ACCESS_DENIED;
	client = sess->side != SMBSIGN_SERVER;
	user = auth->logon == SMBSIGN_LOGON_USER;
	required = sess->policy.require_signing || auth->required_elsewhere ||
		   READ_ONCE(sess->signing_required);

	if (auth->logon != SMBSIGN_LOGON_USER) {
		/* No session key: nothing on this session can be signed. */
		if (required)
			return refuse(sess, NULL, auth, client ?
				      SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP :
				      SMBSIGN_STATUS_ACCESS_DENIED,
				      SMBSIGN_CNT_GUEST_REFUSED,
				      auth->logon == SMBSIGN_LOGON_GUEST ?
				      "guest session while signing is required" :
				      "anonymous session while signing is required");
		if (client && auth->logon == SMBSIGN_LOGON_GUEST &&
		    !sess->policy.allow_insecure_guest)
			return refuse(sess, NULL, auth,
				      SMBSIGN_STATUS_GUEST_LOGON_BLOCKED,
				      SMBSIGN_CNT_GUEST_REFUSED,
				      "insecure guest logons are not allowed");
	}
	why = READ_ONCE(sess->why);
	if (sess->policy.require_signing)
		why |= BIT(SMBSIGN_WHY_POLICY);
	if (auth->required_elsewhere)
		why |= BIT(SMBSIGN_WHY_LOCAL);
	if (user && auth->peer_requires)
		why |= BIT(SMBSIGN_WHY_PEER);
	required |= user && auth->peer_requires;
	/* The exception is used only if nothing else requires signing. */
	if (!required && (sess->policy.require_waived ||
			  (!user && sess->policy.guest_waived)))
		why |= BIT(SMBSIGN_WHY_EXEMPT);

	WRITE_ONCE(sess->alg, auth->alg);
	WRITE_ONCE(sess->id, auth->id);
	WRITE_ONCE(sess->logon, auth->logon);
	WRITE_ONCE(sess->dialect, auth->dialect);
	WRITE_ONCE(sess->signing_required, required);
	WRITE_ONCE(sess->why, why);
	set_bit(SMBSIGN_SESS_DECIDED, &sess->state);
	if (!required && (sess->policy.require_waived ||
			  (!user && sess->policy.guest_waived)))
		exempted(sess, auth, user ? "an unsigned session" :
			 auth->logon == SMBSIGN_LOGON_GUEST ?
			 "a guest session" : "an anonymous session");
	if (!user)
		audit_unsigned(sess, auth->logon == SMBSIGN_LOGON_GUEST ?
			       SMBSIGN_AUDIT_GUEST : SMBSIGN_AUDIT_ANONYMOUS,
			       auth->logon == SMBSIGN_LOGON_GUEST ?
			       "guest session" : "anonymous session");
	return SMBSIGN_STATUS_OK;
}
EXPORT_SYMBOL_NS_GPL(smbsign_session_decide, SMBSIGN);

/* Unsigned messages MS-SMB2 does not require to be signed. */
static bool exempt_unsigned(const struct smbsign_session *sess,
			    const struct smbsign_msg_info *mi)
{
	/*
	 * 3.3.5.2.4: the SESSION_SETUP requests of a session being set up
	 * cannot be signed yet. Those of an established session (binding,
	 * re-authentication) are decided like any other request: the consumer
	 * does not ask for the others.
	 */
	if (sess->side == SMBSIGN_SERVER)
		return false;
	/* 3.2.5.1.3: interim responses and break notifications. */
	if (mi->status == STATUS_PENDING || mi->message_id == U64_MAX)
		return true;
	if (mi->command == SMBSIGN_CMD_SESSION_SETUP) {
		/* 3.3.5.5.3: only the final 3.1.1 response must be signed. */
		return mi->status == STATUS_MORE_PROCESSING_REQUIRED ||
		       READ_ONCE(sess->dialect) < 0x0311;
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
	/* A reflected message of our own side: see the comment at the top. */
	if (!(mi->flags & SMBSIGN_FLAG_SERVER_TO_REDIR) != !client)
		return refuse(sess, mi, NULL, deny, SMBSIGN_CNT_VERIFY_FAILED,
			      "message in the wrong direction");
	if (mi->encrypted || mi->command == SMBSIGN_CMD_NEGOTIATE)
		return SMBSIGN_STATUS_OK;

	switch (mi->verify) {
	case SMBSIGN_VERIFY_OK:
		return SMBSIGN_STATUS_OK;
	case SMBSIGN_VERIFY_UNSIGNED:
		if (exempt_unsigned(sess, mi))
			return SMBSIGN_STATUS_OK;
		if (!READ_ONCE(sess->signing_required)) {
			audit_unsigned(sess, SMBSIGN_AUDIT_UNSIGNED,
				       "unsigned messages accepted");
			return SMBSIGN_STATUS_OK;
		}
		return refuse(sess, mi, NULL, deny,
			      SMBSIGN_CNT_UNSIGNED_REJECTED,
			      "unsigned message while signing is required");
	default:
		/* SMBSIGN_VERIFY_BAD, or the message could not be checked. */
		return refuse(sess, mi, NULL, deny, SMBSIGN_CNT_VERIFY_FAILED,
			      mi->verify == SMBSIGN_VERIFY_BAD ?
			      "signature does not verify" :
			      "signature could not be checked");
	}
}

/**
 * smbsign_decide() - the policy decision for a received message
 * @sess: the session, decided by smbsign_session_decide()
 * @mi: the message, after its signature was verified (or found missing)
 *
 * Call for every received message of the session. A refusal is counted
 * (unsigned_rejected, verify_failed; bad signatures are counted by
 * smbsign_verify()), traced (smbsign:smbsign_refused,
 * smbsign:smbsign_verify_failed) and logged, rate-limited.
 *
 * Context: any context that may take a spinlock.
 * Return: SMBSIGN_STATUS_OK to go on, or the NTSTATUS to answer with
 * (server: SMBSIGN_STATUS_ACCESS_DENIED) or to fail the operation with
 * (client: SMBSIGN_STATUS_INVALID_SIGNATURE).
 */
u32 smbsign_decide(struct smbsign_session *sess,
		   const struct smbsign_msg_info *mi)
{
	if (!sess || !mi)
		return SMBSIGN_STATUS_ACCESS_DENIED;
	return decide_msg(sess, mi);
}
EXPORT_SYMBOL_NS_GPL(smbsign_decide, SMBSIGN);
