// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: explain, the error codes and messages users meet when SMB
 * signing or guest policy refuses a connection, with the fix on Linux.
 *
 * A code is given as hexadecimal (with or without 0x), signed or unsigned
 * decimal, a symbolic name, or a piece of the message text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "smbsignctl.h"

#define MAX_ALIASES 4

struct code {
	uint32_t status;		/* the value shown first */
	const char *title;		/* what it means, in a few words */
	const char *names[MAX_ALIASES];	/* names accepted; [0] is shown */
	uint32_t also[MAX_ALIASES];	/* other numbers that mean the same */
	const char *message;		/* the text users see, or NULL */
	const char *phrases[MAX_ALIASES]; /* lower-case pieces of it */
	const char *cause;
	const char *fix;
};

static const struct code codes[] = {
{
	0xc000a000, "the signature of a message is invalid",
	{ "STATUS_INVALID_SIGNATURE" },
	{ 0 },
	"The cryptographic signature is invalid.",
	{ "cryptographic signature is invalid", "invalid signature" },
	"A message that had to be signed arrived unsigned, or its signature\n"
	"did not verify. Most often the peer does not sign at all (a NAS or\n"
	"other third-party server with signing turned off or unsupported)\n"
	"while this side requires signing. Otherwise the signature was made\n"
	"with another key or the message was changed on the way: tampering,\n"
	"a broken middlebox, or a bug in one of the two implementations.",
	"Linux client (cifs): client/require_signing is 1 (the default) and\n"
	"the server's responses are unsigned or do not verify. `smbsignctl\n"
	"stats` tells which: client unsigned_rejected grows when the server\n"
	"does not sign, verify_failed when its signatures are wrong.\n"
	"Best fix: turn signing on in the server. If the server cannot sign,\n"
	"stop requiring signing on the client, then remount the share:\n"
	"  smbsignctl set client --require-signing false\n"
	"  echo 0 > /sys/kernel/smbsign/client/require_signing\n"
	"Permanent: options smbsign client_require_signing=0 in\n"
	"/etc/modprobe.d/smbsign.conf.\n"
	"A client that shows this for a Linux server (ksmbd): the server's\n"
	"signatures do not verify there. Look at `smbsignctl stats` and dmesg\n"
	"on the server; if one algorithm is at fault, leave it out:\n"
	"  smbsignctl set algorithms aes-cmac,hmac-sha256\n"
	"  echo aes-cmac,hmac-sha256 > /sys/kernel/smbsign/algorithms\n"
	"Caution: without required signing, tampering and relay attacks on\n"
	"that connection go unnoticed.",
},
{
	0xc0000022, "access denied (signing required by the server?)",
	{ "STATUS_ACCESS_DENIED", "ERROR_ACCESS_DENIED", "E_ACCESSDENIED" },
	{ 5, 0x80070005 },
	"Access is denied.",
	{ "access is denied", "access denied" },
	"The server refused the request. Where signing is concerned: the\n"
	"request was unsigned, or its signature did not verify, on a session\n"
	"that must be signed; or the server refused a guest or anonymous\n"
	"session because it requires signing. The same status also means\n"
	"plain permission problems (share or file ACLs, a wrong password).",
	"Linux server (ksmbd): server/require_signing is 1. If the server\n"
	"counters grow (`smbsignctl stats`: server unsigned_rejected,\n"
	"verify_failed or guest_refused), signing is the cause. Best fix:\n"
	"make the client sign with a real account (Windows:\n"
	"Set-SmbClientConfiguration -RequireSecuritySignature $true). To\n"
	"accept clients that do not sign, and guests:\n"
	"  smbsignctl set server --require-signing false\n"
	"  echo 0 > /sys/kernel/smbsign/server/require_signing\n"
	"The clients must reconnect. Permanent: options smbsign\n"
	"server_require_signing=0 in /etc/modprobe.d/smbsign.conf.\n"
	"Linux client getting it from a server that requires signing: keep\n"
	"client/require_signing at 1 and mount with a user account, not as a\n"
	"guest:\n"
	"  smbsignctl set client --require-signing true\n"
	"  echo 1 > /sys/kernel/smbsign/client/require_signing",
},
{
	0xc05d0002, "guest logons are blocked by the client",
	{ "STATUS_SMB_GUEST_LOGON_BLOCKED", "ERROR_SMB_GUEST_LOGON_BLOCKED",
	  "STATUS_GUEST_LOGON_BLOCKED" },
	{ 1272, 0x800704f8 },
	"You can't access this shared folder because your organization's "
	"security policies block unauthenticated guest access.",
	{ "security policies block unauthenticated guest access",
	  "can't access this shared folder", "guest logon blocked" },
	"The server would only let the client in as a guest (it has no\n"
	"account for the user, or maps unknown users to guest, e.g. Samba's\n"
	"\"map to guest = bad user\"), and the client does not allow insecure\n"
	"guest logons. Windows error 1272 is the same refusal.",
	"Linux client (cifs): client/allow_insecure_guest is 0 (the default).\n"
	"Best fix: give the share a real user and mount with username= and\n"
	"password=. If a guest share is unavoidable, allow guest logons; a\n"
	"guest session cannot sign, so required signing must go too:\n"
	"  smbsignctl set client --allow-insecure-guest true --require-signing false\n"
	"  echo 0 > /sys/kernel/smbsign/client/require_signing\n"
	"  echo 1 > /sys/kernel/smbsign/client/allow_insecure_guest\n"
	"then remount. Permanent: options smbsign client_allow_insecure_guest=1\n"
	"client_require_signing=0 in /etc/modprobe.d/smbsign.conf.",
},
{
	0xc05d0003, "guest logon refused: signing is required",
	/* ntstatus.h's name, which smbsign logs; then the header's */
	{ "STATUS_SMB_NO_SIGNING_ALGORITHM_OVERLAP",
	  "STATUS_NO_SIGNING_ALGORITHM_OVERLAP" },
	{ 0 },
	"System error 3227320323 has occurred.",
	{ "system error 3227320323" },
	"The session would be a guest (or anonymous) session, which has no\n"
	"key and so cannot sign, and this client requires signing: there is\n"
	"no signing algorithm the session could use, as the status name says.\n"
	"Windows has no message text for it, hence the bare number. Windows\n"
	"11 24H2 Pro, Enterprise and Education require signing by default,\n"
	"so guest shares that used to work stop working there.",
	"Linux client (cifs): client/require_signing is 1, which refuses guest\n"
	"sessions whatever client/allow_insecure_guest says. Best fix: use a\n"
	"real account on the server. If a guest share is unavoidable:\n"
	"  smbsignctl set client --require-signing false --allow-insecure-guest true\n"
	"  echo 0 > /sys/kernel/smbsign/client/require_signing\n"
	"  echo 1 > /sys/kernel/smbsign/client/allow_insecure_guest\n"
	"then remount.\n"
	"A Linux server (ksmbd) with server/require_signing 1 refuses guests\n"
	"with STATUS_ACCESS_DENIED instead (see: smbsignctl explain 0xc0000022).",
},
{
	0x80070035, "the network path was not found",
	{ "ERROR_BAD_NETPATH" },
	{ 53 },
	"The network path was not found.",
	{ "network path was not found" },
	"Windows could not reach the share: a wrong name, name resolution,\n"
	"a firewall blocking TCP port 445, or no SMB server running. Windows\n"
	"Explorer also shows it when the client's policy blocks a guest-only\n"
	"share (insecure guest logons off, or signing required).",
	"A Linux client does not print this code; mount.cifs reports errno\n"
	"values (mount error(13), (112), ...) and cifs logs to dmesg.\n"
	"Windows client and Linux server (ksmbd): check that ksmbd runs and\n"
	"port 445 is reachable. If the share is guest-only, give it a user;\n"
	"or allow guests on the Windows client (EnableInsecureGuestLogons,\n"
	"RequireSecuritySignature $false) and, if the Linux server requires\n"
	"signing, on the server as well:\n"
	"  smbsignctl set server --require-signing false\n"
	"  echo 0 > /sys/kernel/smbsign/server/require_signing\n"
	"See also: smbsignctl explain 0xc05d0002, smbsignctl explain 0xc05d0003.",
},
};

