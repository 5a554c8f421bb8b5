/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_PRIVDROP_H
#define PRT_APP_PRIVDROP_H

/*
 * Giving up root once the scan is set up (--user, default "nobody"): the
 * port is up, the outputs and the matcher are open, the telemetry socket
 * exists, the checkpoint writer runs (checkpoint_writer.h). From then on
 * every thread of the process runs as the user, with no supplementary
 * group, no capability (glibc applies setresuid/setgroups to all threads;
 * a uid change from 0 to non-zero clears the capability sets) and, on the
 * main thread, PR_SET_NO_NEW_PRIVS. Nothing the PMDs in drivers-config do
 * after their start needs a capability (docs/security.md lists them).
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct prt_privdrop {
	bool drop;   /**< false: --user root, or not root to begin with */
	uid_t uid;
	gid_t gid;
	char name[64];
};

/** Look up --user NAME. @return 0, or -1 with @p err naming the problem */
int prt_privdrop_lookup(struct prt_privdrop *p, const char *name, char *err, size_t errlen);

/** Become the user for good. @return 0, or -1 with @p err saying which step failed */
int prt_privdrop_now(const struct prt_privdrop *p, char *err, size_t errlen);

#endif
