// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace fuzz harness for the smbsign header and compound-chain walker
 * (smbsign/walker.c), which is kept free of kernel-only types for this.
 *
 * Built two ways (tools/testing/fuzz/targets.sh):
 *  - with -DSTANDALONE and AddressSanitizer/UBSan: a deterministic random
 *    and mutation driver for make check;
 *  - with clang -fsanitize=fuzzer: a libFuzzer target (libfuzzer, make fuzz).
 *
 * Every input is walked as a chain exactly as smbsign/sign.c walks it, and
 * the invariants the kernel relies on are asserted: an element starts
 * with a full header inside the buffer, has at least a header's length,
 * never extends past the end, and the walk ends after at most len / 64
 * elements. Each answer is also checked against a model that decodes the
 * header here, independently: which headers are accepted and their
 * fields, which NextCommand values are, which elements belong to the
 * first one's session, and the bytes of the AES-GMAC nonce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../smbsign/walker.h"

static void fail(const char *what, size_t off, size_t len)
{
	fprintf(stderr, "walker invariant broken: %s (off %zu, len %zu)\n",
		what, off, len);
	abort();
}

static unsigned long long le(const unsigned char *p, int n)
{
	unsigned long long v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Is there an SMB2 header at @p, with @left bytes from it on? */
static int model_is_header(const unsigned char *p, size_t left)
{
	return left >= 64 && p[0] == 0xfe && p[1] == 'S' && p[2] == 'M' &&
	       p[3] == 'B' && le(p + 4, 2) == 64;
}

static void check_header(const unsigned char *p, const struct smbsign_hdr *h,
			 size_t off, size_t len)
{
	if (h->command != le(p + 12, 2) || h->flags != le(p + 16, 4) ||
	    h->next_command != le(p + 20, 4) ||
	    h->message_id != le(p + 24, 8) || h->session_id != le(p + 40, 8))
		fail("header fields", off, len);
}

/* NextCommand: 0 for the rest, else aligned, inside, a header left. */
static int model_elem_len(unsigned int next, size_t left, size_t *elen)
{
	if (!next) {
		*elen = left;
		return 0;
	}
	if (next % 8 || next < 64 || next > left || left - next < 64)
		return -1;
	*elen = next;
	return 0;
}

static void check_nonce(const struct smbsign_hdr *h, size_t off, size_t len)
{
	unsigned int role = (h->flags & 1) | (h->command == 0x0c) << 1;
	u8 nonce[12];

	memset(nonce, 0xa5, sizeof(nonce));
	smbsign_gmac_nonce(h, nonce);
	if (le(nonce, 8) != h->message_id || le(nonce + 8, 4) != role)
		fail("AES-GMAC nonce", off, len);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	struct smbsign_hdr first, h;
	size_t off = 0, elen, want_len, n = 0;
	int ok, err, want, same;

	for (;;) {
		memset(&h, 0, sizeof(h));
		ok = !smbsign_hdr_parse(data + off, len - off, &h);
		if (ok != model_is_header(data + off, len - off))
			fail("header accepted differently", off, len);
		if (!ok)
			break;
		if (len - off < SMBSIGN_HDR_SIZE)
			fail("header parsed past the end", off, len);
		check_header(data + off, &h, off, len);
		err = smbsign_chain_elem_len(&h, off, len, &elen);
		want = model_elem_len(h.next_command, len - off, &want_len);
		if (!err != !want || (!err && elen != want_len))
			fail("NextCommand accepted differently", off, len);
		if (err)
			break;
		if (elen < SMBSIGN_HDR_SIZE || elen > len - off)
			fail("element length", off, len);
		if (h.next_command && elen != h.next_command)
			fail("element length differs from NextCommand", off, len);
		if (!n)
			first = h;
		same = smbsign_chain_same_session(&first, &h);
		if (same != (h.session_id == first.session_id ||
			     ((h.flags & 4) && h.session_id == ~0ULL)))
			fail("session of an element", off, len);
		check_nonce(&h, off, len);
		if (++n > len / SMBSIGN_HDR_SIZE)
			fail("too many elements", off, len);
		if (off + elen == len)
			break;
		off += elen;
	}
	return 0;
}

#ifdef STANDALONE
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned int next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)rng;
}

static void put32(unsigned char *p, unsigned int v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* A plausible chain, then a few random mutations of it. */
static size_t make_input(unsigned char *buf, size_t max)
{
	size_t len = 64 + next_rand() % (max - 64), off = 0, i;
	static const unsigned int interesting[] = {
		0, 8, 56, 63, 64, 65, 72, 128, 0x7ffffff8, 0x80000000,
		0xfffffff8, 0xffffffff,
	};

	for (i = 0; i < len; i++)
		buf[i] = next_rand();
	while (off + 64 <= len) {
		unsigned int next = 64 + 8 * (next_rand() % 8);

		memcpy(buf + off, "\xfeSMB\x40\x00", 6);
		if (off + next + 64 > len || next_rand() % 4 == 0)
			next = 0;
		put32(buf + off + 20, next);
		if (!next)
			break;
		off += next;
	}
	for (i = next_rand() % 4; i; i--) {
		size_t at = next_rand() % len;

		if (next_rand() % 2 && at + 4 <= len)
			put32(buf + at, interesting[next_rand() %
				(sizeof(interesting) / sizeof(interesting[0]))]);
		else
			buf[at] ^= 1 << (next_rand() % 8);
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		size_t max = 64 + 1 + next_rand() % 2048;
		unsigned char *buf = malloc(max);
		size_t len;

		if (!buf)
			return 2;
		len = make_input(buf, max);
		/* Exact-size copy: ASan sees a read one byte past the end. */
		buf = realloc(buf, len);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	printf("walker: %lu inputs, no invariant broken\n", iters);
	return 0;
}
#endif
