/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names smbsign shows to the world, in one place: the policy settings
 * (sysfs files under /sys/kernel/smbsign/<side>/ and the module parameters
 * <side>_<name>), the counters (/sys/kernel/smbsign/stats/<side>/<alg>/),
 * the procfs tables and the reasons shown in them. The module and
 * smbsignctl both build their tables from these, so they cannot disagree.
 *
 * Plain C, no kernel-only types: smbsignctl includes this file. The
 * tables are initialisers indexed by the enums next to them.
 */
#ifndef _SMBSIGN_NAMES_H
#define _SMBSIGN_NAMES_H

/* The sides, as the sysfs directories and logs name them. */
#define SMBSIGN_SIDE_NAMES	{ "client", "server" }

/**
 * enum smbsign_knob - the boolean policy settings
 * @SMBSIGN_KNOB_CLIENT_REQUIRE: client/require_signing
 * @SMBSIGN_KNOB_SERVER_REQUIRE: server/require_signing
 * @SMBSIGN_KNOB_CLIENT_GUEST: client/allow_insecure_guest
 * @SMBSIGN_KNOB_CLIENT_AUDIT: client/audit_unsigned_peers
 * @SMBSIGN_KNOB_SERVER_AUDIT: server/audit_unsigned_peers
 * @SMBSIGN_KNOB_COUNT: number of settings
 */
enum smbsign_knob {
	SMBSIGN_KNOB_CLIENT_REQUIRE,
	SMBSIGN_KNOB_SERVER_REQUIRE,
	SMBSIGN_KNOB_CLIENT_GUEST,
	SMBSIGN_KNOB_CLIENT_AUDIT,
	SMBSIGN_KNOB_SERVER_AUDIT,
	SMBSIGN_KNOB_COUNT
};

/**
 * struct smbsign_knob_desc - what names.h says about a setting
 * @side: 0 client, 1 server (enum smbsign_side)
 * @name: the sysfs file in the side's directory; the module parameter
 *	is <side>_<name>
 * @def: the default (Windows Server 2025's)
 * @desc: one line for modinfo and smbsignctl
 */
struct smbsign_knob_desc {
	unsigned int side;
	const char *name;
	bool def;
	const char *desc;
};

#define SMBSIGN_KNOB_TABLE {						\
	[SMBSIGN_KNOB_CLIENT_REQUIRE] = { 0, "require_signing", true,	\
		"Require signing on outbound (client) sessions" },	\
	[SMBSIGN_KNOB_SERVER_REQUIRE] = { 1, "require_signing", false,	\
		"Require signing on inbound (server) sessions" },	\
	[SMBSIGN_KNOB_CLIENT_GUEST] = { 0, "allow_insecure_guest", false, \
		"Allow guest sessions when signing is not required" },	\
	[SMBSIGN_KNOB_CLIENT_AUDIT] = { 0, "audit_unsigned_peers", false, \
		"Log servers that do not sign" },			\
	[SMBSIGN_KNOB_SERVER_AUDIT] = { 1, "audit_unsigned_peers", false, \
		"Log clients that do not sign" },			\
}

/*
 * The peer lists (peers.c), one per side: <side>/unsigned_peers, module
 * parameter <side>_unsigned_peers, empty by default. The client's may
 * hold server names, the server's addresses only.
 */
#define SMBSIGN_PEERS_NAME	"unsigned_peers"

/* The algorithm preference list: /sys/kernel/smbsign/algorithms. */
#define SMBSIGN_ALGS_NAME	"algorithms"

/*
 * Force the crypto API even where a fast path would serve (0 or 1,
 * default 0): /sys/kernel/smbsign/crypto_api_only and the module
 * parameter of the same name.
 */
#define SMBSIGN_CRYPTO_API_ONLY_NAME	"crypto_api_only"

/*
 * The implementations of smbsign's own fast paths, as drivers/<alg>
 * shows them when they serve (otherwise it shows the crypto API's
 * driver, e.g. "gcm-aesni" or "cmac(aes-aesni)").
 */
#define SMBSIGN_FAST_CMAC_DRIVER	"smbsign-cmac-aesni"
#define SMBSIGN_FAST_GMAC_DRIVER	"smbsign-gmac-pclmul"

