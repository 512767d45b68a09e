// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the names of settings, counters, sides and reasons. Every
 * name the kernel shows comes from smbsign/names.h and smbsign/parse.h,
 * the one home of those names; only the PowerShell-style field names of
 * get are the tool's own.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "smbsignctl.h"

const char *const side_names[NR_SIDES] = SMBSIGN_SIDE_NAMES;
_Static_assert(ARRAY_SIZE(((const char *[])SMBSIGN_SIDE_NAMES)) == NR_SIDES,
	       "names.h has another number of sides");

const char *const counter_names[NR_COUNTERS] = SMBSIGN_COUNTER_NAMES;
const char *const why_names[NR_WHY] = SMBSIGN_WHY_NAMES;

static const struct smbsign_knob_desc knobs[SMBSIGN_KNOB_COUNT] =
	SMBSIGN_KNOB_TABLE;

/* The "side/file" and "side_file" of each option, made once. */
static char rels[NR_OPTIONS][64], params[NR_OPTIONS][64];
static struct option_desc option_table[NR_OPTIONS];
const struct option_desc *const options = option_table;

static void set_option(int opt, enum opt_kind kind, enum side side,
		       const char *file)
{
	struct option_desc *o = &option_table[opt];

	o->kind = kind;
	o->side = side;
	o->file = file;
	if (kind == OPT_ALGS) {
		o->rel = file;
		o->param = file;
		return;
	}
	snprintf(rels[opt], sizeof(rels[opt]), "%s/%s", side_names[side], file);
	snprintf(params[opt], sizeof(params[opt]), "%s_%s", side_names[side],
		 file);
	o->rel = rels[opt];
	o->param = params[opt];
}

/*
 * The options, in the order of names.h: its boolean knobs, one peer list
 * per side (host names only on the client's: a server knows its clients
 * by address), then the algorithm list.
 */
__attribute__((constructor)) static void options_init(void)
{
	int i;

	for (i = 0; i < SMBSIGN_KNOB_COUNT; i++) {
		set_option(i, OPT_BOOL, (enum side)knobs[i].side,
			   knobs[i].name);
		option_table[i].def = knobs[i].def;
	}
	set_option(OPT_CLIENT_PEERS, OPT_PEERS, SIDE_CLIENT,
		   SMBSIGN_PEERS_NAME);
	option_table[OPT_CLIENT_PEERS].allow_names = true;
	set_option(OPT_SERVER_PEERS, OPT_PEERS, SIDE_SERVER,
		   SMBSIGN_PEERS_NAME);
	set_option(OPT_ALGORITHMS, OPT_ALGS, SIDE_CLIENT, SMBSIGN_ALGS_NAME);
}

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
