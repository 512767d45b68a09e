// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parsers for policy values (see parse.h).
 *
 * kstrtobool() looks at the first one or two characters only, so "tr",
 * "1x" or "on fire" would all pass; a policy switch that guards signing
 * must not change on a partial or garbled write. These parsers accept a
 * value only if all of it is well formed.
 *
 * This file must stay free of kernel-only types and helpers: it is also
 * compiled in userspace by the fuzzing harness.
 */
#ifdef __KERNEL__
#include <linux/export.h>
#include <linux/kernel.h>
#include <kunit/visibility.h>
#else
#include <stddef.h>
#endif

#include "parse.h"

const char *const smbsign_parse_alg_names[SMBSIGN_PARSE_NR_ALGS] = {
	"hmac-sha256", "aes-cmac", "aes-gmac",
};
EXPORT_SYMBOL_IF_KUNIT(smbsign_parse_alg_names);

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Does buf[0..len) spell @word, ignoring case? */
static bool word_is(const char *buf, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || lower(buf[i]) != word[i])
			return false;
	return !word[len];
}

/* Strip the one newline that echo adds; anything else stays and fails. */
static size_t value_len(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return len;
}

/**
 * smbsign_parse_bool() - parse a boolean policy value
 * @buf: the bytes written (not necessarily NUL-terminated)
 * @len: their number
 * @res: the value (written only on success)
 *
 * Accepts exactly one of 1, 0, y, n, yes, no, true, false, on, off, in any
 * case, optionally followed by one newline.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for anything else.
 */
int smbsign_parse_bool(const char *buf, size_t len, bool *res)
{
	static const char *const yes[] = { "1", "y", "yes", "true", "on" };
	static const char *const no[] = { "0", "n", "no", "false", "off" };
	unsigned int i;

	if (!buf || len > SMBSIGN_PARSE_MAX)
		return -EINVAL;
	len = value_len(buf, len);
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (word_is(buf, len, yes[i])) {
			*res = true;
			return 0;
		}
		if (word_is(buf, len, no[i])) {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_parse_bool);

static int alg_lookup(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < SMBSIGN_PARSE_NR_ALGS; i++)
		if (word_is(name, len, smbsign_parse_alg_names[i]))
			return i;
	return -EINVAL;
}

static bool is_sep(char c)
{
	return c == ' ' || c == ',';
}

/**
 * smbsign_parse_token() - the next item of a list value
 * @buf: the value, its trailing newline already dropped
 * @len: its length
 * @pos: where to look from; advanced past the item
 * @start: set to where the item begins
 *
 * Items are separated by any run of spaces and commas, the one list
 * syntax of every smbsign value (algorithms, peer lists).
 *
 * Context: Any context.
 * Return: true with the item at buf[*start..*pos), false at the end.
 */
bool smbsign_parse_token(const char *buf, size_t len, size_t *pos,
			 size_t *start)
{
	while (*pos < len && is_sep(buf[*pos]))
		(*pos)++;
	if (*pos == len)
		return false;
	*start = *pos;
	while (*pos < len && !is_sep(buf[*pos]))
		(*pos)++;
	return true;
}

/**
 * smbsign_parse_algs() - parse an ordered list of signing algorithms
 * @buf: the bytes written (not necessarily NUL-terminated)
 * @len: their number
 * @algs: SMBSIGN_PARSE_NR_ALGS entries; the list, as enum smbsign_alg
 *	values, most preferred first (written only on success)
 * @nr_algs: the number of entries used (written only on success)
 *
 * Names are those of smbsign_parse_alg_names, in any case, separated by
 * runs of spaces or commas; one trailing newline is allowed. Every name
 * may appear once.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for an unknown name, a duplicate, an empty list
 * or a value longer than SMBSIGN_PARSE_MAX.
 */
int smbsign_parse_algs(const char *buf, size_t len, unsigned int *algs,
		       unsigned int *nr_algs)
{
	unsigned int list[SMBSIGN_PARSE_NR_ALGS], n = 0, i;
	unsigned int seen = 0;
	size_t pos = 0, start;
	int alg;

	if (!buf || len > SMBSIGN_PARSE_MAX)
		return -EINVAL;
	len = value_len(buf, len);
	while (smbsign_parse_token(buf, len, &pos, &start)) {
		alg = alg_lookup(buf + start, pos - start);
		if (alg < 0 || seen & (1U << alg))
			return -EINVAL;
		seen |= 1U << alg;
		list[n++] = alg;
	}
	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		algs[i] = list[i];
	*nr_algs = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(smbsign_parse_algs);
