/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: driver profile files (--driver-profile reads them). */
#include <stdlib.h>
#include <string.h>

#include "prt_port.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prt_port_profile p;
	char err[256], *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void)prt_port_profile_parse(text, "fuzz", &p, err, sizeof(err));
	free(text);
	return 0;
}
