/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEXT_H
#define PRT_TEXT_H

/**
 * @file
 * Text that came from outside (certificates, banners, -sV answers, files):
 * UTF-8 decoding that refuses what RFC 3629 refuses, and the one rule for
 * which characters no output may carry. Every writer escapes on top of this
 * in its own format's way (docs/security.md lists them).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/** What prt_utf8_next() gives for a byte that starts no valid sequence. */
#define PRT_UTF8_BAD UINT32_MAX

/**
 * Decode the character at @p s (NUL-terminated). Overlong forms, surrogates,
 * code points past U+10FFFF and cut sequences are invalid.
 * @return its length in bytes (0 at the terminating NUL); for an invalid
 * byte 1, with *cp = PRT_UTF8_BAD
 */
size_t prt_utf8_next(const char *s, uint32_t *cp);

/**
 * Whether a decoded character must not reach an output: C0 controls, DEL,
 * C1 controls (terminals obey them), Unicode noncharacters (U+FDD0-U+FDEF
 * and U+xxFFFE/U+xxFFFF: XML 1.0 forbids U+FFFE/U+FFFF) and PRT_UTF8_BAD.
 */
bool prt_text_unsafe(uint32_t cp);

/**
 * Make @p s safe in place: every invalid byte and every unsafe character
 * becomes one '?'. The result is valid UTF-8 with no control character and
 * never longer than before. @return @p s
 */
char *prt_text_clean(char *s);

struct prt_service_info;
struct prt_cert_info;
/** Every text field ended inside its array and cleaned (prt_text_clean()). */
void prt_service_info_clean(struct prt_service_info *v);
void prt_cert_info_clean(struct prt_cert_info *c);

#endif
