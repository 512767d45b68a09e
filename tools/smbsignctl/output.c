// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: output helpers. Aligned "Name : Value" tables in the style of
 * PowerShell's Format-List, column tables in the style of smbstatus, and
 * JSON strings.
 *
 * JSON: every count is an unsigned 64-bit number and is printed as a JSON
 * string of decimal digits ("18446744073709551615"): many JSON parsers keep
 * numbers as doubles, exact only up to 2^53.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

const char *true_false(bool b)
{
	return b ? "True" : "False";
}

const char *jbool(bool b)
{
	return b ? "true" : "false";
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

void table_print(const struct table *t, const char *indent)
{
	int i, w = 0;

	for (i = 0; i < t->nr; i++)
		if ((int)strlen(t->name[i]) > w)
			w = (int)strlen(t->name[i]);
	for (i = 0; i < t->nr; i++)
		printf("%s%-*s : %s\n", indent, w, t->name[i], t->value[i]);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_FAIL);
	}
	return d;
}

void grid_init(struct grid *g, int cols, const char *const *header,
	       const bool *right)
{
	memset(g, 0, sizeof(*g));
	g->cols = cols;
	g->right = calloc((size_t)cols, sizeof(*g->right));
	if (!g->right) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_FAIL);
	}
	if (right)
		memcpy(g->right, right, (size_t)cols * sizeof(*right));
	g->rows = -1;
	grid_add(g, header);
}

void grid_add(struct grid *g, const char *const *cells)
{
	int c;

	if (g->rows + 2 > g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->cell = realloc(g->cell, (size_t)g->cap * (size_t)g->cols *
				  sizeof(*g->cell));
		if (!g->cell) {
			fprintf(stderr, "%s: out of memory\n", progname);
			exit(EXIT_FAIL);
		}
	}
	g->rows++;
	for (c = 0; c < g->cols; c++)
		g->cell[g->rows * g->cols + c] = xstrdup(cells[c]);
}

/* Columns a UTF-8 string takes on a terminal: one per character. */
static int text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

void grid_print(const struct grid *g, const char *indent)
{
	int r, c, w, width[32] = { 0 };

	for (r = 0; r <= g->rows; r++)
		for (c = 0; c < g->cols && c < 32; c++) {
			w = text_width(g->cell[r * g->cols + c]);
			if (w > width[c])
				width[c] = w;
		}
	for (r = 0; r <= g->rows; r++) {
		printf("%s", indent);
		for (c = 0; c < g->cols && c < 32; c++) {
			const char *s = g->cell[r * g->cols + c];
			int pad = width[c] - text_width(s);
			bool last = c == g->cols - 1;

			if (g->right[c])
				printf("%*s%s", pad, "", s);
			else
				printf("%s%*s", s, last ? 0 : pad, "");
			printf("%s", last ? "\n" : "  ");
		}
	}
}

void grid_free(struct grid *g)
{
	int i;

	for (i = 0; i < (g->rows + 1) * g->cols; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->right);
	memset(g, 0, sizeof(*g));
}

/* "45s ago", "12m ago", "3h ago", "2d ago"; "now" for the future. */
void format_age(uint64_t now, uint64_t then, char *buf, size_t len)
{
	uint64_t d = now > then ? now - then : 0;

	if (d < 120)
		snprintf(buf, len, "%llus ago", (unsigned long long)d);
	else if (d < 120 * 60)
		snprintf(buf, len, "%llum ago", (unsigned long long)(d / 60));
	else if (d < 48 * 3600)
		snprintf(buf, len, "%lluh ago", (unsigned long long)(d / 3600));
	else
		snprintf(buf, len, "%llud ago", (unsigned long long)(d / 86400));
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

void json_string_or_null(FILE *f, const char *s)
{
	if (s && *s)
		json_string(f, s);
	else
		fputs("null", f);
}

struct json_list_state {
	FILE *f;
	bool first;
};

static void json_item(const char *item, size_t len, void *arg)
{
	struct json_list_state *st = arg;
	char buf[FIELD_MAX + 1];

	snprintf(buf, sizeof(buf), "%.*s", (int)len, item);
	fputs(st->first ? "" : ", ", st->f);
	st->first = false;
	json_string(st->f, buf);
}

/* ["a", "b"] from "a,b"; [] from "". */
void json_list(FILE *f, const char *list)
{
	struct json_list_state st = { f, true };

	fputc('[', f);
	for_each_item(list, json_item, &st);
	fputc(']', f);
}
