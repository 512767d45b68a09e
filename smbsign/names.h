/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names smbsign shows to the world, in one place: the policy settings
 * (sysfs files under /sys/kernel/smbsign/<side>/ and the module parameters
 * <side>_<name>), the counters (/sys/kernel/smbsign/stats/<side>/<alg>/)
 * and the procfs tables. The module and smbsignctl both build their
 * tables from these lists, so they cannot disagree.
 *
 * Plain macros, no kernel-only types: smbsignctl includes this file.
 */
#ifndef _SMBSIGN_NAMES_H
#define _SMBSIGN_NAMES_H

/* The sides, as the sysfs directories and logs name them. */
#define SMBSIGN_SIDE_NAMES	{ "client", "server" }

/*
 * Boolean policy settings: X(id, side, name, default). The sysfs file is
 * <side>/<name>, the module parameter <side>_<name>.
 */
#define SMBSIGN_KNOBS(X)						\
	X(CLIENT_REQUIRE, client, require_signing, 1)			\
	X(SERVER_REQUIRE, server, require_signing, 0)			\
	X(CLIENT_GUEST, client, allow_insecure_guest, 0)		\
	X(CLIENT_AUDIT, client, audit_unsigned_peers, 0)		\
	X(SERVER_AUDIT, server, audit_unsigned_peers, 0)

/*
 * Peer-list settings (peers.c): X(id, side, name, names allowed). The
 * sysfs file is <side>/<name>, the module parameter <side>_<name>.
 */
#define SMBSIGN_PEER_LISTS(X)						\
	X(CLIENT_PEERS, client, unsigned_peers, 1)			\
	X(SERVER_PEERS, server, unsigned_peers, 0)

/* The algorithm preference list: /sys/kernel/smbsign/algorithms. */
#define SMBSIGN_ALGS_NAME	"algorithms"

/*
 * Counters, per side and algorithm: X(id, file name). Every value is an
 * exact unsigned 64-bit count.
 */
#define SMBSIGN_COUNTERS(X)						\
	X(SIGNED, "signed")						\
	X(VERIFIED, "verified")						\
	X(VERIFY_FAILED, "verify_failed")				\
	X(UNSIGNED_REJECTED, "unsigned_rejected")			\
	X(GUEST_REFUSED, "guest_refused")				\
	X(NONCE_REFUSED, "nonce_refused")				\
	X(PEER_EXEMPTED, "peer_exempted")				\
	X(BYTES_SIGNED, "bytes_signed")					\
	X(BYTES_VERIFIED, "bytes_verified")

/* procfs: /proc/fs/smbsign/<file>; see Documentation/ABI. */
#define SMBSIGN_PROC_DIR		"fs/smbsign"
#define SMBSIGN_PROC_SESSIONS		"sessions"
#define SMBSIGN_PROC_AUDIT		"audit"

/*
 * Why a session requires signing (the "why" column of the sessions
 * table): X(id, name). "exempt" means the side's policy required it and
 * <side>/unsigned_peers waived that for this peer.
 */
#define SMBSIGN_WHY(X)							\
	X(POLICY, "policy")						\
	X(LOCAL, "local")						\
	X(PEER, "peer")							\
	X(EXEMPT, "exempt")

#endif /* _SMBSIGN_NAMES_H */
