// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the names of settings, counters, sides and reasons. Every
 * name the kernel shows comes from smbsign/names.h and smbsign/parse.h,
 * the one home of those names; only the PowerShell-style field names of
 * get are the tool's own.
 */
#include <string.h>
#include <strings.h>

#include "smbsignctl.h"

const char *const side_names[NR_SIDES] = SMBSIGN_SIDE_NAMES;
_Static_assert(ARRAY_SIZE(((const char *[])SMBSIGN_SIDE_NAMES)) == NR_SIDES,
	       "names.h has another number of sides");

const char *const counter_names[NR_COUNTERS] = {
#define X(id, name) [CNT_##id] = name,
	SMBSIGN_COUNTERS(X)
#undef X
};

const char *const why_names[NR_WHY] = {
#define X(id, name) [WHY_##id] = name,
	SMBSIGN_WHY(X)
#undef X
};

/* names.h writes the side as a word; SMBSIGN_SIDE_NAMES gives the order. */
#define SIDE_OF_client SIDE_CLIENT
#define SIDE_OF_server SIDE_SERVER

const struct option_desc options[NR_OPTIONS] = {
#define X(id, sd, nm, dflt)						\
	[OPT_##id] = { .kind = OPT_BOOL, .side = SIDE_OF_##sd,		\
		       .file = #nm, .rel = #sd "/" #nm,			\
		       .param = #sd "_" #nm, .def = dflt },
	SMBSIGN_KNOBS(X)
#undef X
#define X(id, sd, nm, names)					\
	[OPT_##id] = { .kind = OPT_PEERS, .side = SIDE_OF_##sd,	\
		       .file = #nm, .rel = #sd "/" #nm,			\
		       .param = #sd "_" #nm, .allow_names = names },
	SMBSIGN_PEER_LISTS(X)
#undef X
	[OPT_ALGORITHMS] = { .kind = OPT_ALGS, .file = SMBSIGN_ALGS_NAME,
			     .rel = SMBSIGN_ALGS_NAME,
			     .param = SMBSIGN_ALGS_NAME },
};

/*
 * What get calls each setting: the names of Windows'
 * Get-SmbClientConfiguration and Get-SmbServerConfiguration where Windows
 * has the setting. Windows has no per-peer exception: UnsignedPeers is
 * smbsign's own. A setting missing here is shown by its file name.
 */
static const char *const fields[NR_OPTIONS] = {
	[OPT_CLIENT_REQUIRE] = "RequireSecuritySignature",
	[OPT_SERVER_REQUIRE] = "RequireSecuritySignature",
	[OPT_CLIENT_GUEST] = "EnableInsecureGuestLogons",
	[OPT_CLIENT_AUDIT] = "AuditServerDoesNotSupportSigning",
	[OPT_SERVER_AUDIT] = "AuditClientDoesNotSupportSigning",
	[OPT_CLIENT_PEERS] = "UnsignedPeers",
	[OPT_SERVER_PEERS] = "UnsignedPeers",
	[OPT_ALGORITHMS] = "SigningAlgorithms",
};

const char *opt_field(int opt)
{
	return fields[opt] ? fields[opt] : options[opt].file;
}

/* "--" and the file name with '-' for '_': --require-signing */
const char *opt_flag(int opt)
{
	static char flags[NR_OPTIONS][64];
	char *f = flags[opt];
	size_t i;

	if (options[opt].kind == OPT_ALGS)
		return NULL;
	if (!f[0]) {
		snprintf(f, sizeof(flags[0]), "--%s", options[opt].file);
		for (i = 2; f[i]; i++)
			if (f[i] == '_')
				f[i] = '-';
	}
	return f;
}

int opt_index(const struct option_desc *o)
{
	return (int)(o - options);
}

/*
 * The option of a module parameter name. The kernel treats '-' and '_'
 * in parameter names alike (kernel/params.c, parameqn()), so does this.
 */
const struct option_desc *option_by_param(const char *param, size_t len)
{
	size_t i, j;

	for (i = 0; i < NR_OPTIONS; i++) {
		const char *p = options[i].param;

		if (strlen(p) != len)
			continue;
		for (j = 0; j < len; j++)
			if (param[j] != p[j] &&
			    !(param[j] == '-' && p[j] == '_'))
				break;
		if (j == len)
			return &options[i];
	}
	return NULL;
}

/* An algorithm by its sysfs name, any case; -1 if unknown. */
int alg_by_name(const char *name)
{
	int a;

	for (a = 0; a < NR_ALGS; a++)
		if (!strcasecmp(name, alg_names[a]))
			return a;
	return -1;
}