#define NR_CODES ARRAY_SIZE(codes)
_Static_assert(NR_CODES == NR_EXPLAIN_CODES, "NR_EXPLAIN_CODES is stale");

struct matches {
	bool hit[NR_CODES];
	int nr;
};

static void add(struct matches *m, size_t i)
{
	if (!m->hit[i]) {
		m->hit[i] = true;
		m->nr++;
	}
}

static bool match_value(struct matches *m, uint32_t v)
{
	bool found = false;
	size_t i, j;

	for (i = 0; i < NR_CODES; i++) {
		if (codes[i].status == v)
			found = true;
		for (j = 0; j < MAX_ALIASES && codes[i].also[j]; j++)
			if (codes[i].also[j] == v)
				found = true;
		if (found) {
			add(m, i);
			return true;
		}
	}
	return false;
}

static bool all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* 0xc000a000, C000A000, 3221266432, -1073700864 */
static bool match_number(struct matches *m, const char *s)
{
	const char *p = s;
	unsigned long long u;
	long long l;
	char *end;

	if ((p[0] == '0') && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!all_of(p, "0123456789abcdefABCDEF") || strlen(p) > 8)
			return false;
		return match_value(m, (uint32_t)strtoull(p, NULL, 16));
	}
	if (all_of(p[0] == '-' || p[0] == '+' ? p + 1 : p, "0123456789")) {
		errno = 0;
		if (p[0] == '-') {
			l = strtoll(p, &end, 10);
			if (!errno && !*end && l >= INT32_MIN &&
			    match_value(m, (uint32_t)(int32_t)l))
				return true;
		} else {
			u = strtoull(p, &end, 10);
			if (!errno && !*end && u <= UINT32_MAX &&
			    match_value(m, (uint32_t)u))
				return true;
		}
	}
	if (all_of(p, "0123456789abcdefABCDEF") && strlen(p) <= 8)
		return match_value(m, (uint32_t)strtoull(p, NULL, 16));
	return false;
}

