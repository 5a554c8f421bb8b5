/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What nmap's "version" scripts add where a probe file line cannot: once the
 * walk names a port's service, the service's module (if it has one) asks the
 * server on one more connection and may name it better. A module is data
 * (its request bytes) and one parser, which must take hostile bytes: any
 * length, any content, the answer cut anywhere.
 */
#ifndef VERSION_MODULE_H
#define VERSION_MODULE_H

#include <stdint.h>

#include "prt_result.h"

struct version_module {
	const char *service;      /**< runs after a hard match naming this service */
	const uint8_t *request;   /**< sent as soon as the connection is up */
	uint32_t request_len;
	uint32_t wait_ms;         /**< how long the answer may take */
	/**
	 * The answer so far (all of it, from its first byte).
	 * @return 1: @p info is updated; 0: more bytes are needed; -1: nothing to learn
	 */
	int (*answer)(const uint8_t *d, uint32_t len, struct prt_service_info *info);
};

/** The module for a service the walk named, or NULL. */
const struct version_module *version_module_for(const char *service);

extern const struct version_module version_mqtt;

#endif
