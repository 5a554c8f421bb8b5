/* SPDX-License-Identifier: BSD-3-Clause */
/* Writes, at build time and from the option rows, dpdk-prtip.8 ("man",
 * cli_man.c) or the bash completion ("completion", cli_completion.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "man") == 0)
		prt_usage_man(stdout);
	else if (argc == 2 && strcmp(argv[1], "completion") == 0)
		prt_usage_completion(stdout);
	else {
		fprintf(stderr, "usage: dpdk-prtip-gen-docs man|completion\n");
		return 2;
	}
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
