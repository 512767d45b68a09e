// SPDX-License-Identifier: GPL-2.0
/*
 * SMB2 header and compound-chain walker (see walker.h).
 *
 * This file must stay free of kernel-only types and helpers: it is also
 * compiled in userspace by the fuzzing harness, which defines
 * EXPORT_SYMBOL_IF_KUNIT() as empty on its command line.
 */
#ifdef __KERNEL__
#include <linux/export.h>
#include <kunit/visibility.h>
#endif

#include "walker.h"

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 get_le64(const u8 *p)
{
	return (u64)get_le32(p) | (u64)get_le32(p + 4) << 32;
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/**
 * smbsign_hdr_parse() - check and decode an SMB2 header
 * @buf: at least @len bytes, starting at the header's ProtocolId
 * @len: bytes available at @buf
 * @hdr: decoded fields (written only on success)
 *
 * MS-SMB2 2.2.1: ProtocolId is 0xFE 'S' 'M' 'B' and StructureSize is 64.
 * A transform header (0xFD 'S' 'M' 'B') or an SMB1 header is not signed
 * by this engine and is refused.
 *
 * Context: any context.
 * Return: 0, or -EINVAL if @len is shorter than a header or the header is
 * not an SMB2 header.
 */
int smbsign_hdr_parse(const u8 *buf, size_t len, struct smbsign_hdr *hdr)
{
	static const u8 proto[4] = { 0xfe, 'S', 'M', 'B' };
	unsigned int i;

	if (!buf || len < SMBSIGN_HDR_SIZE)
		return -EINVAL;
	for (i = 0; i < sizeof(proto); i++)
		if (buf[SMBSIGN_HDR_PROTOCOL_ID + i] != proto[i])
			return -EINVAL;
	if (get_le16(buf + SMBSIGN_HDR_STRUCTURE_SIZE) != SMBSIGN_HDR_SIZE)
		return -EINVAL;

	hdr->command = get_le16(buf + SMBSIGN_HDR_COMMAND);
	hdr->flags = get_le32(buf + SMBSIGN_HDR_FLAGS);
	hdr->next_command = get_le32(buf + SMBSIGN_HDR_NEXT_COMMAND);
	hdr->message_id = get_le64(buf + SMBSIGN_HDR_MESSAGE_ID);
	hdr->session_id = get_le64(buf + SMBSIGN_HDR_SESSION_ID);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_hdr_parse);

/**
 * smbsign_chain_elem_len() - length of one compound element
 * @hdr: the element's parsed header
 * @off: offset of the element in the message
 * @total: length of the whole message
 * @elem_len: the element's length, padding included (written on success)
 *
 * MS-SMB2 3.2.4.1.4 and 3.3.4.1.3: NextCommand is the offset from this
 * header to the next one, 8-byte aligned; 0 marks the last element, which
 * runs to the end of the message. Every element is at least a header
 * long, so a chain of @total bytes has at most @total / 64 elements and a
 * walk always terminates. The values come from the peer: nothing here
 * trusts them beyond these checks.
 *
 * Context: any context.
 * Return: 0, or -EINVAL if @off does not leave room for a header,
 * NextCommand is not 8-byte aligned, is shorter than a header, or points
 * at or past the end of the message or at a tail shorter than a header.
 */
int smbsign_chain_elem_len(const struct smbsign_hdr *hdr, size_t off,
			   size_t total, size_t *elem_len)
{
	size_t left;

	if (off > total || total - off < SMBSIGN_HDR_SIZE)
		return -EINVAL;
	left = total - off;

	if (!hdr->next_command) {
		*elem_len = left;
		return 0;
	}
	if (hdr->next_command % 8 || hdr->next_command < SMBSIGN_HDR_SIZE)
		return -EINVAL;
	if (hdr->next_command > left ||
	    left - hdr->next_command < SMBSIGN_HDR_SIZE)
		return -EINVAL;
	*elem_len = hdr->next_command;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_chain_elem_len);

/**
 * smbsign_chain_same_session() - is a compound element bound to the session?
 * @first: header of the chain's first element
 * @elem: header of a later element
 *
 * A context holds one session's key, so every element it signs or
 * verifies must belong to that session (CVE-2023-52442): the element
 * names the first element's SessionId, or it is a related operation
 * (MS-SMB2 3.2.4.1.4) whose SessionId is 0xFFFFFFFFFFFFFFFF, meaning
 * "the session of the previous element".
 *
 * Context: any context.
 * Return: 1 if @elem belongs to the session of @first, 0 if not.
 */
int smbsign_chain_same_session(const struct smbsign_hdr *first,
			       const struct smbsign_hdr *elem)
{
	if (elem->session_id == first->session_id)
		return 1;
	return (elem->flags & SMBSIGN_FLAG_RELATED_OPERATIONS) &&
	       elem->session_id == SMBSIGN_SESSION_ID_INHERIT;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_chain_same_session);

/**
 * smbsign_gmac_nonce() - build the AES-128-GMAC nonce of a message
 * @hdr: the message's parsed header
 * @nonce: the 12-byte nonce (output)
 *
 * MS-SMB2 3.1.4.1: the nonce is the 8-byte MessageId followed by a 4-byte
 * little-endian field whose bit 0 is set for a message from the server
 * (SMB2_FLAGS_SERVER_TO_REDIR) and bit 1 for a CANCEL request.
 *
 * Context: any context.
 */
void smbsign_gmac_nonce(const struct smbsign_hdr *hdr, u8 nonce[12])
{
	u32 role = 0;

	if (hdr->flags & SMBSIGN_FLAG_SERVER_TO_REDIR)
		role |= 1;
	if (hdr->command == SMBSIGN_CMD_CANCEL)
		role |= 2;
	put_le32(nonce, (u32)hdr->message_id);
	put_le32(nonce + 4, (u32)(hdr->message_id >> 32));
	put_le32(nonce + 8, role);
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_gmac_nonce);
