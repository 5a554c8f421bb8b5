/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CHECK_SETUP_H
#define PRT_CHECK_SETUP_H

#include <stdio.h>

/**
 * dpdk-prtip --check-setup: @p argv are the EAL options (and, after "--",
 * the scanner's --datadir/--service-cache). Reads sysfs and procfs under
 * @p root ("" for this machine) and prints one "ok"/"PROBLEM" line per
 * concern on @p out, then "N ok, N problems".
 * @return 0 when nothing is a problem, 1 when something is, 2 for bad arguments
 */
int prt_check_setup(int argc, char **argv, const char *root, FILE *out);

#endif
