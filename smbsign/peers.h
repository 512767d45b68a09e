/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer lists: the client/unsigned_peers and server/unsigned_peers
 * exceptions of the signing policy.
 *
 * Pure functions over byte strings, like parse.c: no kernel-only types,
 * no allocation, so the same file builds in userspace for fuzzing and for
 * smbsignctl, and the tool accepts exactly what the kernel accepts.
 */
#ifndef _SMBSIGN_PEERS_H
#define _SMBSIGN_PEERS_H

#include "walker.h"

#ifndef __KERNEL__
#include <stdbool.h>
#endif

/* Most entries a list holds. */
#define SMBSIGN_PEERS_MAX		16
/* Longest name entry: a DNS name (RFC 1035 2.3.4). */
#define SMBSIGN_PEER_NAME_MAX		253
/* Longest value accepted, newline included: what one sysfs write holds. */
#define SMBSIGN_PEERS_VALUE_MAX		4095

enum smbsign_peer_kind {
	SMBSIGN_PEER_IPV4 = 1,
	SMBSIGN_PEER_IPV6,
	SMBSIGN_PEER_NAME,
};

/**
 * struct smbsign_peer_entry - one entry of a peer list
 * @kind: what the entry is
 * @prefix_len: for addresses, the number of leading bits that must match
 *	(32 or 128 for a single address)
 * @addr: for addresses, the address in network byte order; an IPv4
 *	address uses the first 4 bytes
 * @name: for names, the name in lower case, NUL-terminated
 */
struct smbsign_peer_entry {
	u8 kind;
	u8 prefix_len;
	u8 addr[16];
	char name[SMBSIGN_PEER_NAME_MAX + 1];
};

/**
 * struct smbsign_peer_list - a parsed peer list
 * @nr: number of entries used
 * @entry: the entries, in the order written
 */
struct smbsign_peer_list {
	unsigned int nr;
	struct smbsign_peer_entry entry[SMBSIGN_PEERS_MAX];
};

/**
 * struct smbsign_peer_addr - the address a session's peer connects from/to
 * @kind: SMBSIGN_PEER_IPV4, SMBSIGN_PEER_IPV6, or 0 when unknown
 * @addr: the address in network byte order (IPv4: first 4 bytes);
 *	IPv4-mapped IPv6 addresses are stored as IPv4
 */
struct smbsign_peer_addr {
	u8 kind;
	u8 addr[16];
};

int smbsign_parse_peers(const char *buf, size_t len, bool allow_names,
			struct smbsign_peer_list *list);
bool smbsign_peer_entry_equal(const struct smbsign_peer_entry *a,
			      const struct smbsign_peer_entry *b);
bool smbsign_peers_match(const struct smbsign_peer_list *list,
			 const struct smbsign_peer_addr *addr,
			 const char *name);

#endif /* _SMBSIGN_PEERS_H */
