/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip [EAL args] -- [scanner args] <targets>
 * The scanner's arguments are parsed and validated first, so a typo fails
 * at once without touching hugepages or NICs; then EAL starts.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "cli.h"
#include "check_setup.h"
#include "db.h"
#include "checkpoint_key.h"
#include "resume.h"
#include "run.h"

static int find_separator(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return -1;
}

/* Did the EAL arguments name a device? Then "no port" means it failed. */
static bool eal_names_device(int eal_argc, char **argv)
{
	for (int i = 1; i < eal_argc; i++)
		if (strncmp(argv[i], "--vdev", 6) == 0 || strcmp(argv[i], "-a") == 0 ||
		    strncmp(argv[i], "--allow", 7) == 0)
			return true;
	return false;
}

/* The command line as typed, for the nmap formats' "as:" headers; an
 * argument with a space or a quote is single-quoted as a shell would need. */
static char *join_command_line(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) * 4 + 3;
	s = p = malloc(len);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < argc; i++) {
		bool quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t'\"\\$|&;<>*?") != NULL;
		if (i)
			*p++ = ' ';
		if (quote)
			*p++ = '\'';
		for (const char *a = argv[i]; *a; a++) {
			if (quote && *a == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *a;
			}
		}
		if (quote)
			*p++ = '\'';
	}
	*p = '\0';
	return s;
}

/*
 * DPDK makes its telemetry sockets with the umask's mode (0755 here): the
 * directory around them is 0700, but /prtip/rate changes the scan, so the
 * sockets themselves are made 0600 too.
 */
static void restrict_telemetry_sockets(void)
{
	static const char *const names[] = {"dpdk_telemetry.v2", "telemetry"};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (snprintf(path, sizeof(path), "%s/%s", rte_eal_get_runtime_dir(), names[i]) <
		    (int)sizeof(path))
			chmod(path, 0600); /* absent with --no-telemetry: nothing to do */
}

/* Options parsed, EAL up, the scan run. @return the exit status */
static int scan(int app_argc, char **app_argv, int eal_argc, char **argv, char *cmdline)
{
	struct prt_app_conf conf;
	struct prt_checkpoint *resume;
	int rc;

	if (prt_resume_prepare(&app_argc, &app_argv, &resume) != 0) {
		free(cmdline);
		return PRT_EXIT_USAGE;
	}
	rc = prt_cli_parse(app_argc, app_argv, &conf);
	conf.cmdline = cmdline;
	conf.resume = resume;
	/* a resumed scan checkpoints over the file it resumed from, unless told otherwise */
	if (rc == 0 && resume != NULL && !conf.checkpoint_path_set)
		conf.checkpoint_path = resume->path;
	if (rc == 0) {
		conf.scan_args = prt_checkpoint_args(app_argc, app_argv, &conf.scan_args_len);
		if (conf.scan_args == NULL) {
			fprintf(stderr, "dpdk-prtip: out of memory\n");
			rc = -1;
		}
	}
	if (rc != 0) {
		prt_cli_free(&conf);
		return rc > 0 ? 0 : PRT_EXIT_USAGE;
	}
	{
		/* now, while root: the key file is root's, and SIGINT may come after the drop */
		char keyerr[256];
		if (prt_checkpoint_key_load(keyerr, sizeof(keyerr)) != 0)
			fprintf(stderr, "dpdk-prtip: warning: %s; no checkpoint can be written\n",
				keyerr);
	}
	conf.eal_names_device = eal_names_device(eal_argc, argv);
	if (rte_eal_init(eal_argc, argv) < 0) {
		fprintf(stderr, "dpdk-prtip: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		prt_cli_free(&conf);
		return rte_errno == EINVAL ? PRT_EXIT_USAGE : PRT_EXIT_RUNTIME;
	}
	restrict_telemetry_sockets();
	rc = prt_run(&conf);
	prt_cli_free(&conf);
	rte_eal_cleanup();
	return rc;
}

int main(int argc, char **argv)
{
	/* a report on this machine, before (and without) EAL */
	if (argc >= 2 && strcmp(argv[1], "--check-setup") == 0)
		return prt_check_setup(argc - 2, argv + 2, "", stdout);
	/* the results store, read back: no EAL either */
	if (argc >= 2 && strcmp(argv[1], "db") == 0)
		return prt_db_main(argc - 1, argv + 1);

	int sep = find_separator(argc, argv);
	int eal_argc = sep < 0 ? 1 : sep;
	char *cmdline = join_command_line(argc, argv);
	struct prt_cli_argv expanded;
	int rc;

	/* Without "--", everything is the scanner's (EAL gets its defaults). */
	char **app_argv = sep < 0 ? argv : argv + sep;
	int app_argc = sep < 0 ? argc : argc - sep;
	if (sep >= 0)
		app_argv[0] = argv[0];

	if (cmdline == NULL) {
		fprintf(stderr, "dpdk-prtip: out of memory\n");
		return PRT_EXIT_RUNTIME;
	}
	/* -c FILE's lines become arguments before anything reads them */
	if (prt_cli_expand_conf(app_argc, app_argv, &expanded) != 0) {
		free(cmdline);
		return PRT_EXIT_USAGE;
	}
	rc = scan(expanded.n, expanded.v, eal_argc, argv, cmdline);
	prt_cli_argv_free(&expanded);
	return rc;
}
