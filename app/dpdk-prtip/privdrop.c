/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privdrop.h"

int prt_privdrop_lookup(struct prt_privdrop *p, const char *name, char *err, size_t errlen)
{
	struct passwd *pw;

	memset(p, 0, sizeof(*p));
	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL) {
		snprintf(err, errlen, "no such user%s%s", errno ? ": " : "",
			errno ? strerror(errno) : "");
		return -1;
	}
	if (snprintf(p->name, sizeof(p->name), "%s", name) >= (int)sizeof(p->name)) {
		snprintf(err, errlen, "name too long");
		return -1;
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	/* root staying root, or a non-root user already: nothing to give up */
	p->drop = geteuid() == 0 && p->uid != 0;
	return 0;
}

int prt_privdrop_now(const struct prt_privdrop *p, char *err, size_t errlen)
{
	if (!p->drop)
		return 0;
	if (setgroups(0, NULL) != 0) {
		snprintf(err, errlen, "setgroups: %s", strerror(errno));
		return -1;
	}
	if (setresgid(p->gid, p->gid, p->gid) != 0 || setresuid(p->uid, p->uid, p->uid) != 0) {
		snprintf(err, errlen, "cannot become %s: %s", p->name, strerror(errno));
		return -1;
	}
	/* no way back: a saved uid of 0 would allow one */
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, errlen, "still able to regain root after becoming %s", p->name);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -1;
	}
	return 0;
}
