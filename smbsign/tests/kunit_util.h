/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the smbsign KUnit suites (kunit_main.c).
 */
#ifndef _SMBSIGN_KUNIT_UTIL_H
#define _SMBSIGN_KUNIT_UTIL_H

#include <kunit/test.h>
#include <linux/smbsign.h>

#include "../smbsign.h"

/* Fields of a synthetic SMB2 header, laid out as MS-SMB2 2.2.1. */
struct smbsign_kt_hdr {
	u16 command;
	u32 flags;
	u32 next_command;
	u64 message_id;
	u64 session_id;
};

u8 *smbsign_kt_hex(struct kunit *test, const char *hex, size_t *len);
u8 *smbsign_kt_dup(struct kunit *test, const void *src, size_t len);
void smbsign_kt_put_hdr(u8 *buf, const struct smbsign_kt_hdr *h);
struct smbsign_ctx *smbsign_kt_ctx(struct kunit *test, enum smbsign_alg alg,
				   const u8 *key);
struct smbsign_ctx *smbsign_kt_ctx_side(struct kunit *test,
					enum smbsign_side side,
					enum smbsign_alg alg, const u8 *key);
void smbsign_kt_set_knob(struct kunit *test, enum smbsign_knob knob, bool v);
void smbsign_kt_set_peers(struct kunit *test, enum smbsign_side side,
			  const char *list);
struct sockaddr *smbsign_kt_sockaddr(struct kunit *test, const char *ip);
struct smbsign_session *smbsign_kt_session(struct kunit *test,
					   enum smbsign_side side,
					   const char *ip, const char *name);
struct smbsign_mac *smbsign_kt_mac(struct kunit *test, enum smbsign_alg alg,
				   const u8 *key, size_t key_len);
struct smbsign_msg *smbsign_kt_msg(struct kunit *test, u8 *buf, size_t len,
				   const size_t *cuts, unsigned int ncuts);
struct smbsign_msg *smbsign_kt_msg_pages(struct kunit *test, u8 *buf, size_t len,
					 size_t head);
void smbsign_kt_expect_sig(struct kunit *test, const u8 *buf, const char *hex);
void smbsign_kt_crypto_api_only(struct kunit *test);

extern const u8 smbsign_kt_key[SMBSIGN_KEY_SIZE];

/* vectors.c: NEGOTIATE req/rsp, SESSION_SETUP req1, rsp1, req2, rsp2. */
#define SMBSIGN_KT_PACKETS	6
#define SMBSIGN_KT_HASHES	5
extern const char *const smbsign_kt_ch1_packets[SMBSIGN_KT_PACKETS];
extern const char *const smbsign_kt_ch1_hashes[SMBSIGN_KT_HASHES];
extern const char *const smbsign_kt_ch2_packets[SMBSIGN_KT_PACKETS];
extern const char *const smbsign_kt_ch2_hashes[SMBSIGN_KT_HASHES];

#endif /* _SMBSIGN_KUNIT_UTIL_H */
