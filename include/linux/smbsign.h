/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsign - SMB2/SMB3 message signing for the in-kernel SMB client and server.
 *
 * This is the interface cifs and ksmbd call. They link against the smbsign
 * module, the way they link against fs/smb/common's cifs_md4 and
 * cifs_arc4: modprobe loads smbsign before them, a smbsign that fails its
 * self-tests does not load and then neither do they, and smbsign cannot be
 * unloaded while they are loaded. There is no other signing path in them.
 * See Documentation/smbsign/api.rst for the lifetime rules; in short:
 *
 *  - A context is keyed once, at allocation. Signing and verifying never
 *    allocate a transform, never call setkey and may run concurrently on
 *    the same context from several threads.
 *  - Nonce guarantee: an AES-GMAC context never signs two messages under
 *    one nonce. The nonce is the MessageId and the role (MS-SMB2 3.1.4.1),
 *    so smbsign_sign() refuses (-EEXIST) a MessageId the context has
 *    already signed in that role, and (-ERANGE) one so far below the
 *    highest it signed that it can no longer tell (more than
 *    SMBSIGN_NONCE_WINDOW); every refusal is counted (nonce_refused) and
 *    traced (smbsign:smbsign_nonce_refused). A context also signs only
 *    messages of its own direction: a client context never signs a
 *    message with SMB2_FLAGS_SERVER_TO_REDIR set, a server context never
 *    one without, so a client and a server sharing a key never use one
 *    nonce between them. Replay protection for the other algorithms is
 *    the consumer's MessageId window (MS-SMB2 3.3.1.1, 3.3.5.2.3).
 *  - A context verifies only messages of the other direction: a reflected
 *    message of its own side does not verify.
 */
#ifndef _LINUX_SMBSIGN_H
#define _LINUX_SMBSIGN_H

#include <linux/errno.h>
#include <linux/smbsign_proto.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/unaligned.h>

/**
 * enum smbsign_alg - signing algorithms
 * @SMBSIGN_ALG_HMAC_SHA256: HMAC-SHA256 truncated to 16 bytes (SMB 2.0.2, 2.1)
 * @SMBSIGN_ALG_AES_CMAC: AES-128-CMAC (SMB 3.0, 3.0.2, 3.1.1)
 * @SMBSIGN_ALG_AES_GMAC: AES-128-GMAC (SMB 3.1.1 with signing capabilities)
 * @SMBSIGN_ALG_COUNT: number of algorithms
 *
 * The values are the SigningAlgorithms identifiers of the
 * SMB2_SIGNING_CAPABILITIES negotiate context (MS-SMB2 2.2.3.1.7), so a
 * value read from the wire can be range-checked and used directly.
 */
enum smbsign_alg {
	SMBSIGN_ALG_HMAC_SHA256 = 0,
	SMBSIGN_ALG_AES_CMAC = 1,
	SMBSIGN_ALG_AES_GMAC = 2,
	SMBSIGN_ALG_COUNT
};

struct smbsign_ctx;

/**
 * enum smbsign_side - which end of the connection a session is
 * @SMBSIGN_CLIENT: the SMB client (cifs): outbound sessions
 * @SMBSIGN_SERVER: the SMB server (ksmbd): inbound sessions
 * @SMBSIGN_SIDE_COUNT: number of sides
 */
enum smbsign_side {
	SMBSIGN_CLIENT = 0,
	SMBSIGN_SERVER = 1,
	SMBSIGN_SIDE_COUNT
};

/**
 * enum smbsign_logon - how a session authenticated
 * @SMBSIGN_LOGON_USER: a real user: the session has a key and can sign
 * @SMBSIGN_LOGON_GUEST: a guest session (SMB2_SESSION_FLAG_IS_GUEST)
 * @SMBSIGN_LOGON_ANONYMOUS: an anonymous (null) session
 *
 * Guest and anonymous sessions have no session key, so they cannot sign
 * (MS-SMB2 3.2.5.3.1, 3.3.5.5.3).
 */
enum smbsign_logon {
	SMBSIGN_LOGON_USER,
	SMBSIGN_LOGON_GUEST,
	SMBSIGN_LOGON_ANONYMOUS,
};

/*
 * NTSTATUS values the policy decisions return (MS-ERREF 2.3.1), in host
 * byte order; cpu_to_le32() them for an SMB2 header.
 */
#define SMBSIGN_STATUS_OK			0x00000000U
#define SMBSIGN_STATUS_ACCESS_DENIED		0xc0000022U
#define SMBSIGN_STATUS_INVALID_SIGNATURE	0xc000a000U
/* Guest logons are blocked (Windows: AllowInsecureGuestAuth = 0). */
#define SMBSIGN_STATUS_GUEST_LOGON_BLOCKED	0xc05d0002U
/*
 * No signing algorithm in common. A guest or anonymous session has no key,
 * so it cannot sign at all; Windows reports a guest share refused under
 * required signing with this status ("System error 3227320323"), and so
 * does the smbsign client.
 */