/* STATUS_INVALID_SIGNATURE, any case, with or without "SMBSIGN_" */
static bool match_name(struct matches *m, const char *s)
{
	size_t i, j;

	if (!strncasecmp(s, "SMBSIGN_", 8))
		s += 8;
	for (i = 0; i < NR_CODES; i++)
		for (j = 0; j < MAX_ALIASES; j++)
			if (codes[i].names[j] &&
			    !strcasecmp(s, codes[i].names[j])) {
				add(m, i);
				return true;
			}
	return false;
}

/*
 * Lower case, typographic apostrophes (U+2018, U+2019) made plain, runs
 * of white space made one space, no trailing full stop.
 */
static void normalize(const char *in, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;

	while (*s && n + 1 < len) {
		if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) {
			out[n++] = '\'';
			s += 3;
		} else if (isspace(*s)) {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			s++;
		} else {
			out[n++] = (char)tolower(*s++);
		}
	}
	while (n && (out[n - 1] == ' ' || out[n - 1] == '.'))
		n--;
	out[n] = '\0';
}

/* The message, or a distinctive piece of it (at least 12 characters). */
static void match_phrase(struct matches *m, const char *text)
{
	size_t i, j, n = strlen(text);

	for (i = 0; i < NR_CODES; i++)
		for (j = 0; j < MAX_ALIASES && codes[i].phrases[j]; j++)
			if (strstr(text, codes[i].phrases[j]) ||
			    (n >= 12 && strstr(codes[i].phrases[j], text)))
				add(m, i);
}

