/* SPDX-License-Identifier: BSD-3-Clause */
/* Options of the scans that keep connections: --banners, -sV, --ssl-cert
 * and the limits of lib/tcp. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

#include "prt_common.h"

int prt_cli_session_option(struct prt_app_conf *c, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case OPT_BANNERS:
		c->banners = true;
		return 0;
	case OPT_BANNER_WAIT:
		return prt_cli_seconds("--banner-wait", arg, 60, &c->banner_wait_s);
	case OPT_CONN_TIMEOUT:
		return prt_cli_seconds_min("--connection-timeout", arg, 0.1, 600, &c->conn_timeout_s);
	case OPT_MAX_CONNS:
		return prt_parse_u64(arg, 16, 1u << 22, &c->max_conns) ?
			prt_cli_bad_value("--max-connections", arg, "must be 16-4194304 per RX lcore") : 0;
	case OPT_SERVICE_PROBES:
		c->service_probes_path = arg;
		return 0;
	case OPT_SV:
		c->version = true;
		return 0;
	case OPT_VERSION_INTENSITY:
		if (prt_parse_u64(arg, 0, 9, &v) != 0)
			return prt_cli_bad_value("--version-intensity", arg, "must be 0-9");
		c->intensity = (uint8_t)v;
		return 0;
	case OPT_VERSION_LIGHT:
		c->intensity = 2;
		return 0;
	case OPT_VERSION_ALL:
		c->intensity = 9;
		return 0;
	case OPT_SERVICE_CACHE:
		c->service_cache = arg;
		return 0;
	case OPT_SSL_CERT:
		c->ssl_cert = true;
		return 0;
	case OPT_SCRIPT:
		/* nmap's NSE is not here; the one script built in is ssl-cert */
		if (strcmp(arg, "ssl-cert") != 0)
			return prt_cli_bad_value("--script", arg, "the only script is ssl-cert");
		c->ssl_cert = true;
		return 0;
	case OPT_MAX_TLS_MEMORY:
		return prt_parse_si(arg, 1000000, 1000000000000ULL, &c->max_tls_memory) ?
			prt_cli_bad_value("--max-tls-memory", arg,
				"must be 1M-1000G bytes (k/M/G suffixes)") : 0;
	case OPT_SNI:
		if (arg[0] == '\0' || strlen(arg) > 253)
			return prt_cli_bad_value("--sni", arg, "must be a host name of 1-253 characters");
		c->sni = arg;
		return 0;
	default:
		return -1;
	}
}
