/* SPDX-License-Identifier: BSD-3-Clause */
/* Options of the scans that keep connections: --banners, -sV, --ssl-cert
 * and the limits of lib/tcp. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"

#include "prt_common.h"

/* --banners: nmap's probes for servers that wait for the client. A file
 * given with --service-probes must be there; the default one may be missing
 * (then only what servers say first is kept). */
static int load_service_probes(struct prt_app_conf *c)
{
	char path[512], err[600];
	int rc;

	if (c->service_probes_path != NULL)
		snprintf(path, sizeof(path), "%s", c->service_probes_path);
	else
		snprintf(path, sizeof(path), "%s/nmap-service-probes", c->datadir);
	rc = prt_sp_load(&c->service_probes, path, err, sizeof(err));
	if (rc == -ENOENT && c->service_probes_path == NULL && !c->version) {
		fprintf(stderr, "dpdk-prtip: %s; --banners keeps only what servers say first\n",
			err);
		return 0;
	}
	if (rc != 0) {
		prt_usage_error("%s: %s", c->version ? "-sV" : "--service-probes", err);
		return -1;
	}
	c->have_service_probes = true;
	return c->version ? prt_cli_build_matcher(c) : 0;
}

/* Connections need a scan whose open answer is a SYN-ACK. */
int prt_cli_finish_sessions(struct prt_app_conf *c)
{
	/* TCP's arm comes first: its scan type, or whatever stands alone */
	const struct prt_probe_ops *first = c->arms[0].probe;

	const bool syn = first->proto == IPPROTO_TCP && first->tcp_flags == RTE_TCP_SYN_FLAG;

	/* -sV names TCP services over a SYN scan's connections, UDP ones after -sU */
	c->version_tcp = c->version && syn;
	c->version_udp = c->version && prt_conf_arm_of(c, IPPROTO_UDP) != NULL;
	if (c->version && !c->version_tcp && !c->version_udp) {
		prt_usage_error("-sV needs a scan that finds open ports: a SYN scan (-sS or -sT) "
				"for TCP, -sU for UDP; not %s", first->flag);
		return -1;
	}
	if ((c->banners || c->ssl_cert) && !syn) {
		prt_usage_error("%s needs a scan that finds open ports by their SYN-ACK "
				"(-sS or -sT), not %s", c->ssl_cert ? "--ssl-cert" : "--banners",
			first->flag);
		return -1;
	}
	if (c->ssl_cert && c->banners) {
		prt_usage_error("--ssl-cert runs a TLS handshake on each open port's connection, "
				"--banners reads it as it is: give one of them (-sV --ssl-cert "
				"does both: versions, and certificates where a port speaks TLS)");
		return -1;
	}
	if (c->jarm && !c->ssl_cert) {
		prt_usage_error("--jarm fingerprints the ports --ssl-cert finds TLS on; "
				"--ssl-cert is not given");
		return -1;
	}
	if (c->sni != NULL && !c->ssl_cert) {
		prt_usage_error("--sni names the server for --ssl-cert, which is not given");
		return -1;
	}
	if (c->banners && c->version) {
		prt_usage_error("-sV reports the answer that identified each service; "
				"--banners is not needed with it");
		return -1;
	}
	if (c->banner_wait_s >= c->conn_timeout_s && c->banners) {
		prt_usage_error("--banner-wait %.1f must be below --connection-timeout %.1f",
			c->banner_wait_s, c->conn_timeout_s);
		return -1;
	}
	if (c->service_probes_path != NULL && !c->banners && !c->version) {
		prt_usage_error("--service-probes is read for --banners or -sV, neither is given");
		return -1;
	}
	return c->banners || c->version ? load_service_probes(c) : 0;
}

#define UNUSED (void)self, (void)arg

static int parse_banners(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	UNUSED;
	x->c->banners = true;
	return 0;
}

static int parse_banner_wait(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_seconds("--banner-wait", arg, 60, &x->c->banner_wait_s);
}

static int parse_conn_timeout(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_seconds_min("--connection-timeout", arg, 0.1, 600, &x->c->conn_timeout_s);
}

static int parse_max_conns(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_parse_u64(arg, 16, 1u << 22, &x->c->max_conns) ?
		prt_cli_bad_value("--max-connections", arg, "must be 16-4194304 per RX lcore") : 0;
}

static int parse_service_probes(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	x->c->service_probes_path = arg;
	return 0;
}

static int parse_sv(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	UNUSED;
	x->c->version = true;
	return 0;
}

static int parse_intensity(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 0, 9, &v) != 0)
		return prt_cli_bad_value("--version-intensity", arg, "must be 0-9");
	x->c->intensity = (uint8_t)v;
	return 0;
}

/* --version-light and --version-all: nmap's names for intensities 2 and 9 */
static int parse_intensity_named(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)arg;
	x->c->intensity = strcmp(self->name, "version-light") == 0 ? 2 : 9;
	return 0;
}

static int parse_service_cache(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	x->c->service_cache = arg;
	return 0;
}

static int parse_ssl_cert(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	UNUSED;
	x->c->ssl_cert = true;
	return 0;
}

static int parse_jarm(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	UNUSED;
	x->c->jarm = true;
	return 0;
}

