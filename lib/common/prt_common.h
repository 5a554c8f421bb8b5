/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_COMMON_H
#define PRT_COMMON_H

/**
 * @file
 * Small shared definitions and the strict parsers for numbers and addresses
 * that the command line, target files and driver profiles all use.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define PRT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define PRT_MAX(a, b) ((a) > (b) ? (a) : (b))

/** Version string of the scanner, set by meson. */
#ifndef PRT_VERSION
#define PRT_VERSION "0.1.0"
#endif

/**
 * Parse a whole string as an unsigned decimal number in [min, max].
 * Leading '+'/'-', spaces, trailing garbage and overflow are rejected.
 * @return 0 on success, -EINVAL on syntax error, -ERANGE when out of range.
 */
int prt_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/**
 * Parse a number with an optional K/M/G suffix (powers of 1000), e.g. "100k".
 * @return 0, -EINVAL or -ERANGE like prt_parse_u64().
 */
int prt_parse_si(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/**
 * Parse a dotted-quad IPv4 address strictly (four decimal octets, no
 * leading zeros beyond "0", nothing else).
 * @param[out] ip host byte order
 * @return 0 or -EINVAL
 */
int prt_parse_ipv4(const char *s, uint32_t *ip);

struct prt_addr;
/** Parse an IPv6 address (RFC 4291 text forms). @return 0 or -1 */
int prt_parse_ipv6(const char *s, struct prt_addr *a);

/** @p s without its leading blanks, its trailing blanks and CR cut off in place. */
char *prt_trim(char *s);

/** Parse "aa:bb:cc:dd:ee:ff" (or '-' separated). @return 0 or -EINVAL */
int prt_parse_mac(const char *s, uint8_t mac[6]);

/** Format a host-order IPv4 address into buf (at least 16 bytes). */
/** A whole text file, NUL-terminated (free() it). @return NULL with errno set */
char *prt_read_file(const char *path);

/** All @p n bytes to @p fd (short writes and EINTR retried). @return 0 or -errno */
int prt_write_all(int fd, const void *p, size_t n);

/** A read-write temporary file in $TMPDIR (or /tmp), already unlinked. NULL: errno set */
FILE *prt_temp_file(void);

/**
 * Map a regular file read-only: large images (checkpoints) stay in the page
 * cache instead of the heap. @return 0 or -errno; undo with prt_unmap_file()
 */
int prt_map_file(int fd, void **p, size_t *len);
void prt_unmap_file(void *p, size_t len);

/**
 * Decode the C-escaped string between the delimiter at @p s and its next
 * unescaped copy (\\xHH, \\0, \\n, \\r, \\t, ...). Up to @p cap bytes
 * are stored; *len counts them all, so a caller sees what did not fit.
 * @return 0 with *end past the closing delimiter, or -1 with *why set
 */
int prt_unescape(const char *s, uint8_t *out, size_t cap, size_t *len, const char **end,
	const char **why);

const char *prt_ipv4_str(uint32_t ip, char *buf, size_t len);

/** Whether the CPU runs AVX2 and PRT_NO_AVX2 is not set (asked once; the burst
 * kernels of lib/cookie and lib/target use it, with scalar code that gives the
 * same results otherwise). */
bool prt_cpu_has_avx2(void);

/** Compile one function for AVX2 (called only when prt_cpu_has_avx2()). */
#define PRT_AVX2 __attribute__((target("avx2")))

#endif
