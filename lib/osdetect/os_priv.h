/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef OS_PRIV_H
#define OS_PRIV_H

#include "prt_osdetect.h"

#define OS_TESTS_MAX 16
#define OS_ATTRS_MAX 16

/* A test as MatchPoints defines it: its attributes and their weights. */
struct os_test_def {
	char name[4];
	uint8_t nattrs;
	uint16_t base;                 /**< its first slot in a print's row */
	char attr[OS_ATTRS_MAX][6];
	uint8_t points[OS_ATTRS_MAX];
};

struct prt_os_db {
	char *text;                    /**< the file; names and expressions point into it */
	uint8_t ntests;
	uint16_t nslots;               /**< attributes over all tests: a print's row */
	struct os_test_def tests[OS_TESTS_MAX];
	uint32_t n, cap;
	struct prt_os_print *prints;
	uint32_t *expr;                /**< n rows of nslots: offset + 1 into text, 0 none */
};

/** The slot of TEST.ATTR, or -1. */
int os_slot(const struct prt_os_db *db, const char *test, size_t tn, const char *attr,
	size_t an);

#endif
