// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: output helpers. Aligned "Name : Value" tables in the style of
 * PowerShell's Format-List, and JSON strings.
 */
#include <stdarg.h>
#include <string.h>

#include "smbsignctl.h"

const char *true_false(bool b)
{
	return b ? "True" : "False";
}

void table_add(struct table *t, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (t->nr >= (int)ARRAY_SIZE(t->name))
		return;
	t->name[t->nr] = name;
	va_start(ap, fmt);
	vsnprintf(t->value[t->nr], sizeof(t->value[0]), fmt, ap);
	va_end(ap);
	t->nr++;
}

void table_print(const struct table *t)
{
	int i, w = 0;

	for (i = 0; i < t->nr; i++)
		if ((int)strlen(t->name[i]) > w)
			w = (int)strlen(t->name[i]);
	for (i = 0; i < t->nr; i++)
		printf("%-*s : %s\n", w, t->name[i], t->value[i]);
}

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * A JSON string: quotes, backslashes and control characters escaped; bytes
 * that are not valid UTF-8 become U+FFFD so the output always parses.
 */
void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}
