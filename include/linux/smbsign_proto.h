/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smbsign - the MS-SMB2 wire constants signing needs.
 *
 * The one home of these values: the smbsign module, its public API
 * (<linux/smbsign.h>) and the userspace builds of its walker (fuzzing)
 * take them from here. Plain macros only, no types, so that the file
 * builds anywhere.
 */
#ifndef _LINUX_SMBSIGN_PROTO_H
#define _LINUX_SMBSIGN_PROTO_H

/* Sizes fixed by MS-SMB2 2.2.1 and 3.1.4.1. */
#define SMBSIGN_HDR_SIZE		64
#define SMBSIGN_SIG_SIZE		16
#define SMBSIGN_KEY_SIZE		16
#define SMBSIGN_PREAUTH_HASH_SIZE	64
#define SMBSIGN_GMAC_NONCE_SIZE		12

/* MS-SMB2 2.2.1 SMB2 Packet Header, field offsets. */
#define SMBSIGN_HDR_PROTOCOL_ID		0
#define SMBSIGN_HDR_STRUCTURE_SIZE	4
#define SMBSIGN_HDR_STATUS		8
#define SMBSIGN_HDR_COMMAND		12
#define SMBSIGN_HDR_FLAGS		16
#define SMBSIGN_HDR_NEXT_COMMAND	20
#define SMBSIGN_HDR_MESSAGE_ID		24
#define SMBSIGN_HDR_SESSION_ID		40
#define SMBSIGN_SIG_OFFSET		48

/* MS-SMB2 2.2.1.2 Flags. */
#define SMBSIGN_FLAG_SERVER_TO_REDIR	0x00000001
#define SMBSIGN_FLAG_ASYNC_COMMAND	0x00000002
#define SMBSIGN_FLAG_RELATED_OPERATIONS	0x00000004
#define SMBSIGN_FLAG_SIGNED		0x00000008

/* MS-SMB2 2.2.1.2 Command. */
#define SMBSIGN_CMD_NEGOTIATE		0x0000
#define SMBSIGN_CMD_SESSION_SETUP	0x0001
#define SMBSIGN_CMD_CANCEL		0x000c

/* SessionId of a related compound element that inherits its session. */
#define SMBSIGN_SESSION_ID_INHERIT	0xffffffffffffffffULL

/* MessageId of oplock and lease break notifications (MS-SMB2 3.2.5.19). */
#define SMBSIGN_MID_BREAK		0xffffffffffffffffULL

/* Largest message a Direct TCP transport can carry (MS-SMB2 2.1). */
#define SMBSIGN_MSG_MAX			0x00ffffffU

/* GMAC nonce role bits (MS-SMB2 3.1.4.1): sent by the server, a CANCEL. */
#define SMBSIGN_NONCE_ROLE_SERVER	0x1
#define SMBSIGN_NONCE_ROLE_CANCEL	0x2

/*
 * smbsign's AES-GMAC nonce guard: how many MessageIds below the highest
 * one a context signed (per role) it still remembers. A power of two.
 */
#define SMBSIGN_NONCE_WINDOW		32768

#endif /* _LINUX_SMBSIGN_PROTO_H */
