// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: check-config, testparm for /etc/modprobe.d/smbsign.conf, and
 * showconf, the running policy as that file.
 */
#include <string.h>

#include "smbsignctl.h"

/* What smbsign loads with: the file's values, else the module's. */
static void print_loaded(const struct modconf *mc)
{
	char buf[PEERS_TEXT_MAX];
	const char *v;
	int i;

	printf("smbsign loads with:\n");
	for (i = 0; i < NR_OPTIONS; i++) {
		v = modconf_value(mc, i, buf, sizeof(buf));
		if (mc->set.present[i])
			printf("  %s=%s\n", options[i].param, v[0] ? v : "\"\"");
		else if (v)
			printf("  %s=%s (not set: the module's default)\n",
			       options[i].param, v[0] ? v : "\"\"");
		else
			printf("  %s: not set: the module's default\n",
			       options[i].param);
	}
}

int cmd_check_config(int argc, char **argv)
{
	static struct modconf mc;
	const char *path = NULL;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--") && !path && i + 1 < argc) {
			path = argv[++i];
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return usage_err("check-config", "unknown option '%s'",
					 argv[i]);
		if (path)
			return usage_err("check-config", "unexpected argument '%s'",
					 argv[i]);
		path = argv[i];
	}
	if (!path)
		path = where(W_MODCONF);
	if (!*path)
		return usage_err("check-config", "empty file name");
	rc = modconf_load(&mc, path, stdout);
	if (rc)
		return rc;
	if (!mc.exists) {
		modconf_free(&mc);
		return err(EXIT_FAIL, "%s does not exist: smbsign loads with its defaults ('smbsignctl set' writes the file)",
			   path);
	}
	if (mc.refused)
		printf("smbsign would not load with this file: the kernel refuses a value (see above), and so modprobe smbsign, modprobe cifs and modprobe ksmbd fail.\n");
	else
		print_loaded(&mc);
	modconf_free(&mc);
	if (mc.nr_errors)
		return err(EXIT_FAIL, "%s: %d error%s, %d warning%s (listed above)",
			   path, mc.nr_errors, mc.nr_errors == 1 ? "" : "s",
			   mc.nr_warnings, mc.nr_warnings == 1 ? "" : "s");
	printf("%s: no errors, %d warning%s\n", path, mc.nr_warnings,
	       mc.nr_warnings == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_showconf(int argc, char **argv)
{
	static struct policy p;
	int rc;

	if (argc > 1)
		return usage_err("showconf", "unexpected argument '%s'", argv[1]);
	rc = need_module();
	if (!rc)
		rc = policy_read_running(&p);
	if (rc)
		return rc;
	modconf_render(NULL, &p, stdout);
	return EXIT_OK;
}
