/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-answer data shared by the load-time self-test and the KUnit
 * suites.
 */
#ifndef _SMBSIGN_KAT_H
#define _SMBSIGN_KAT_H

#include <linux/smbsign.h>

/**
 * struct smbsign_kat_sig - one signature known answer
 * @alg: the algorithm
 * @key: the 16-byte signing key
 * @sig: the expected Signature field of smbsign_kat_msg signed with @key
 * @source: where the answer comes from
 */
struct smbsign_kat_sig {
	enum smbsign_alg alg;
	const u8 *key;
	const u8 *sig;
	const char *source;
};

extern const u8 smbsign_kat_msg[101];
extern const u8 smbsign_kat_session_key[SMBSIGN_KEY_SIZE];
extern const u8 smbsign_kat_preauth_hash[SMBSIGN_PREAUTH_HASH_SIZE];
extern const u8 smbsign_kat_signing_key[SMBSIGN_KEY_SIZE];
extern const u8 smbsign_kat_smb30_session_key[SMBSIGN_KEY_SIZE];
extern const u8 smbsign_kat_smb30_signing_key[SMBSIGN_KEY_SIZE];
extern const struct smbsign_kat_sig smbsign_kat_sigs[SMBSIGN_ALG_COUNT];
extern const u8 smbsign_kat_rfc4493_key[SMBSIGN_KEY_SIZE];
extern const u8 smbsign_kat_rfc4493_msg[64];
extern const u8 smbsign_kat_rfc4493_mac[SMBSIGN_SIG_SIZE];

#endif /* _SMBSIGN_KAT_H */
