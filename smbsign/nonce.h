/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AES-GMAC nonce window: which MessageIds a context has signed.
 *
 * Pure functions over a plain structure, like walker.c: no kernel-only
 * types, no allocation, no locks (the caller serialises), so the same file
 * builds in userspace for fuzzing and benchmarks.
 */
#ifndef _SMBSIGN_NONCE_H
#define _SMBSIGN_NONCE_H

#include "walker.h"

#define SMBSIGN_NONCE_WORDS	(SMBSIGN_NONCE_WINDOW / 64)

/**
 * struct smbsign_nonce_window - the MessageIds one role of a context signed
 * @top: the highest MessageId signed so far (valid once @used)
 * @used: something was signed
 * @bits: bit (MessageId % SMBSIGN_NONCE_WINDOW) is set for each MessageId
 *	in (@top - SMBSIGN_NONCE_WINDOW, @top] that was signed
 */
struct smbsign_nonce_window {
	u64 top;
	int used;
	u64 bits[SMBSIGN_NONCE_WORDS];
};

int smbsign_nonce_claim(struct smbsign_nonce_window *w, u64 mid);

#endif /* _SMBSIGN_NONCE_H */
