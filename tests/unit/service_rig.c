/* SPDX-License-Identifier: BSD-3-Clause */
/* The scripted server of service_rig.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_tcp.h>

#include "prt_match.h"
#include "prt_tls.h"
#include "service_rig.h"

#define CAP 64
#define PEER_ISS 7000u

struct side {
	struct prt_service *svc;
	struct prt_tcp *tcp;
	bool stopped;
};

static struct side sides[RIG_MODES];
static struct side *cur;
static unsigned reported;
static struct prt_banner last_banner;
/* per connection: what we sent last (the server acknowledges it) and a pending SYN */
static struct {
	uint32_t our_next, their_next;
	uint16_t our_port;
	bool syn_pending, used;
} peer[RIG_PEERS];

static const char probes_text[] =
	"Probe TCP NULL q||\n"
	"totalwaitms 3000\n"
	"match ftp m|^220 ([\\w._-]+) FTP server \\(Version ([\\w._-]+)\\)|i p/$1 ftpd/ v/$2/ "
	"cpe:/a:$1:ftpd:$2/\n"
	"match ssh m|^SSH-([\\d.]+)-OpenSSH_([\\w._-]+)(?: (.*))?\\r?\\n| p/OpenSSH/ v/$2/ i/$3/\n"
	"softmatch smtp m/^220 .* E?SMTP/\n"
	"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
	"rarity 1\n"
	"ports 80,8080\n"
	"sslports 443\n"
	"match http m|^HTTP/1\\.[01] \\d\\d\\d .*\\r\\nServer: ([^\\r\\n/]+)/([\\d.]+)|s p/$1/ "
	"v/$2/ h/$SUBST(1,\"-\",\".\")/ i/$I(2,\">\")/\n"
	"match ssl m|^\\x16\\x03[\\x00-\\x03]..\\x02| p/TLS/\n";

static struct prt_sp_db db;
static struct prt_matcher *matcher;
static struct prt_tls_ctx *tls;

static int peer_of(const struct prt_tcp_key *k)
{
	return k->peer_port >= 440 && k->peer_port < 440 + RIG_PEERS ? k->peer_port - 440 : -1;
}

static struct prt_tcp_key key_of(int i)
{
	struct prt_tcp_key k = {.peer = prt_addr_from_v4(0xc6130005),
		.peer_port = (uint16_t)(440 + i), .our_port = peer[i].our_port};
	return k;
}

static void established(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	prt_service_established(((struct side *)ctx)->svc, c, now);
}

static void on_data(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
	uint64_t now)
{
	prt_service_data(((struct side *)ctx)->svc, c, d, len, now);
}

static void wake(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	prt_service_wake(((struct side *)ctx)->svc, c, now);
}

static void closed(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	int i = peer_of(prt_tcp_conn_key(c));

	prt_service_closed(((struct side *)ctx)->svc, c, why);
	if (i >= 0 && prt_tcp_conn_key(c)->our_port == peer[i].our_port)
		peer[i].used = false;
}

static void emit(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s)
{
	int i = peer_of(k);

	(void)ctx;
	if (i < 0)
		return;
	if (s->flags & RTE_TCP_SYN_FLAG) { /* -sV opens another connection */
		peer[i].syn_pending = true;
		peer[i].used = true;
		peer[i].our_port = k->our_port;
		peer[i].our_next = s->seq + 1;
		peer[i].their_next = PEER_ISS + 1;
		return;
	}
	if (k->our_port == peer[i].our_port)
		peer[i].our_next = s->seq + s->len + !!(s->flags & RTE_TCP_FIN_FLAG);
}

static const struct prt_tcp_ops ops = {
	.established = established, .data = on_data, .wake = wake, .closed = closed, .emit = emit,
};

static void report(void *ctx, struct prt_banner *b)
{
	(void)ctx;
	reported++;
	last_banner = *b;
}

static void make_side(enum rig_mode mode)
{
	char name[32];
	struct prt_service_conf sc = {.capacity = CAP, .hz = RIG_HZ, .grab = true,
		.hello_ms = 2000, .probe_ms = 2000, .quiet_ms = 300, .report = report,
		.sport_base = 50000, .sport_count = 1000, .parallel = 4, .launch_ms = 500,
		.tls_max = 8};
	struct prt_tcp_conf tc = {.name = name, .capacity = CAP, .hz = RIG_HZ,
		.timeout_ms = 10000, .rto_ms = 1000, .max_retx = 3, .rcv_window = 65535,
		.mss = 1460, .ops = &ops, .ctx = &sides[mode]};

	if (mode == RIG_VERSION) {
		sc.matcher = matcher;
		sc.probes = &db;
		sc.intensity = 7;
		sc.tls = tls;
	} else if (mode == RIG_CERT || mode == RIG_JARM) {
		sc.tls = tls;
		sc.jarm = mode == RIG_JARM;
		sc.jarm_max = 2;
	}
	snprintf(name, sizeof(name), "service_rig_%d", mode);
	sides[mode].svc = prt_service_create(&sc);
	sides[mode].tcp = prt_tcp_create(&tc);
	if (sides[mode].svc == NULL || sides[mode].tcp == NULL)
		abort();
	prt_service_attach(sides[mode].svc, sides[mode].tcp);
	sides[mode].stopped = false;
}

