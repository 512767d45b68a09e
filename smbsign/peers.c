// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parser and matcher for peer lists (see peers.h).
 *
 * A peer list names the only peers with which the policy's requirement to
 * sign (and the refusal of guest logons) is waived. A typo that widened
 * it would silently relax signing for peers nobody meant, so the parser
 * accepts a value only if every entry is well formed:
 *  - an IPv4 address in dotted-quad form, each part 0-255 written without
 *    leading zeros (inet_aton's octal "010" and short forms like "10.1"
 *    mean different addresses to different tools, so neither is taken);
 *  - an IPv6 address in RFC 4291 2.2 text form;
 *  - either, followed by "/" and a prefix length, whose host bits are 0
 *    (10.0.0.0/8, not 10.1.2.3/8, which would mean something else to
 *    every reader);
 *  - where names are allowed (client side: the server name of the mount),
 *    a host name of letters, digits, '-' and '_' in dot-separated labels
 *    of 1-63 characters (RFC 1123 2.1); a name whose last label is all
 *    digits is refused, since it is a mistyped IPv4 address.
 * Entries are separated by runs of spaces or commas; one trailing newline
 * is allowed; an empty list is valid and waives nothing. Duplicates are
 * refused. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are stored as the
 * IPv4 address they map, because that is how a peer is matched.
 *
 * This file must stay free of kernel-only types and helpers: it is also
 * compiled in userspace by the fuzzing harness and by smbsignctl.
 */
#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#else
#include <stddef.h>
#include <string.h>
#endif

#include "parse.h"
#include "peers.h"

static const u8 v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * Addresses are public, but smbsign keeps the plain memory compare out of its
 * sources altogether (tools/testing/checkpatch, static.no-memcmp).
 */
static bool bytes_eq(const u8 *a, const u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* A decimal number 0..@max without leading zeros, all of s[0..len). */
static bool parse_dec(const char *s, size_t len, unsigned int max,
		      unsigned int *res)
{
	unsigned int v = 0;
	size_t i;

	if (!len || len > 3 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return false;
	*res = v;
	return true;
}

static bool parse_ipv4(const char *s, size_t len, u8 out[4])
{
	size_t pos = 0, start;
	unsigned int i, v;

	for (i = 0; i < 4; i++) {
		start = pos;
		while (pos < len && s[pos] != '.')
			pos++;
		if (!parse_dec(s + start, pos - start, 255, &v))
			return false;
		out[i] = v;
		if (i < 3) {
			if (pos == len)
				return false;
			pos++;	/* the dot */
		}
	}
	return pos == len;
}

/* One group of 1-4 hex digits, all of s[0..len). */
static bool parse_group(const char *s, size_t len, unsigned int *res)
{
	unsigned int v = 0;
	size_t i;
	int d;

	if (!len || len > 4)
		return false;
	for (i = 0; i < len; i++) {
		d = hex_val(s[i]);
		if (d < 0)
			return false;
		v = v << 4 | d;
	}
	*res = v;
	return true;
}

/*
 * RFC 4291 2.2: eight groups; or fewer with one "::" standing for one or
 * more zero groups; the last two groups may be written as an IPv4
 * address.
 */
static bool parse_ipv6(const char *s, size_t len, u8 out[16])
{
	unsigned int g[8], n = 0, i, v;
	int dcolon = -1;
	size_t pos = 0, end;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		dcolon = 0;
		pos = 2;
	}
	while (pos < len) {
		for (end = pos; end < len && s[end] != ':'; end++)
			;
		if (memchr(s + pos, '.', end - pos)) {
			u8 v4[4];

			/* Only as the last two groups. */
			if (end != len || n > 6 || !parse_ipv4(s + pos,
							       end - pos, v4))
				return false;
			g[n++] = v4[0] << 8 | v4[1];
			g[n++] = v4[2] << 8 | v4[3];
			pos = end;
			break;
		}
		if (n == 8 || !parse_group(s + pos, end - pos, &v))
			return false;
		g[n++] = v;
		pos = end;
		if (pos == len)
			break;
		pos++;	/* the colon */
		if (pos < len && s[pos] == ':') {
			if (dcolon >= 0)
				return false;
			dcolon = n;
			pos++;
		} else if (pos == len) {
			return false;	/* a single trailing colon */
		}
	}
	if (dcolon < 0 ? n != 8 : n > 7)
		return false;
	memset(out, 0, 16);
	for (i = 0; i < n; i++) {
		/* Groups after the "::" go to the end. */
		unsigned int at = dcolon >= 0 && (int)i >= dcolon ?
				  i + 8 - n : i;

		out[2 * at] = g[i] >> 8;
		out[2 * at + 1] = g[i] & 0xff;
	}
	return true;
}

/* Are the bits of @addr after the first @prefix_len all 0? */
static bool host_bits_clear(const u8 *addr, unsigned int bytes,
			    unsigned int prefix_len)
{
	unsigned int i;

	for (i = prefix_len / 8; i < bytes; i++) {
		u8 mask = i == prefix_len / 8 ? 0xff >> (prefix_len % 8) :
						0xff;

		if (addr[i] & mask)
			return false;
	}
	return true;
}

static bool parse_addr(const char *s, size_t len,
		       struct smbsign_peer_entry *e)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	bool v6 = memchr(s, ':', alen);
	unsigned int max = v6 ? 128 : 32, prefix = max;

	if (v6 ? !parse_ipv6(s, alen, e->addr) : !parse_ipv4(s, alen, e->addr))
		return false;
	if (slash && !parse_dec(slash + 1, len - alen - 1, max, &prefix))
		return false;
	if (!host_bits_clear(e->addr, max / 8, prefix))
		return false;
	e->kind = v6 ? SMBSIGN_PEER_IPV6 : SMBSIGN_PEER_IPV4;
	e->prefix_len = prefix;
	if (v6 && prefix >= 96 && bytes_eq(e->addr, v4_mapped, 12)) {
		memmove(e->addr, e->addr + 12, 4);
		memset(e->addr + 4, 0, 12);
		e->kind = SMBSIGN_PEER_IPV4;
		e->prefix_len = prefix - 96;
	}
	return true;
}

