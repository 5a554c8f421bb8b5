/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_SNMP_INFO_H
#define PRT_SNMP_INFO_H

/**
 * @file
 * nmap's snmp-info script's share of -sV over UDP (service_snmp.c): the
 * SNMPv3 engine's enterprise from the answer to the SNMPv3GetRequest probe.
 */

#include <stddef.h>
#include <stdint.h>

#include "prt_result.h"

/** nmap's enterprise_numbers.txt, read at run time. */
struct prt_enterprises;

/** @return 0, or -errno (-EINVAL: not sorted by number) */
int prt_enterprises_load(struct prt_enterprises **out, const char *path);
void prt_enterprises_free(struct prt_enterprises *e);
/** @return the name IANA gives @p num, or NULL */
const char *prt_enterprise_name(const struct prt_enterprises *e, uint32_t num);

/**
 * Read an SNMPv3 answer to nmap's probe (msgID 0x4a69, the user-based
 * security model). @return 0 with the engine ID's enterprise number, or -1
 */
int prt_snmp_engine_enterprise(const uint8_t *d, size_t len, uint32_t *enterprise);

/** The script's naming: service snmp, product "<what was found>; <name> SNMPv3
 * server" (@p name NULL: the number). */
void prt_snmp_info_apply(uint32_t enterprise, const char *name, struct prt_service_info *info);

#endif
