// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: sessions, every SMB2/SMB3 session smbsign serves, client and
 * server side, and whether it signs (like Windows' Get-SmbConnection and
 * Get-SmbSession, and Samba's smbstatus).
 */
#include <stdlib.h>
#include <string.h>

#include "smbsignctl.h"

static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

static void print_text(const struct session_row *r, int nr)
{
	static const char *const head[] = {
		"SIDE", "PEER", "NAME", "SESSION", "DIALECT", "ALGORITHM",
		"LOGON", "REQUIRED", "WHY", "SIGNED", "VERIFIED", "FAILED",
	};
	static const bool right[ARRAY_SIZE(head)] = {
		[9] = true, [10] = true, [11] = true,
	};
	const char *cells[ARRAY_SIZE(head)];
	struct grid g;
	int i, unsigned_ = 0;

	if (!nr) {
		printf("No SMB2/SMB3 session uses smbsign.\n");
		return;
	}
	grid_init(&g, ARRAY_SIZE(head), head, right);
	for (i = 0; i < nr; i++) {
		cells[0] = side_names[r[i].side];
		cells[1] = dash(r[i].address);
		cells[2] = dash(r[i].name);
		cells[3] = r[i].id;
		cells[4] = dash(r[i].dialect);
		cells[5] = dash(r[i].alg);
		cells[6] = dash(r[i].logon);
		cells[7] = r[i].required ? "yes" : "no";
		cells[8] = dash(r[i].why);
		cells[9] = r[i].count[0];
		cells[10] = r[i].count[1];
		cells[11] = r[i].count[2];
		grid_add(&g, cells);
		unsigned_ += !r[i].required;
	}
	grid_print(&g, "");
	grid_free(&g);
	if (unsigned_)
		printf("\nNot requiring signing: %d of %d sessions; their messages may arrive unsigned ('smbsignctl audit' tells which peers would break if signing were required).\n",
		       unsigned_, nr);
}

/*
 * {"sessions": [{"side": "client", "address": "192.0.2.10", "name": "nas",
 *   "session_id": "0x...", "dialect": "3.1.1", "algorithm": "aes-gmac",
 *   "logon": "user", "required": true, "why": ["policy"],
 *   "signed": "12", "verified": "11", "failed": "0"}, ...]}
 * Fields without a value are null; counts are strings.
 */
static void print_json(const struct session_row *r, int nr)
{
	int i, k;

	printf("{\"sessions\": [");
	for (i = 0; i < nr; i++) {
		printf("%s{\"side\": \"%s\", \"address\": ", i ? ", " : "",
		       side_names[r[i].side]);
		json_string_or_null(stdout, r[i].address);
		printf(", \"name\": ");
		json_string_or_null(stdout, r[i].name);
		printf(", \"session_id\": \"%s\", \"dialect\": ", r[i].id);
		json_string_or_null(stdout, r[i].dialect);
		printf(", \"algorithm\": ");
		json_string_or_null(stdout, r[i].alg);
		printf(", \"logon\": ");
		json_string_or_null(stdout, r[i].logon);
		printf(", \"required\": %s, \"why\": ", jbool(r[i].required));
		json_list(stdout, r[i].why);
		for (k = 0; k < 3; k++)
			printf(", \"%s\": \"%s\"", session_count_names[k],
			       r[i].count[k]);
		printf("}");
	}
	printf("]}\n");
}

int cmd_sessions(int argc, char **argv)
{
	struct session_row *rows;
	bool json = false;
	int i, nr, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-')
			return usage_err("sessions", "unknown option '%s'", argv[i]);
		else
			return usage_err("sessions", "unexpected argument '%s'", argv[i]);
	}
	rc = proc_read_sessions(&rows, &nr);
	if (rc)
		return rc;
	if (json)
		print_json(rows, nr);
	else
		print_text(rows, nr);
	free(rows);
	return EXIT_OK;
}
