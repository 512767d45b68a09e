// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace fuzz harness for the AES-GMAC nonce window (smbsign/nonce.c),
 * which is kept free of kernel-only types for this.
 *
 * Built like walker_fuzz.c (tools/testing/fuzz/targets.sh; -DSTANDALONE with
 * ASan/UBSan for make check, or as a libFuzzer target). An input is a
 * sequence of MessageIds (8 bytes each, little-endian, taken relative to
 * a base from the first 8 bytes so that the ends of the 64-bit range are
 * reached); each is claimed from the window and the answer is checked
 * against a model that remembers every MessageId ever claimed:
 *  - a MessageId above every one claimed so far is accepted;
 *  - one claimed before is refused (-EEXIST) while it is within
 *    SMBSIGN_NONCE_WINDOW of the highest, and one at or below that
 *    distance is refused (-ERANGE), claimed or not;
 *  - anything else is accepted;
 *  - so no MessageId is ever accepted twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../smbsign/nonce.h"

#define MAX_CLAIMS	4096

static void fail(const char *what, unsigned long long mid, int got, int want)
{
	fprintf(stderr, "nonce window broken: %s: mid %llu got %d want %d\n",
		what, mid, got, want);
	abort();
}

static unsigned long long get_le64(const unsigned char *p)
{
	unsigned long long v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static unsigned long long claimed[MAX_CLAIMS];
	struct smbsign_nonce_window *w;
	unsigned long long base, mid, top = 0;
	size_t n = 0, off, i;
	int got, want, seen;

	if (len < 8)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		abort();
	base = get_le64(data);
	for (off = 8; off + 2 <= len && n < MAX_CLAIMS; ) {
		/* Mostly small steps: 2 bytes; a 0xff tag takes 8 bytes. */
		if (data[off] == 0xff && off + 9 <= len) {
			mid = base + get_le64(data + off + 1);
			off += 9;
		} else {
			mid = base + (data[off] | data[off + 1] << 8) * 3;
			off += 2;
		}
		seen = 0;
		for (i = 0; i < n; i++)
			seen |= claimed[i] == mid;
		if (!n || mid > top)
			want = 0;
		else if (top - mid >= SMBSIGN_NONCE_WINDOW)
			want = -ERANGE;
		else
			want = seen ? -EEXIST : 0;
		got = smbsign_nonce_claim(w, mid);
		if (got != want)
			fail("answer", mid, got, want);
		if (!got && seen)
			fail("a MessageId accepted twice", mid, got, want);
		if (!got) {
			if (!n || mid > top)
				top = mid;
			claimed[n++] = mid;
		}
	}
	free(w);
	return 0;
}

#ifdef STANDALONE
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned char buf[8 + 64 * 9];
	unsigned long i;
	size_t len, off;

	/* Fewer inputs than the other harnesses: each one is a sequence. */
	iters /= 20;
	for (i = 0; i < iters; i++) {
		unsigned long long base = next_rand();

		/* Near 0, near the top of the range, or anywhere. */
		if (next_rand() % 3 == 0)
			base = ~0ULL - next_rand() % 200000;
		else if (next_rand() % 2)
			base = next_rand() % 1000;
		memcpy(buf, &base, 8);
		len = 8;
		while (len + 9 <= sizeof(buf)) {
			off = len;
			if (next_rand() % 16 == 0) {
				unsigned long long far = next_rand() %
					(4ULL * SMBSIGN_NONCE_WINDOW);

				buf[off] = 0xff;
				memcpy(buf + off + 1, &far, 8);
				len += 9;
			} else {
				buf[off] = next_rand() % 0xfe;
				buf[off + 1] = next_rand() % 8;
				len += 2;
			}
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("nonce: %lu sequences, window and model agree\n", iters);
	return 0;
}
#endif
