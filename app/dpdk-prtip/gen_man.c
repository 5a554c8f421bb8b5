/* SPDX-License-Identifier: BSD-3-Clause */
/* Writes dpdk-prtip.8 at build time, from the option rows (cli_man.c). */
#include <stdio.h>

#include "cli.h"

int main(void)
{
	prt_usage_man(stdout);
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