/* nmap's NSE is not here; the one script built in is ssl-cert */
static int parse_script(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	if (strcmp(arg, "ssl-cert") != 0)
		return prt_cli_bad_value("--script", arg, "the only script is ssl-cert");
	x->c->ssl_cert = true;
	return 0;
}

static int parse_max_tls_memory(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	return prt_parse_si(arg, 1000000, 1000000000000ULL, &x->c->max_tls_memory) ?
		prt_cli_bad_value("--max-tls-memory", arg, "must be 1M-1000G bytes (k/M/G suffixes)") :
		0;
}

static int parse_sni(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	if (arg[0] == '\0' || strlen(arg) > 253)
		return prt_cli_bad_value("--sni", arg, "must be a host name of 1-253 characters");
	x->c->sni = arg;
	return 0;
}

static const struct cli_option options[] = {
	{.name = "banners", .parse = parse_banners, .help = "keep what each open TCP port says "
		"(-sS or -sT): wait for the server to speak first, else send the first probe of "
		"nmap-service-probes that lists the port, and report up to 1024 bytes (escaped) in "
		"every format"},
	{.name = "banner-wait", .arg = CLI_ARG_REQUIRED, .meta = "SECS", .parse = parse_banner_wait,
		.help = "how long a server may take to speak first, and to answer the probe "
		"(default 2)"},
	{.name = "service-probes", .arg = CLI_ARG_REQUIRED, .meta = "FILE",
		.parse = parse_service_probes,
		.help = "nmap's probe file (default <datadir>/nmap-service-probes)"},
	{.name = "connection-timeout", .arg = CLI_ARG_REQUIRED, .meta = "SECS",
		.parse = parse_conn_timeout,
		.help = "a connection's whole life at most; then it is reset (default 10)"},
	{.name = "max-connections", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_max_conns,
		.help = "connections per RX lcore at once (default: its share of --rate x the "
		"timeout, 1024-65536); a SYN-ACK beyond them is reset and counted (telemetry "
		"/prtip/tcp)"},
	{.name = "sV", .nmap = "-sV", .parse = parse_sv, .help = "version detection (with -sS or "
		"-sT): nmap's probes from nmap-service-probes in nmap's order (NULL, the probes "
		"listing the port, then by rarity), each on its own connection, several at once; the "
		"answer is the first hard match in that order, as nmap's. Hyperscan picks candidate "
		"lines, PCRE2 confirms them. Service, product, version, info, CPE in every format. "
		"TCP; through TLS where a port speaks it (ssl/http), as nmap's. With -sU: the UDP "
		"probes on open and open|filtered ports, all at once, named as nmap's walk would"},
	{.name = "version-intensity", .arg = CLI_ARG_REQUIRED, .meta = "N",
		.parse = parse_intensity, .help = "probes of rarity up to N (0-9, default 7); probes "
		"that list the port are always sent"},
	{.name = "version-light", .parse = parse_intensity_named, .help = "--version-intensity 2"},
	{.name = "version-all", .parse = parse_intensity_named, .help = "--version-intensity 9"},
	{.name = "service-cache", .arg = CLI_ARG_REQUIRED, .meta = "DIR",
		.parse = parse_service_cache, .help = "where the compiled probe file is kept (default "
		"/var/cache/dpdk-prtip for root, else $XDG_CACHE_HOME/dpdk-prtip or "
		"~/.cache/dpdk-prtip; used only when no one else can write to it): compiling takes "
		"tens of seconds, loading about one"},
	{.name = "max-tls-memory", .arg = CLI_ARG_REQUIRED, .meta = "B",
		.parse = parse_max_tls_memory, .help = "what all TLS clients together may hold when "
		"servers are hostile (each counts 320 KiB; default 1G): a port whose handshake finds "
		"none free reports so"},
	{.name = "ssl-cert", .parse = parse_ssl_cert, .shown = "--ssl-cert, --script ssl-cert",
		.help = "a TLS handshake (OpenSSL over the userspace TCP, TLS 1.0-1.3) on each open "
		"port; the certificate as nmap's ssl-cert shows it: subject, issuer, SAN, validity, "
		"key, signature algorithm, MD5/SHA-1 (tables, -oN, -oX, -oJ); with -sV, the "
		"certificate of each port -sV finds TLS on"},
	{.name = "jarm", .parse = parse_jarm, .help = "with --ssl-cert: each port that answered "
		"the handshake with a ServerHello also gets JARM's ten ClientHellos (Salesforce's "
		"JARM 1.0), one connection after another from the port's own source ports, and "
		"its 62-character JARM is reported beside the certificate and JA4S in every format "
		"and the store (all zeros: a hello heard nothing within twice --banner-wait)"},
	{.name = "script", .arg = CLI_ARG_REQUIRED, .meta = "ssl-cert", .parse = parse_script},
	{.name = "sni", .arg = CLI_ARG_REQUIRED, .meta = "NAME", .parse = parse_sni,
		.help = "the server name the TLS client asks for"},
};

const struct cli_section prt_cli_section_sessions = CLI_SECTION("CONNECTIONS (-sT, --banners)",
	"The scanner owns TCP on its port: for -sT or --banners a SYN-ACK (cookie checked) "
	"opens a connection in a userspace TCP on the RX lcore that got it, instead of being "
	"reset. -sT completes the handshake and closes (FIN), as connect() and close() would; a "
	"reset is closed (conn-refused).",
	options, NULL);
