// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: show and change the SMB signing policy of the smbsign kernel
 * module (/sys/kernel/smbsign) and keep it in /etc/modprobe.d, show its
 * sessions, counters and audit, and explain the errors that signing and
 * guest policy produce.
 *
 * This file: the command line, help, version and the shared helpers;
 * main.c only calls smbsignctl_main(), so that the fuzz harness can too.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

const char *progname = "smbsignctl";

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis[3];
	const char *help;
} commands[] = {
	{ "get", cmd_get, { "get client|server [--json]" },
	  "Show one side's signing settings the way Get-SmbClientConfiguration\n"
	  "and Get-SmbServerConfiguration do: RequireSecuritySignature,\n"
	  "EnableInsecureGuestLogons (client), AuditServerDoesNotSupportSigning\n"
	  "(client) or AuditClientDoesNotSupportSigning (server), UnsignedPeers\n"
	  "(smbsign's own: the peers exempted from signing and the guest block)\n"
	  "and SigningAlgorithms (SMB 3.1.1, shared by both sides).\n"
	  "  --json   print one JSON object instead\n" },
	{ "set", cmd_set,
	  { "set client|server OPTION VALUE... [--runtime-only]",
	    "set algorithms LIST [--runtime-only]" },
	  "Change settings, like Set-SmbClientConfiguration and\n"
	  "Set-SmbServerConfiguration: the running value in /sys/kernel/smbsign,\n"
	  "and the whole running policy in /etc/modprobe.d/smbsign.conf, which\n"
	  "smbsign loads with at boot. Every value is checked with the kernel's\n"
	  "own parser before anything is written; each file is read back; on\n"
	  "any failure the earlier values are put back and the file is left as\n"
	  "it was. Changes apply to sessions set up afterwards.\n"
	  "  --require-signing BOOL        require signing (RequireSecuritySignature)\n"
	  "  --audit-unsigned-peers BOOL   log peers that do not sign\n"
	  "  --allow-insecure-guest BOOL   client only: allow guest sessions\n"
	  "                                (EnableInsecureGuestLogons)\n"
	  "  --unsigned-peers LIST         the only peers exempted from signing and\n"
	  "                                the guest block; \"\" for none\n"
	  "  --runtime-only                change the running value only\n"
	  "BOOL: 1, 0, y, n, yes, no, true, false, on, off, in any case.\n"
	  "LIST (peers): client: server names as in the mount's UNC, IPv4 or IPv6\n"
	  "addresses or prefixes; server: client addresses or prefixes; separated\n"
	  "by commas or spaces, at most 16. It replaces the current list.\n"
	  "LIST (algorithms): hmac-sha256, aes-cmac, aes-gmac, separated by commas\n"
	  "or spaces, most preferred first; SMB 3.1.1 only.\n" },
	{ "showconf", cmd_showconf, { "showconf" },
	  "Print the running policy as the /etc/modprobe.d/smbsign.conf that\n"
	  "'set' writes.\n" },
	{ "check-config", cmd_check_config, { "check-config [FILE]" },
	  "Check a modprobe.d file (default /etc/modprobe.d/smbsign.conf) as\n"
	  "modprobe and the kernel will read it: unknown options (which the\n"
	  "kernel ignores with only a warning), values the kernel refuses,\n"
	  "options set twice. Prints the policy smbsign loads with. Exits 1 when\n"
	  "the file has an error.\n" },
	{ "status", cmd_status, { "status [--json]" },
	  "Show whether the module is loaded, the SMB modules bound to it (cifs,\n"
	  "ksmbd), the crypto driver behind each algorithm, the policy of both\n"
	  "sides, where the boot policy differs from the running one, and the\n"
	  "counters. Exits with 3 when the module is not loaded.\n"
	  "  --json   print one JSON object instead\n" },
	{ "stats", cmd_stats, { "stats [--json] [--reset]" },
	  "Show the counters per side and algorithm.\n"
	  "  --json   print one JSON object instead (counts as strings)\n"
	  "  --reset  set every counter to zero first, and empty the audit\n"
	  "           table (root only)\n" },
	{ "sessions", cmd_sessions, { "sessions [--json]" },
	  "List the SMB2/SMB3 sessions smbsign serves, client and server: peer,\n"
	  "session id, dialect, signing algorithm, logon, whether signing is\n"
	  "required and why, and the messages signed, verified and refused\n"
	  "(like Get-SmbConnection and smbstatus). Root only.\n"
	  "  --json   print one JSON object instead (counts as strings)\n" },
	{ "audit", cmd_audit, { "audit [--json]" },
	  "Answer \"what breaks if I require signing?\": every peer seen, with\n"
	  "its guest and anonymous sessions (they cannot sign: these peers break)\n"
	  "apart from user sessions that merely did not sign (they sign when\n"
	  "required), and the unsigned_peers exception that keeps the breaking\n"
	  "ones working. Root only.\n"
	  "  --json   print one JSON object instead (counts as strings)\n" },
	{ "explain", cmd_explain, { "explain CODE" },
	  "Explain an error code or message: its cause and the fix on Linux.\n"
	  "CODE may be hexadecimal (0xc000a000, C000A000), decimal (3221266432,\n"
	  "-1073700864), a name (STATUS_INVALID_SIGNATURE, NT_STATUS_ACCESS_DENIED,\n"
	  "EACCES), a line of a log or of mount.cifs (\"mount error(13): Permission\n"
	  "denied\") or part of a message (\"cryptographic signature is invalid\").\n" },
};

