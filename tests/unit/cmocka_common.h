/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEST_CMOCKA_COMMON_H
#define PRT_TEST_CMOCKA_COMMON_H

/* cmocka needs these before its header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
