/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the policy values written to sysfs and module parameters.
 *
 * Pure functions over byte strings, like walker.c: no kernel-only types,
 * no allocation, so the same file builds in userspace for fuzzing. A
 * value is accepted whole or not at all.
 */
#ifndef _SMBSIGN_PARSE_H
#define _SMBSIGN_PARSE_H

#include "walker.h"

#ifndef __KERNEL__
#include <stdbool.h>
#endif

/* Longest value either parser accepts, newline included. */
#define SMBSIGN_PARSE_MAX	64

/* The algorithm names used in sysfs, indexed by enum smbsign_alg. */
#define SMBSIGN_PARSE_NR_ALGS	3
extern const char *const smbsign_parse_alg_names[SMBSIGN_PARSE_NR_ALGS];

int smbsign_parse_bool(const char *buf, size_t len, bool *res);
bool smbsign_parse_token(const char *buf, size_t len, size_t *pos,
			 size_t *start);
int smbsign_parse_algs(const char *buf, size_t len, unsigned int *algs,
		       unsigned int *nr_algs);

#endif /* _SMBSIGN_PARSE_H */
