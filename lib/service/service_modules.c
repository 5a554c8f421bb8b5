/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The version modules, by the service they follow. nmap's version-category
 * scripts this list covers, and the ones it does not yet, are listed in
 * docs/user-guide.md ("What -sV adds after a match").
 */
#include <string.h>

#include "version_module.h"

static const struct version_module *const modules[] = {
	&version_mqtt,
};

const struct version_module *version_module_for(const char *service)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		if (strcmp(modules[i]->service, service) == 0)
			return modules[i];
	return NULL;
}