/**
 * enum smbsign_counter - the counters, per side and algorithm
 * @SMBSIGN_CNT_SIGNED: messages signed
 * @SMBSIGN_CNT_VERIFIED: messages whose signature verified
 * @SMBSIGN_CNT_VERIFY_FAILED: messages refused: bad signature, or none
 *	could be checked
 * @SMBSIGN_CNT_UNSIGNED_REJECTED: unsigned messages refused
 * @SMBSIGN_CNT_GUEST_REFUSED: guest and anonymous sessions refused
 * @SMBSIGN_CNT_NONCE_REFUSED: AES-GMAC signatures refused for a used nonce
 * @SMBSIGN_CNT_PEER_EXEMPTED: sessions unsigned_peers let through
 * @SMBSIGN_CNT_BYTES_SIGNED: bytes signed
 * @SMBSIGN_CNT_BYTES_VERIFIED: bytes checked
 * @SMBSIGN_CNT_COUNT: number of counters
 *
 * Every value is an exact unsigned 64-bit count.
 */
enum smbsign_counter {
	SMBSIGN_CNT_SIGNED,
	SMBSIGN_CNT_VERIFIED,
	SMBSIGN_CNT_VERIFY_FAILED,
	SMBSIGN_CNT_UNSIGNED_REJECTED,
	SMBSIGN_CNT_GUEST_REFUSED,
	SMBSIGN_CNT_NONCE_REFUSED,
	SMBSIGN_CNT_PEER_EXEMPTED,
	SMBSIGN_CNT_BYTES_SIGNED,
	SMBSIGN_CNT_BYTES_VERIFIED,
	SMBSIGN_CNT_COUNT
};

/* The counter files, indexed by enum smbsign_counter. */
#define SMBSIGN_COUNTER_NAMES {						\
	[SMBSIGN_CNT_SIGNED] = "signed",				\
	[SMBSIGN_CNT_VERIFIED] = "verified",				\
	[SMBSIGN_CNT_VERIFY_FAILED] = "verify_failed",			\
	[SMBSIGN_CNT_UNSIGNED_REJECTED] = "unsigned_rejected",		\
	[SMBSIGN_CNT_GUEST_REFUSED] = "guest_refused",			\
	[SMBSIGN_CNT_NONCE_REFUSED] = "nonce_refused",			\
	[SMBSIGN_CNT_PEER_EXEMPTED] = "peer_exempted",			\
	[SMBSIGN_CNT_BYTES_SIGNED] = "bytes_signed",			\
	[SMBSIGN_CNT_BYTES_VERIFIED] = "bytes_verified",		\
}

/* procfs: /proc/fs/smbsign/<file>; see Documentation/ABI. */
#define SMBSIGN_PROC_DIR		"fs/smbsign"
#define SMBSIGN_PROC_SESSIONS		"sessions"
#define SMBSIGN_PROC_AUDIT		"audit"

/**
 * enum smbsign_why - why a session requires signing (the "why" column of
 *	/proc/fs/smbsign/sessions; bits of struct smbsign_session.why)
 * @SMBSIGN_WHY_POLICY: the side's require_signing
 * @SMBSIGN_WHY_LOCAL: the consumer's own configuration: a cifs "sign"
 *	mount or SecurityFlags, ksmbd's "server signing = mandatory"; for
 *	the client also a server that requires signing
 * @SMBSIGN_WHY_PEER: the client asked for signing (server side)
 * @SMBSIGN_WHY_EXEMPT: not a reason to sign: the side's policy required
 *	it and unsigned_peers waived that for this peer
 * @SMBSIGN_WHY_COUNT: number of reasons
 */
enum smbsign_why {
	SMBSIGN_WHY_POLICY,
	SMBSIGN_WHY_LOCAL,
	SMBSIGN_WHY_PEER,
	SMBSIGN_WHY_EXEMPT,
	SMBSIGN_WHY_COUNT
};

#define SMBSIGN_WHY_NAMES {						\
	[SMBSIGN_WHY_POLICY] = "policy",				\
	[SMBSIGN_WHY_LOCAL] = "local",					\
	[SMBSIGN_WHY_PEER] = "peer",					\
	[SMBSIGN_WHY_EXEMPT] = "exempt",				\
}

#endif /* _SMBSIGN_NAMES_H */
