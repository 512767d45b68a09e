// SPDX-License-Identifier: GPL-2.0
/*
 * smbsignctl: the program's entry point. Everything else is in the other
 * files, so that tools/testing/fuzz/ctl_fuzz.c can link them without it.
 */
#include "smbsignctl.h"

int main(int argc, char **argv)
{
	return smbsignctl_main(argc, argv);
}
