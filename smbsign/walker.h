/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMB2 header and compound-chain walker.
 *
 * Pure functions over byte buffers: no kernel-only types, no allocation,
 * no locks, so the same file builds in userspace for fuzzing. Every
 * length it returns has been checked against the caller's buffer.
 */
#ifndef _SMBSIGN_WALKER_H
#define _SMBSIGN_WALKER_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stddef.h>
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include <linux/smbsign_proto.h>

/**
 * struct smbsign_hdr - the fields of an SMB2 header that signing needs
 * @message_id: MessageId
 * @session_id: SessionId
 * @flags: Flags
 * @next_command: NextCommand, offset of the next compound element
 * @command: Command
 */
struct smbsign_hdr {
	u64 message_id;
	u64 session_id;
	u32 flags;
	u32 next_command;
	u16 command;
};

int smbsign_hdr_parse(const u8 *buf, size_t len, struct smbsign_hdr *hdr);
int smbsign_chain_elem_len(const struct smbsign_hdr *hdr, size_t off,
			   size_t total, size_t *elem_len);
int smbsign_chain_same_session(const struct smbsign_hdr *first,
			       const struct smbsign_hdr *elem);
void smbsign_gmac_nonce(const struct smbsign_hdr *hdr, u8 nonce[12]);

#endif /* _SMBSIGN_WALKER_H */
