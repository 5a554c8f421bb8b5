/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_JSON_H
#define PRT_OUTPUT_JSON_H

/*
 * JSON pieces the NDJSON writer and the event log share: strings that are
 * always valid UTF-8 whatever a server sent, and the -sV and certificate
 * objects, so one service looks the same in -oJ and in --event-log.
 */

#include <stdio.h>

#include "prt_result.h"

/** A JSON string value: @p prefix then @p v, escaped (RFC 8259 8.1). */
void prt_json_value(FILE *f, const char *prefix, const char *v);

/** ,"key":"value" */
void prt_json_str(FILE *f, const char *key, const char *v);

/** -sV's fields: ,"service":..,"product":..,...,"cpe":[...],"match":"hard"|"soft" */
void prt_json_service(FILE *f, const struct prt_service_info *v);

/** --ssl-cert: ,"ssl_cert":{"ok":true,"subject":..} or {"ok":false,"error":..} */
void prt_json_cert(FILE *f, const struct prt_cert_info *c);

#endif