#define SMBSIGN_STATUS_NO_SIGNING_ALGORITHM_OVERLAP	0xc05d0003U

/**
 * struct smbsign_policy - one side's signing policy, as a snapshot
 * @require_signing: sessions of this side must sign every message
 * @allow_insecure_guest: the client may use guest sessions when signing
 *	is not required (always false for the server)
 * @audit_unsigned_peers: log the peers that do not sign
 * @nr_algs: number of entries in @algs, at least 1
 * @algs: the SMB 3.1.1 signing algorithms, most preferred first
 * @require_waived: the peer is on the side's unsigned_peers list and
 *	the side requires signing for every other peer: @require_signing
 *	is false for this one
 * @guest_waived: likewise for the client's refusal of guest logons:
 *	@allow_insecure_guest is true for this peer
 *
 * Taken with smbsign_policy_get() or smbsign_session_init(); the copy
 * never changes when the administrator changes the policy afterwards.
 * The values are those for the peer the snapshot was taken for: the
 * exceptions of unsigned_peers are applied already.
 */
struct smbsign_policy {
	bool require_signing;
	bool allow_insecure_guest;
	bool audit_unsigned_peers;
	unsigned int nr_algs;
	enum smbsign_alg algs[SMBSIGN_ALG_COUNT];
	bool require_waived;
	bool guest_waived;
};

#define SMBSIGN_PEER_MAX	64

/* struct smbsign_session.state bit numbers, owned by smbsign. */
#define SMBSIGN_SESS_DECIDED		0	/* session-level decision made */
#define SMBSIGN_SESS_AUDITED		1	/* unsigned peer recorded once */

struct smbsign_sess_rec;

/**
 * struct smbsign_auth - the facts of one authentication of a session
 * @logon: how the session authenticated (for the client: as the final
 *	SESSION_SETUP response says, after its signature was checked)
 * @dialect: the connection's dialect, e.g. 0x0311
 * @alg: the algorithm the session signs with (counters are kept per
 *	algorithm, so it is set for guest sessions too)
 * @required_elsewhere: signing is also required by the consumer's own
 *	configuration (a cifs "sign" mount or SecurityFlags MUST_SIGN,
 *	ksmbd's "server signing = mandatory") or, for the client, by the
 *	server (its SecurityMode has SMB2_NEGOTIATE_SIGNING_REQUIRED). It
 *	only ever adds to the policy: a guest or anonymous logon then fails.
 * @peer_requires: for the server, the client's SecurityMode has
 *	SMB2_NEGOTIATE_SIGNING_REQUIRED: a user session then signs; a guest
 *	or anonymous one is left for the client to refuse (it asked for
 *	signing, and the flag is the client's, unsigned)
 * @id: the SessionId, for logs and tracepoints
 */
struct smbsign_auth {
	enum smbsign_logon logon;
	u16 dialect;
	enum smbsign_alg alg;
	bool required_elsewhere;
	bool peer_requires;
	u64 id;
};

/**
 * struct smbsign_session - what the policy knows about a session
 * @side: client or server; set by smbsign_session_init()
 * @policy: the policy snapshot taken by smbsign_session_init(), for
 *	the session's peer
 * @peer: the peer, for logs and tracepoints: "192.0.2.7", or for the
 *	client "server-name (192.0.2.7)"
 * @rec: smbsign's record of the session for /proc/fs/smbsign/sessions
 *	and the per-session counters, from smbsign_session_init() until
 *	smbsign_session_exit()
 * @why: why signing is required, as bits of SMBSIGN_WHY in
 *	smbsign/names.h; like @signing_required never cleared
 * @logon: from the latest smbsign_session_decide()
 * @dialect: likewise
 * @alg: likewise
 * @signing_required: Session.SigningRequired (MS-SMB2 3.2.5.3,
 *	3.3.5.5.3), computed by smbsign_session_decide(); once set it is
 *	never cleared for the life of the session
 * @id: the SessionId, for logs and tracepoints
 * @state: SMBSIGN_SESS_* bits
 *
 * Embedded in the consumer's session and owned by smbsign: consumers only
 * read @signing_required. smbsign_session_decide() may run again for a
 * re-authentication while other channels of the session call
 * smbsign_decide(): the fields it rewrites are written with WRITE_ONCE()
 * and read with READ_ONCE().
 */
struct smbsign_session {
	enum smbsign_side side;
	struct smbsign_policy policy;
	char peer[SMBSIGN_PEER_MAX];
	struct smbsign_sess_rec *rec;
	unsigned long why;
	enum smbsign_logon logon;
	u16 dialect;
	enum smbsign_alg alg;
	bool signing_required;
	u64 id;
	unsigned long state;
};

/* Result of checking a message's signature, for struct smbsign_msg_info. */
#define SMBSIGN_VERIFY_OK		0		/* signature verified */
#define SMBSIGN_VERIFY_BAD		(-EBADMSG)	/* it did not verify */
#define SMBSIGN_VERIFY_UNSIGNED		(-ENODATA)	/* SIGNED flag clear */

