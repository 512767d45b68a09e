// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace fuzz harness for the peer-list parser and matcher
 * (smbsign/peers.c), against an independent model:
 *  - addresses are whatever glibc's inet_pton() accepts (it refuses
 *    leading zeros in IPv4 and "::" standing for no group, as peers.c
 *    does), with an optional "/N" prefix (decimal, no leading zero,
 *    N <= 32 or 128) whose host bits are zero;
 *  - names are split with strtok() into labels checked one by one;
 *  - duplicates, more than SMBSIGN_PEERS_MAX entries and over-long
 *    values are refused; a refused value leaves nr == 0;
 *  - every accepted address entry matches its own address and, for a
 *    prefix shorter than the address, the address with its last bit
 *    flipped; an address differing in the first bit does not match.
 *
 * Built like the other harnesses by tools/testing/fuzz/run.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../../smbsign/peers.h"

static void fail(const char *what, const unsigned char *data, size_t len)
{
	size_t i;

	fprintf(stderr, "peer list model broken: %s; input:", what);
	for (i = 0; i < len; i++)
		fprintf(stderr, " %02x", data[i]);
	fprintf(stderr, "\n");
	abort();
}

static int model_prefix(const char *s, unsigned int max, unsigned int *res)
{
	char *end;
	unsigned long v;

	if (!*s || (s[0] == '0' && s[1]) || strspn(s, "0123456789") !=
	    strlen(s))
		return -1;
	v = strtoul(s, &end, 10);
	if (v > max)
		return -1;
	*res = v;
	return 0;
}

static int model_addr(char *tok, struct smbsign_peer_entry *e)
{
	char *slash = strchr(tok, '/');
	int v6 = strchr(tok, ':') && (!slash || strchr(tok, ':') < slash);
	unsigned int max = v6 ? 128 : 32, plen = max, i;
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (slash) {
		*slash = 0;
		if (model_prefix(slash + 1, max, &plen))
			return -1;
	}
	memset(e, 0, sizeof(*e));
	if (inet_pton(v6 ? AF_INET6 : AF_INET, tok, e->addr) != 1)
		return -1;
	for (i = plen; i < max; i++)
		if (e->addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	e->kind = v6 ? SMBSIGN_PEER_IPV6 : SMBSIGN_PEER_IPV4;
	e->prefix_len = plen;
	if (v6 && plen >= 96 && !memcmp(e->addr, mapped, 12)) {
		memmove(e->addr, e->addr + 12, 4);
		memset(e->addr + 4, 0, 12);
		e->kind = SMBSIGN_PEER_IPV4;
		e->prefix_len = plen - 96;
	}
	return 0;
}

static int model_name(const char *tok, struct smbsign_peer_entry *e)
{
	char copy[SMBSIGN_PEER_NAME_MAX + 1], *label, *save, *last = NULL;
	size_t len = strlen(tok), i;

	if (!len || len > SMBSIGN_PEER_NAME_MAX || tok[0] == '.' ||
	    tok[len - 1] == '.' || strstr(tok, ".."))
		return -1;
	strcpy(copy, tok);
	for (label = strtok_r(copy, ".", &save); label;
	     label = strtok_r(NULL, ".", &save)) {
		size_t l = strlen(label);

		if (l > 63 || label[0] == '-' || label[l - 1] == '-' ||
		    strspn(label, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != l)
			return -1;
		last = label;
	}
	if (!last || strspn(last, "0123456789") == strlen(last))
		return -1;
	memset(e, 0, sizeof(*e));
	for (i = 0; i < len; i++)
		e->name[i] = tok[i] >= 'A' && tok[i] <= 'Z' ? tok[i] + 32 : tok[i];
	e->kind = SMBSIGN_PEER_NAME;
	return 0;
}

static int model_parse(const unsigned char *data, size_t len, bool names,
		       struct smbsign_peer_list *l)
{
	char s[SMBSIGN_PEERS_VALUE_MAX + 1], *tok, *save;
	struct smbsign_peer_entry e;
	unsigned int i;

	l->nr = 0;
	if (len > SMBSIGN_PEERS_VALUE_MAX)
		return -EINVAL;
	if (len && data[len - 1] == '\n')
		len--;
	if (memchr(data, 0, len))
		return -EINVAL;
	memcpy(s, data, len);
	s[len] = 0;
	for (tok = strtok_r(s, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		if (strspn(tok, "0123456789.") == strlen(tok) ||
		    strpbrk(tok, ":/")) {
			if (model_addr(tok, &e))
				return -EINVAL;
		} else if (!names || model_name(tok, &e)) {
			return -EINVAL;
		}
		for (i = 0; i < l->nr; i++)
			if (!memcmp(&l->entry[i], &e, sizeof(e)))
				return -EINVAL;
		if (l->nr == SMBSIGN_PEERS_MAX)
			return -EINVAL;
		l->entry[l->nr++] = e;
	}
	return 0;
}

static void check_match(const struct smbsign_peer_list *l,
			const unsigned char *data, size_t len)
{
	const struct smbsign_peer_entry *e;
	struct smbsign_peer_addr a;
	unsigned int i, bits;

	for (i = 0; i < l->nr; i++) {
		e = &l->entry[i];
		if (e->kind == SMBSIGN_PEER_NAME) {
			if (!smbsign_peers_match(l, NULL, e->name))
				fail("a name does not match itself", data, len);
			continue;
		}
		bits = e->kind == SMBSIGN_PEER_IPV4 ? 32 : 128;
		memset(&a, 0, sizeof(a));
		a.kind = e->kind;
		memcpy(a.addr, e->addr, sizeof(a.addr));
		if (!smbsign_peers_match(l, &a, NULL))
			fail("an address does not match itself", data, len);
		if (e->prefix_len < bits) {
			a.addr[bits / 8 - 1] ^= 1;
			if (!smbsign_peers_match(l, &a, NULL))
				fail("a prefix misses its last address",
				     data, len);
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static struct smbsign_peer_list got, want;
	int names, err, model;

	for (names = 0; names < 2; names++) {
		got.nr = 99;
		err = smbsign_parse_peers((const char *)data, len, names, &got);
		model = model_parse(data, len, names, &want);
		if (err != model)
			fail(names ? "accepted differently (names allowed)" :
			     "accepted differently (addresses only)", data, len);
		if (err) {
			if (got.nr)
				fail("a refused list has entries", data, len);
			continue;
		}
		if (got.nr != want.nr ||
		    memcmp(got.entry, want.entry, got.nr * sizeof(got.entry[0])))
			fail("entries differ from the model", data, len);
		check_match(&got, data, len);
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

/* Pieces of valid and almost valid entries, glued and then mutated. */
static const char *const pieces[] = {
	"10", "0", "255", "256", "010", ".", "..", ":", "::", ":::", "/",
	"/8", "/24", "/32", "/33", "/0", "/128", "/96", "/08", "ffff",
	"FFFF", "0:0", "1:2:3:4", "5:6:7:8", "fe80", "::ffff:", "1.2.3.4",
	"10.0.0.0", "nas", "NAS", "server1", "example", "com", "-", "_",
	"a", "x1", "12345", " ", ",", "\n",
};

static size_t make_input(unsigned char *buf, size_t max)
{
	size_t len = 0, i, n = next_rand() % 12;

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
		buf = malloc(128);
		if (!buf)
			return 2;
		len = make_input(buf, 128);
		/* Exact-size copy: ASan sees a read one byte past the end. */
		buf = realloc(buf, len ?: 1);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	printf("peers: %lu inputs, model and parser agree\n", iters);
	return 0;
}
#endif
