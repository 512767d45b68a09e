// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace fuzz harness for the strict policy parsers (smbsign/parse.c),
 * which are kept free of kernel-only types for this.
 *
 * Built like walker_fuzz.c (tools/testing/fuzz/targets.sh; -DSTANDALONE with
 * ASan/UBSan for make check, or as a libFuzzer target). Every input is
 * handed to both parsers and the results are checked against an
 * independent model of the accepted language:
 *  - a boolean is accepted exactly when the input, less one trailing
 *    newline, is one of the ten words in any case, and its value is the
 *    word's;
 *  - an algorithm list is accepted exactly when it splits (on runs of
 *    spaces and commas) into 1 to 3 distinct known names, in that order;
 *  - a rejected input changes none of the outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../../smbsign/parse.h"

static void fail(const char *what, const unsigned char *data, size_t len)
{
	size_t i;

	fprintf(stderr, "parser model broken: %s; input:", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %02x", data[i]);
	fprintf(stderr, "\n");
	abort();
}

/* The model: strip one newline, reject embedded NULs (C strings). */
static size_t model_len(const unsigned char *data, size_t len)
{
	if (len && data[len - 1] == '\n')
		len--;
	return len;
}

static int model_bool(const unsigned char *data, size_t len, bool *v)
{
	static const char *const words[] = {
		"1", "y", "yes", "true", "on", "0", "n", "no", "false", "off",
	};
	char s[SMBSIGN_PARSE_MAX + 1];
	unsigned int i;

	if (len > SMBSIGN_PARSE_MAX)
		return -EINVAL;
	len = model_len(data, len);
	if (memchr(data, 0, len))
		return -EINVAL;
	memcpy(s, data, len);
	s[len] = 0;
	for (i = 0; i < 10; i++) {
		if (!strcasecmp(s, words[i])) {
			*v = i < 5;
			return 0;
		}
	}
	return -EINVAL;
}

static int model_algs(const unsigned char *data, size_t len,
		      unsigned int *algs, unsigned int *n)
{
	char s[SMBSIGN_PARSE_MAX + 1], *tok, *save;
	unsigned int i, seen = 0, cnt = 0;

	if (len > SMBSIGN_PARSE_MAX)
		return -EINVAL;
	len = model_len(data, len);
	if (memchr(data, 0, len))
		return -EINVAL;
	memcpy(s, data, len);
	s[len] = 0;
	for (tok = strtok_r(s, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		for (i = 0; i < SMBSIGN_PARSE_NR_ALGS; i++)
			if (!strcasecmp(tok, smbsign_parse_alg_names[i]))
				break;
		if (i == SMBSIGN_PARSE_NR_ALGS || seen & (1U << i))
			return -EINVAL;
		seen |= 1U << i;
		algs[cnt++] = i;
	}
	if (!cnt)
		return -EINVAL;
	*n = cnt;
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	unsigned int algs[3] = { 7, 7, 7 }, want_algs[3], n = 7, want_n, i;
	bool v = true, want_v;
	int err, want;

	err = smbsign_parse_bool((const char *)data, len, &v);
	want = model_bool(data, len, &want_v);
	if (err != want)
		fail("boolean accepted differently", data, len);
	if (err ? !v : v != want_v)
		fail("boolean value", data, len);

	err = smbsign_parse_algs((const char *)data, len, algs, &n);
	want = model_algs(data, len, want_algs, &want_n);
	if (err != want)
		fail("algorithm list accepted differently", data, len);
	if (err) {
		if (n != 7 || algs[0] != 7)
			fail("a rejected list wrote its output", data, len);
		return 0;
	}
	if (n != want_n)
		fail("algorithm count", data, len);
	for (i = 0; i < n; i++)
		if (algs[i] != want_algs[i])
			fail("algorithm order", data, len);
	return 0;
}

#ifdef STANDALONE
static unsigned long long rng = 0x2545f4914f6cdd1dULL;

static unsigned int next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)rng;
}

/* Pieces of valid and almost valid values, glued and then mutated. */
static const char *const pieces[] = {
	"1", "0", "y", "N", "yes", "No", "true", "FALSE", "on", "off", "t",
	"o", "tr", "hmac-sha256", "aes-cmac", "AES-GMAC", "aes-gcm", "aes-",
	" ", ",", "\n", "\t", "x", "",
};

static size_t make_input(unsigned char *buf, size_t max)
{
	size_t len = 0, i, n = next_rand() % 5;

	while (n--) {
		const char *p = pieces[next_rand() %
				       (sizeof(pieces) / sizeof(pieces[0]))];
		size_t l = strlen(p);

		if (len + l > max)
			break;
		memcpy(buf + len, p, l);
		len += l;
	}
	for (i = next_rand() % 3; i && len; i--)
		buf[next_rand() % len] ^= 1 << (next_rand() % 8);
	return len;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	unsigned char *buf;
	unsigned long i;
	size_t len;

	for (i = 0; i < iters; i++) {
		buf = malloc(SMBSIGN_PARSE_MAX + 8);
		if (!buf)
			return 2;
		len = make_input(buf, SMBSIGN_PARSE_MAX + 8);
		/* Exact-size copy: ASan sees a read one byte past the end. */
		buf = realloc(buf, len ?: 1);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	printf("parse: %lu inputs, model and parsers agree\n", iters);
	return 0;
}
#endif