#define NR_COMMANDS ARRAY_SIZE(commands)

static void print_synopsis(FILE *f, const char *indent,
			   const struct command *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c->synopsis) && c->synopsis[i]; i++)
		fprintf(f, "%*s%s %s\n", (int)strlen(indent),
			i ? "" : indent, progname, c->synopsis[i]);
}

static void print_command_help(const struct command *c)
{
	print_synopsis(stdout, "Usage: ", c);
	printf("\n%s", c->help);
}

static void print_help(FILE *f)
{
	size_t i;
	int w;

	fprintf(f, "Usage: %s COMMAND [ARGS]\n\n", progname);
	fprintf(f, "Show and change the SMB signing policy of the smbsign kernel module.\n\n");
	fprintf(f, "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		print_synopsis(f, "  ", &commands[i]);
	fprintf(f, "  %s help [COMMAND]\n", progname);
	fprintf(f, "  %s --version\n\n", progname);
	fprintf(f,
		"Exit status:\n"
		"  0  success\n"
		"  1  failure (I/O error, unexpected sysfs content, unknown code)\n"
		"  2  usage error: unknown command or option, bad value\n"
		"  3  the smbsign module is not loaded\n"
		"  4  permission denied (changing settings and sessions need root)\n"
		"  5  the kernel rejected a value, or it did not stick\n\n"
		"Environment (testing aids):\n");
	for (w = 0; w < NR_WHERE; w++)
		fprintf(f, "  %s  instead of %s\n", where_env((enum where)w),
			where_default((enum where)w));
	fprintf(f, "  SMBSIGNCTL_BOOTTIME  seconds since boot, instead of the clock\n\n"
		"See smbsignctl(8).\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c)
		return usage_err(NULL, "no such command '%s'", argv[1]);
	print_command_help(c);
	return EXIT_OK;
}

static int cmd_version(void)
{
	char ver[128];

	printf("%s %s\n", progname, SMBSIGNCTL_VERSION);
	if (!sysfs_loaded())
		printf("smbsign module: not loaded\n");
	else if (sysfs_read("version", ver, sizeof(ver)) == 0)
		printf("smbsign module: %s\n", ver);
	return EXIT_OK;
}

static char *capture;
static size_t capture_len;

void err_capture(char *buf, size_t len)
{
	capture = buf;
	capture_len = len;
	if (buf && len)
		buf[0] = '\0';
}

int err(int code, const char *fmt, ...)
{
	va_list ap;

	if (capture) {
		va_start(ap, fmt);
		vsnprintf(capture, capture_len, fmt, ap);
		va_end(ap);
		return code;
	}
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int usage_err(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd)
		return err(EXIT_USAGE, "%s: %s (see '%s help %s')", cmd, msg,
			   progname, cmd);
	return err(EXIT_USAGE, "%s (see '%s help')", msg, progname);
}

/* The kernel's boolean grammar (smbsign/parse.c); anything else: -1. */
int parse_bool_arg(const char *s, bool *out)
{
	return smbsign_parse_bool(s, strlen(s), out) ? -1 : 0;
}

int smbsignctl_main(int argc, char **argv)
{
	const struct command *c;
	int i;

	if (argc < 2)
		return usage_err(NULL, "no command given");
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		if (argc > 2)
			return usage_err(NULL, "--version takes no argument");
		return cmd_version();
	}
	c = find_command(argv[1]);
	if (!c) {
		if (argv[1][0] == '-')
			return usage_err(NULL, "unknown option '%s'", argv[1]);
		return usage_err(NULL, "unknown command '%s'", argv[1]);
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			print_command_help(c);
			return EXIT_OK;
		}
	}
	return c->run(argc - 1, argv + 1);
}