static bool name_char(char c)
{
	c = lower(c);
	return is_digit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

/* RFC 1123 2.1 host names, with '_' for NetBIOS-style names. */
static bool parse_name(const char *s, size_t len,
		       struct smbsign_peer_entry *e)
{
	size_t pos = 0, start;
	bool all_digits = false;

	if (!len || len > SMBSIGN_PEER_NAME_MAX)
		return false;
	while (pos < len) {
		start = pos;
		all_digits = true;
		while (pos < len && s[pos] != '.') {
			if (!name_char(s[pos]))
				return false;
			all_digits &= is_digit(s[pos]);
			pos++;
		}
		if (pos == start || pos - start > 63 || s[start] == '-' ||
		    s[pos - 1] == '-')
			return false;
		if (pos < len && ++pos == len)
			return false;	/* a trailing dot */
	}
	if (all_digits)
		return false;
	for (pos = 0; pos < len; pos++)
		e->name[pos] = lower(s[pos]);
	e->name[len] = '\0';
	e->kind = SMBSIGN_PEER_NAME;
	e->prefix_len = 0;
	return true;
}

static bool looks_like_addr(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ':' || s[i] == '/')
			return true;
	for (i = 0; i < len; i++)
		if (!is_digit(s[i]) && s[i] != '.')
			return false;
	return true;
}

/**
 * smbsign_peer_entry_equal() - whether two parsed entries are the same
 * @a: an entry of a list smbsign_parse_peers() made
 * @b: another
 *
 * Names compare as parsed (lower case), addresses with their prefix
 * length. The parser uses it to refuse duplicates; smbsignctl, which
 * builds this file, to compare two lists entry by entry.
 *
 * Context: Any context.
 * Return: true if @a and @b are the same entry.
 */
bool smbsign_peer_entry_equal(const struct smbsign_peer_entry *a,
			      const struct smbsign_peer_entry *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == SMBSIGN_PEER_NAME)
		return !strcmp(a->name, b->name);
	return a->prefix_len == b->prefix_len &&
	       bytes_eq(a->addr, b->addr, sizeof(a->addr));
}

/**
 * smbsign_parse_peers() - parse a peer list
 * @buf: the bytes written (not necessarily NUL-terminated)
 * @len: their number
 * @allow_names: whether host names are accepted besides addresses
 * @list: the list; on failure its @nr is 0, so a rejected value can
 *	never be half applied
 *
 * See the top of peers.c for the accepted language.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for a malformed entry, a name where names are not
 * allowed, a duplicate, more than SMBSIGN_PEERS_MAX entries or a value
 * longer than SMBSIGN_PEERS_VALUE_MAX.
 */
int smbsign_parse_peers(const char *buf, size_t len, bool allow_names,
			struct smbsign_peer_list *list)
{
	struct smbsign_peer_entry e;
	unsigned int n = 0, i;
	size_t pos = 0, start;

	list->nr = 0;
	if (!buf || len > SMBSIGN_PEERS_VALUE_MAX)
		return -EINVAL;
	if (len && buf[len - 1] == '\n')
		len--;
	while (smbsign_parse_token(buf, len, &pos, &start)) {
		memset(&e, 0, sizeof(e));
		if (looks_like_addr(buf + start, pos - start)) {
			if (!parse_addr(buf + start, pos - start, &e))
				return -EINVAL;
		} else if (!allow_names ||
			   !parse_name(buf + start, pos - start, &e)) {
			return -EINVAL;
		}
		if (n == SMBSIGN_PEERS_MAX)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (smbsign_peer_entry_equal(&list->entry[i], &e))
				break;
		if (i < n)
			return -EINVAL;
		list->entry[n++] = e;
	}
	list->nr = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_parse_peers);

static bool addr_match(const struct smbsign_peer_entry *e,
		       const struct smbsign_peer_addr *a)
{
	unsigned int full = e->prefix_len / 8, rest = e->prefix_len % 8;

	if (e->kind != a->kind)
		return false;
	if (!bytes_eq(e->addr, a->addr, full))
		return false;
	return !rest || !((e->addr[full] ^ a->addr[full]) & (0xff << (8 - rest)));
}

static bool name_match(const char *entry, const char *name)
{
	size_t i;

	for (i = 0; entry[i]; i++)
		if (lower(name[i]) != entry[i])
			return false;
	return !name[i];
}

/**
 * smbsign_peers_match() - is a peer on a list?
 * @list: the list
 * @addr: the peer's address, or NULL
 * @name: the peer's name as the user wrote it (client side: the server
 *	name of the mount), or NULL
 *
 * An address entry matches a peer address of the same family whose first
 * prefix_len bits are equal; a name entry matches a name equal to it,
 * ignoring case. No wildcards, no DNS lookups: the kernel cannot trust a
 * resolver an attacker may answer.
 *
 * Context: any context.
 * Return: whether any entry matches.
 */
bool smbsign_peers_match(const struct smbsign_peer_list *list,
			 const struct smbsign_peer_addr *addr,
			 const char *name)
{
	const struct smbsign_peer_entry *e;
	unsigned int i;

	for (i = 0; i < list->nr; i++) {
		e = &list->entry[i];
		if (e->kind == SMBSIGN_PEER_NAME) {
			if (name && name_match(e->name, name))
				return true;
		} else if (addr && addr_match(e, addr)) {
			return true;
		}
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_peers_match);