void rig_init(void)
{
	char prefix[64], path[64], err[256] = "";
	char *argv[] = {"service_rig", "--no-pci", "--no-huge", "-m", "128", "--no-shconf",
		"--log-level=1", "-l", "0", "--file-prefix", prefix, "--no-telemetry"};
	int fd = memfd_create("probes", 0);

	snprintf(prefix, sizeof(prefix), "prt-svc-rig-%d", (int)getpid());
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0 || fd < 0 ||
	    write(fd, probes_text, sizeof(probes_text) - 1) != (ssize_t)(sizeof(probes_text) - 1) ||
	    prt_sp_load(&db, path, err, sizeof(err)) != 0 ||
	    prt_matcher_create(&db, NULL, &matcher, err, sizeof(err)) != 0 ||
	    (tls = prt_tls_ctx_create()) == NULL) {
		fprintf(stderr, "service_rig: %s\n", err);
		abort();
	}
	for (int m = 0; m < RIG_MODES; m++)
		make_side((enum rig_mode)m);
}

void rig_begin(enum rig_mode mode)
{
	if (cur != NULL && cur->stopped) { /* a stopped service is not used again */
		prt_service_free(cur->svc);
		prt_tcp_free(cur->tcp);
		make_side((enum rig_mode)(cur - sides));
	}
	cur = &sides[mode];
	memset(peer, 0, sizeof(peer));
	reported = 0;
}

void rig_open(int i, uint64_t now)
{
	struct prt_tcp_seg synack = {.seq = PEER_ISS, .ack = 1001, .win = 65535,
		.flags = RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, .mss = 1460};
	struct prt_tcp_key k;

	peer[i].our_port = 40000;
	peer[i].our_next = 1001;
	peer[i].their_next = PEER_ISS + 1;
	peer[i].syn_pending = false;
	peer[i].used = true;
	k = key_of(i);
	if (prt_tcp_open(cur->tcp, &k, 1000, &synack, now) == NULL)
		peer[i].used = false;
}

bool rig_is_open(int i)
{
	return peer[i].used;
}

void rig_server_says(int i, const uint8_t *d, uint32_t len, uint64_t now)
{
	struct prt_tcp_key k = key_of(i);
	struct prt_tcp_conn *c = prt_tcp_lookup(cur->tcp, &k);
	struct prt_tcp_seg s = {.win = 65535, .flags = RTE_TCP_ACK_FLAG};

	if (c == NULL)
		return;
	if (peer[i].syn_pending) {
		s.seq = PEER_ISS;
		s.ack = peer[i].our_next;
		s.flags |= RTE_TCP_SYN_FLAG;
		s.mss = 1460;
		peer[i].syn_pending = false;
		prt_tcp_input(cur->tcp, c, &s, now);
		if ((c = prt_tcp_lookup(cur->tcp, &k)) == NULL)
			return;
		s.flags = RTE_TCP_ACK_FLAG;
		s.mss = 0;
	}
	s.seq = peer[i].their_next;
	s.ack = peer[i].our_next;
	s.data = d;
	s.len = len;
	if (len == 0)
		s.flags |= RTE_TCP_FIN_FLAG;
	peer[i].their_next += len + (len == 0);
	prt_tcp_input(cur->tcp, c, &s, now);
}

void rig_stop(void)
{
	cur->stopped = true;
	prt_service_stop(cur->svc);
	prt_tcp_abort_all(cur->tcp);
}

void rig_expire(uint64_t now)
{
	prt_tcp_expire(cur->tcp, now);
}

void rig_end(uint64_t now)
{
	for (int k = 0; k < 20; k++) {
		now += 500 * (RIG_HZ / 1000);
		prt_tcp_expire(cur->tcp, now);
	}
	prt_tcp_abort_all(cur->tcp);
	prt_tcp_expire(cur->tcp, now + 20 * RIG_HZ);
}

const struct prt_service_stats *rig_stats(void)
{
	return prt_service_stats(cur->svc);
}

unsigned rig_reported(void)
{
	return reported;
}

const struct prt_banner *rig_last(void)
{
	return &last_banner;
}
