/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: text a server or a file chose. prt_text_clean() must
 * leave valid UTF-8 without any character prt_text_unsafe() names, never
 * longer than before (abort otherwise); -sV's version templates expand
 * hostile captures inside their fields; telemetry's /prtip/rate parameter
 * goes through prt_parse_si().
 */
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_match.h"
#include "prt_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clean(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	size_t before, n;
	uint32_t cp;

	if (s == NULL)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	before = strlen(s);
	prt_text_clean(s);
	if (strlen(s) > before)
		abort();
	for (const char *p = s; (n = prt_utf8_next(p, &cp)) != 0; p += n)
		if (prt_text_unsafe(cp))
			abort();
	free(s);
}

/* The first half a template, the rest the subject with three captures over it. */
static void fill_template(const uint8_t *data, size_t size)
{
	size_t half = size / 2, sub = size - half;
	char *tmpl = malloc(half + 1);
	size_t ovec[8] = {0, sub, 0, sub / 2, sub / 2, sub, (size_t)-1, (size_t)-1};
	struct prt_service_info out;

	if (tmpl == NULL)
		return;
	memcpy(tmpl, data, half);
	tmpl[half] = '\0';
	memset(&out, 0, sizeof(out));
	prt_match_fill_version(tmpl, data + half, ovec, 4, &out);
	free(tmpl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char num[32];
	uint64_t v;

	check_clean(data, size);
	fill_template(data, size);
	if (size < sizeof(num)) {
		memcpy(num, data, size);
		num[size] = '\0';
		(void)prt_parse_si(num, 1, 1000000000ULL, &v);
	}
	return 0;
}
