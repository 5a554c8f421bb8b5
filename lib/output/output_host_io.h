/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_HOST_IO_H
#define PRT_OUTPUT_HOST_IO_H

/*
 * One host as a record on disk (checkpoints and the host table's runs) and
 * the merge of two records of one address. Private to lib/output.
 */

#include <stdio.h>

#include "prt_output.h"

/** Append @p h's record to @p f. */
void prt_host_write(const struct prt_host *h, FILE *f);

/**
 * Read one record into @p h (zeroed first; free it with prt_host_release()
 * even on failure). @return 0, 1 at a clean end of file, -EINVAL, -ENOMEM
 */
int prt_host_read(struct prt_host *h, FILE *f);

/** Move @p src's answers and banners into @p dst (same address); @p src is left empty. */
int prt_host_merge(struct prt_host *dst, struct prt_host *src);

/** Free what @p h holds (not @p h). */
void prt_host_release(struct prt_host *h);

/** Empty the table's slots, keeping its counters of silent hosts. @return 0 or -ENOMEM */
int prt_hosts_clear(struct prt_hosts *t);

#endif