/**
 * struct smbsign_msg_info - one received message, for the policy decision
 * @message_id: MessageId
 * @status: the header's Status (responses), host order; 0 for requests
 * @flags: the header's Flags, host order
 * @command: the header's Command
 * @encrypted: the message arrived inside an SMB2 TRANSFORM_HEADER
 * @verify: SMBSIGN_VERIFY_OK, SMBSIGN_VERIFY_BAD, SMBSIGN_VERIFY_UNSIGNED,
 *	or another negative errno from smbsign_verify() (treated as BAD)
 */
struct smbsign_msg_info {
	u64 message_id;
	u32 status;
	u32 flags;
	u16 command;
	bool encrypted;
	int verify;
};

/**
 * struct smbsign_msg - one SMB2 message (or compound chain) to sign or verify
 * @iov: kvecs holding the message from the first byte of the SMB2 header
 *	(no RFC 1002 length), in order; header, body and padding may be split
 *	at any byte. Every SMB2 header of the message must lie in @iov.
 * @nr_iov: number of entries in @iov
 * @data: optional payload that follows the bytes of @iov, for example the
 *	pages of a READ response or WRITE request (ITER_KVEC, ITER_BVEC,
 *	ITER_FOLIOQ or ITER_XARRAY); never advanced or written. May be NULL.
 *
 * The message length is the sum of the @iov lengths plus
 * iov_iter_count(@data).
 */
struct smbsign_msg {
	const struct kvec *iov;
	unsigned int nr_iov;
	const struct iov_iter *data;
};

/**
 * enum smbsign_kdf_label - the SP800-108 labels used for SMB signing keys
 * @SMBSIGN_KDF_SMB30: SMB 3.0 / 3.0.2, label "SMB2AESCMAC", context "SmbSign"
 * @SMBSIGN_KDF_SMB311: SMB 3.1.1, label "SMBSigningKey", context = the
 *	preauth integrity hash (MS-SMB2 3.2.5.3.1, 3.3.5.5.3)
 */
enum smbsign_kdf_label {
	SMBSIGN_KDF_SMB30,
	SMBSIGN_KDF_SMB311,
};

struct sockaddr;

struct smbsign_ctx *smbsign_ctx_alloc(struct smbsign_session *sess,
				      enum smbsign_alg alg, const u8 *key,
				      unsigned int key_len);
void smbsign_ctx_free(struct smbsign_ctx *ctx);
const char *smbsign_alg_name(enum smbsign_alg alg);

int smbsign_sign(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);
int smbsign_verify(struct smbsign_ctx *ctx, const struct smbsign_msg *msg);

int smbsign_derive_signing_key(enum smbsign_kdf_label which,
			       const u8 *session_key,
			       unsigned int session_key_len,
			       const u8 preauth_hash[SMBSIGN_PREAUTH_HASH_SIZE],
			       u8 out[SMBSIGN_KEY_SIZE]);
int smbsign_preauth_hash_update(u8 hash[SMBSIGN_PREAUTH_HASH_SIZE],
				const struct smbsign_msg *msg);

void smbsign_policy_get(enum smbsign_side side, const struct sockaddr *addr,
			const char *name, struct smbsign_policy *pol);
int smbsign_policy_pick_alg(const struct smbsign_policy *pol,
			    const __le16 *offered, unsigned int nr_offered);
int smbsign_session_init(struct smbsign_session *sess,
			 enum smbsign_side side, const struct sockaddr *addr,
			 const char *name);
void smbsign_session_exit(struct smbsign_session *sess);
u32 smbsign_session_decide(struct smbsign_session *sess,
			   const struct smbsign_auth *auth);
u32 smbsign_decide(struct smbsign_session *sess,
		   const struct smbsign_msg_info *mi);

/**
 * smbsign_msg_info_from_hdr() - fill a struct smbsign_msg_info from a header
 * @hdr: the 64-byte SMB2 header (MS-SMB2 2.2.1) of the received message
 * @verify: the result of checking its signature: SMBSIGN_VERIFY_OK,
 *	SMBSIGN_VERIFY_BAD, or SMBSIGN_VERIFY_UNSIGNED when the SIGNED flag
 *	is clear and nothing was verified
 * @encrypted: whether the message arrived encrypted
 * @mi: the result
 *
 * Context: any context.
 */
static inline void smbsign_msg_info_from_hdr(const void *hdr, int verify,
					     bool encrypted,
					     struct smbsign_msg_info *mi)
{
	const u8 *h = hdr;

	mi->status = get_unaligned_le32(h + SMBSIGN_HDR_STATUS);
	mi->command = get_unaligned_le16(h + SMBSIGN_HDR_COMMAND);
	mi->flags = get_unaligned_le32(h + SMBSIGN_HDR_FLAGS);
	mi->message_id = get_unaligned_le64(h + SMBSIGN_HDR_MESSAGE_ID);
	mi->encrypted = encrypted;
	mi->verify = verify;
}

#endif /* _LINUX_SMBSIGN_H */