/*
 * Numbers and names inside a longer text ("Error code: 0x80070035", a
 * kernel log line). Small numbers (Win32 errors such as 53) count only
 * right after the word "error" ("System error 53 has occurred"), so that
 * a session id or message number is not taken for one.
 */
static void match_tokens(struct matches *m, char *text)
{
	char *tok, *save = NULL;
	bool after_error = false;
	struct matches one;
	size_t n, i;

	for (tok = strtok_r(text, " \t\n,;:()[]{}\"'=", &save); tok;
	     tok = strtok_r(NULL, " \t\n,;:()[]{}\"'=", &save)) {
		n = strlen(tok);
		while (n && tok[n - 1] == '.')
			tok[--n] = '\0';
		memset(&one, 0, sizeof(one));
		if (n && !match_number(&one, tok))
			match_name(&one, tok);
		for (i = 0; i < NR_CODES; i++)
			if (one.hit[i] && (after_error ||
					   !isdigit((unsigned char)tok[0]) ||
					   strtoull(tok, NULL, 0) > 0xffff))
				add(m, i);
		after_error = !strcmp(tok, "error");
	}
}

/* @text, one line per '\n', each indented by two spaces */
static void print_indented(const char *text)
{
	const char *p = text;
	size_t n;

	while (*p) {
		n = strcspn(p, "\n");
		printf("  %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static void print_code(const struct code *c)
{
	size_t j;

	printf("0x%08x%s%s: %s\n", c->status, c->names[0] ? " " : "",
	       c->names[0] ? c->names[0] : "", c->title);
	printf("  also written: %d, %u", (int32_t)c->status, c->status);
	for (j = 0; j < MAX_ALIASES && c->also[j]; j++)
		printf(c->also[j] > 0xffff ? ", 0x%08x" : ", %u", c->also[j]);
	printf("\n");
	if (c->message)
		printf("  message: \"%s\"\n", c->message);
	printf("\nCause:\n");
	print_indented(c->cause);
	printf("\nFix on Linux:\n");
	print_indented(c->fix);
}

/*
 * A whole number or name, else the message or a piece of it, else the
 * numbers and names inside the text. @in is at most 1023 bytes, the
 * arguments joined by spaces; an empty text names nothing.
 */
unsigned int explain_match(const char *in)
{
	struct matches m = { 0 };
	unsigned int hits = 0;
	char text[1024];
	size_t i;

	normalize(in, text, sizeof(text));
	if (!*text)
		return 0;
	if (!match_number(&m, text) && !match_name(&m, text)) {
		match_phrase(&m, text);
		if (!m.nr)
			match_tokens(&m, text);
	}
	for (i = 0; i < NR_CODES; i++)
		if (m.hit[i])
			hits |= 1U << i;
	return hits;
}

int cmd_explain(int argc, char **argv)
{
	char in[1024] = "", text[1024];
	unsigned int hits;
	size_t used = 0, i;
	int a, first = 1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--") && a == 1)
			continue;
		used += (size_t)snprintf(in + used, sizeof(in) - used, "%s%s",
					 used ? " " : "", argv[a]);
		if (used >= sizeof(in))
			return usage_err("explain", "text too long");
	}
	normalize(in, text, sizeof(text));
	if (!*text)
		return usage_err("explain", "which code? e.g. 0xc000a000");
	hits = explain_match(in);
	if (!hits)
		return err(EXIT_FAIL, "explain: unknown code '%s' (known: 0xc000a000, 0xc0000022, 0xc05d0002, 0xc05d0003, 0x80070035)",
			   in);
	for (i = 0; i < NR_CODES; i++) {
		if (!(hits & 1U << i))
			continue;
		if (!first)
			printf("\n");
		first = 0;
		print_code(&codes[i]);
	}
	return EXIT_OK;
}
