// SPDX-License-Identifier: GPL-2.0
/*
 * The AES-GMAC nonce window (see nonce.h).
 *
 * AES-GMAC is GCM with the whole message as additional data: two tags
 * computed under one key and one nonce give away the GHASH key, and with
 * it every signature of the session (the "forbidden attack"). MS-SMB2
 * 3.1.4.1 builds the nonce from the MessageId and the role, so the nonce
 * is unique exactly as long as a context never signs one MessageId twice
 * in one role. This window proves that for each signature: it remembers
 * the MessageIds signed within SMBSIGN_NONCE_WINDOW of the highest one and
 * refuses a repeat, and anything older, which it can no longer tell from a
 * repeat. It follows the anti-replay bitmap of RFC 6479 (IPsec), applied
 * to what we send rather than to what we receive.
 *
 * This file must stay free of kernel-only types and helpers: it is also
 * compiled in userspace (tools/testing/fuzz).
 */
#ifdef __KERNEL__
#include <kunit/visibility.h>
#include <linux/export.h>
#endif

#include "nonce.h"

#if SMBSIGN_NONCE_WINDOW % 64 || SMBSIGN_NONCE_WINDOW & (SMBSIGN_NONCE_WINDOW - 1)
#error "SMBSIGN_NONCE_WINDOW must be a power of two, at least 64"
#endif

/* Clear the bits of the @n MessageIds from @from on (modulo the window). */
static void window_clear(u64 *bits, u64 from, u64 n)
{
	unsigned int pos, off, take;
	u64 mask;

	if (n >= SMBSIGN_NONCE_WINDOW) {
		for (pos = 0; pos < SMBSIGN_NONCE_WORDS; pos++)
			bits[pos] = 0;
		return;
	}
	while (n) {
		pos = from % SMBSIGN_NONCE_WINDOW;
		off = pos % 64;
		take = 64 - off < n ? 64 - off : (unsigned int)n;
		mask = take == 64 ? ~0ULL : ((1ULL << take) - 1) << off;
		bits[pos / 64] &= ~mask;
		from += take;
		n -= take;
	}
}

/**
 * smbsign_nonce_claim() - record that a MessageId is about to be signed
 * @w: the window of the role (all zeros before the first claim)
 * @mid: the MessageId
 *
 * Moving the window up forgets the MessageIds that fall out of it; a
 * MessageId below the window is refused from then on.
 *
 * Context: any context; the caller serialises calls on one window.
 * Return: 0 if @mid was never signed and is now recorded, -EEXIST if it
 * was signed before, -ERANGE if it is too far below the highest signed
 * MessageId to tell. @w is unchanged on error.
 */
int smbsign_nonce_claim(struct smbsign_nonce_window *w, u64 mid)
{
	u64 bit = 1ULL << (mid % 64);
	u64 *word = &w->bits[mid % SMBSIGN_NONCE_WINDOW / 64];

	if (!w->used) {
		window_clear(w->bits, 0, SMBSIGN_NONCE_WINDOW);
		w->used = 1;
		w->top = mid;
	} else if (mid > w->top) {
		window_clear(w->bits, w->top + 1, mid - w->top);
		w->top = mid;
	} else if (w->top - mid >= SMBSIGN_NONCE_WINDOW) {
		return -ERANGE;
	} else if (*word & bit) {
		return -EEXIST;
	}
	*word |= bit;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_nonce_claim);
