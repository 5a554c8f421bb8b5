/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_PROBE_H
#define PRT_PROBE_H

/**
 * @file
 * Probe crafting. A probe module writes the constant bytes of its frame once
 * into a template (Ethernet + IPv4 + L4, with the checksum sums of the
 * constant part), then patches only the per-target fields into each frame:
 * destination, ports, sequence, IP id and the two checksums.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_bswap.h"
#include "prt_cookie.h"
#include "prt_csum.h"
#include "prt_reply.h"
#include "prt_result.h"

#define PRT_PROBE_MAX_FRAME 128

/** What stays the same for every probe of a scan. */
struct prt_probe_params {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t saddr; /**< host order */
	uint8_t ttl;
	uint16_t window;
	uint16_t mss; /**< 0: no MSS option */
	bool hw_cksum; /**< the NIC finishes the checksums (TX offload) */
	struct prt_addr saddr6;  /**< IPv6 probes: our address */
	uint8_t dst_mac6[6];     /**< IPv6 probes: the IPv6 router's MAC */
};

/** A frame with its constant bytes written, ready to be patched. */
struct prt_probe_tmpl {
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	uint16_t len;        /**< frame length */
	uint16_t l4_len;     /**< TCP header + options */
	uint32_t ip_sum;     /**< sum of the constant IPv4 header words */
	uint32_t l4_sum;     /**< sum of pseudo header + L4 constant words */
	uint32_t phdr_sum;   /**< sum of the constant pseudo-header words */
	bool hw_cksum;       /**< leave checksums to the NIC (IPv4 0, TCP pseudo header) */
	uint8_t tcp_flags;   /**< of a TCP template */
	const struct prt_udp_payloads *udp; /**< UDP: the payload of each port */
};

#define PRT_PROBE_SHORT_FRAME 64 /* TCP probes fit: copied whole, in one go */
#define PRT_PROBE_ETH_LEN 14
#define PRT_PROBE_IP_LEN 20
#define PRT_PROBE_IP6_LEN 40

/** Write Ethernet + IPv4 (no options) for an L4 of @p l4_len bytes; keeps only t->udp. */
void prt_probe_ipv4_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t proto, uint16_t l4_len);

/*
 * The per-probe patches are inline: every probe runs them, and a SYN's
 * whole crafting then compiles into one function.
 */

/** Copy the template into @p frame (room for at least PRT_PROBE_SHORT_FRAME bytes)
 * and patch the IPv4 id, destination and checksum. */
static inline void prt_probe_ipv4_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	uint32_t daddr_be, uint16_t id_be)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + PRT_PROBE_ETH_LEN);

	/* a constant-size copy is a few vector moves, not a call to memcpy */
	if (t->len <= PRT_PROBE_SHORT_FRAME)
		memcpy(frame, t->frame, PRT_PROBE_SHORT_FRAME);
	else
		memcpy(frame, t->frame, t->len);
	ip->packet_id = id_be;
	ip->dst_addr = daddr_be;
	ip->hdr_checksum = t->hw_cksum ? 0 :
		prt_csum_fold(prt_csum_add32(t->ip_sum + id_be, daddr_be));
}

struct prt_udp_payloads;

/** Per-target fields of one TCP segment. */
struct prt_tcp_fields {
	uint32_t daddr; /**< host order */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t ip_id;
};

/**
 * Write the TCP header of a template whose IP part is done (t->l4_len set:
 * 20, or 24 with the MSS option) and sum it with @p phdr_sum, the pseudo
 * header of its family.
 */
void prt_probe_tcp_header(struct prt_probe_tmpl *t, uint8_t *l4,
	const struct prt_probe_params *p, uint8_t flags, uint32_t phdr_sum);

/** Build a TCP template with @p flags (RTE_TCP_*_FLAG) and options if params->mss. */
void prt_probe_tcp_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags);

/**
 * Copy the template into @p frame and patch @p f in. Checksums are complete,
 * or, with hw_cksum, set up for TX offload: the IPv4 checksum 0 and the TCP
 * checksum the pseudo-header sum (the mbuf then needs RTE_MBUF_F_TX_IPV4 |
 * RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM, l2_len and l3_len).
 */
static inline void prt_probe_tcp_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_tcp_fields *f)
{
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN);
	uint32_t daddr = prt_be32(f->daddr);
	uint32_t seq = prt_be32(f->seq), ack = prt_be32(f->ack);
	uint16_t sport = prt_be16(f->sport), dport = prt_be16(f->dport);
	uint32_t sum;

	prt_probe_ipv4_craft(t, frame, daddr, prt_be16(f->ip_id));
	tcp->src_port = sport;
	tcp->dst_port = dport;
	tcp->sent_seq = seq;
	tcp->recv_ack = ack;
	if (t->hw_cksum) {
		/* the pseudo-header sum, folded but not complemented, as offload wants it */
		tcp->cksum = (uint16_t)~prt_csum_fold(prt_csum_add32(t->phdr_sum, daddr));
		return;
	}
	sum = prt_csum_add32(t->l4_sum, daddr);
	sum = prt_csum_add32(sum, seq);
	sum = prt_csum_add32(sum, ack);
	sum += (uint32_t)sport + dport;
	tcp->cksum = prt_csum_fold(sum);
}

/** Write Ethernet + IPv6 (no extension headers) for an L4 of @p l4_len bytes; keeps t->udp. */
void prt_probe_ipv6_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t nh, uint16_t l4_len);

#define PRT_PROBE_SHORT_FRAME6 96 /* IPv6 TCP probes fit: copied whole, in one go */

/** Copy the IPv6 template into @p frame (room for at least PRT_PROBE_SHORT_FRAME6
 * bytes) with destination @p daddr. @return the destination's checksum sum, below
 * 2^17 (for the L4 pseudo header) */
static inline uint32_t prt_probe_ipv6_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr)
{
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(frame + PRT_PROBE_ETH_LEN);

	if (t->len <= PRT_PROBE_SHORT_FRAME6)
		memcpy(frame, t->frame, PRT_PROBE_SHORT_FRAME6);
	else
		memcpy(frame, t->frame, t->len);
	memcpy(ip6->dst_addr, daddr->b, 16);
	return prt_csum_addr16(daddr->b);
}

/** Build an IPv6 TCP template with @p flags (MSS option on a SYN if params->mss). */
void prt_probe_tcp6_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags);

/** Copy the IPv6 template into @p frame with @p daddr and @p f (daddr/ip_id unused):
 * inline as IPv4's, so an IPv6 SYN's crafting is one function too. */
static inline void prt_probe_tcp6_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, const struct prt_tcp_fields *f)
{
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(frame + PRT_PROBE_ETH_LEN +
		PRT_PROBE_IP6_LEN);
	uint32_t seq = prt_be32(f->seq), ack = prt_be32(f->ack);
	uint16_t sport = prt_be16(f->sport), dport = prt_be16(f->dport);
	uint32_t sum;

	sum = t->l4_sum + prt_probe_ipv6_craft(t, frame, daddr);
	tcp->src_port = sport;
	tcp->dst_port = dport;
	tcp->sent_seq = seq;
	tcp->recv_ack = ack;
	sum = prt_csum_add32(sum, seq);
	sum = prt_csum_add32(sum, ack);
	sum += (uint32_t)sport + dport;
	tcp->cksum = prt_csum_fold(sum);
}

/**
 * Frame a connection's segment on @p t, the family's 20-byte TCP template
 * (its Ethernet and IP headers, our address): @p f's ports, numbers and
 * IPv4 id, @p flags, @p win, an MSS option when @p mss is not 0, and @p len
 * bytes of @p data, checksums whole.
 * @return the frame length, 0 when it would not fit in @p cap
 */
uint16_t prt_probe_tcp_segment(const struct prt_probe_tmpl *t, uint8_t *frame, size_t cap,
	const struct prt_addr *daddr, const struct prt_tcp_fields *f, uint8_t flags, uint16_t win,
	uint16_t mss, const uint8_t *data, uint16_t len);

struct prt_probe_ops;

/**
 * A scan type. It crafts one target's probe and owns its replies: it checks
 * an answer's header, checksum and cookie, and the probe an ICMP error
 * quotes, and says what they mean. Adding a scan type is one file (a TCP
 * one: its flags, its judge and its silence) and one line in the registry.
 */
struct prt_probe_ops {
	const char *name;        /**< "syn", used by --scan-type */
	const char *flag;        /**< nmap's spelling: "-sS" */
	const char *description; /**< one line for --help */
	uint8_t proto;           /**< IPPROTO_TCP, IPPROTO_ICMP (no ports: one pair per host) */
	bool any_proto;          /**< its "ports" are IP protocols: it owns answers in any (-sO) */
	uint16_t ethertype;      /**< a link-layer module's frames (ARP: 0x0806); 0 for IP */
	uint8_t tcp_flags;       /**< the probe's TCP flags */
	uint8_t sctp_chunk;      /**< an SCTP probe's chunk type (INIT, COOKIE ECHO) */
	uint8_t icmp_type;       /**< an ICMP query's request type (echo 8, timestamp 13, mask 17) */
	uint8_t silent_state;    /**< enum prt_state of a pair that never answered */
	uint8_t reply_state;     /**< non-TCP: state of a valid answer (UDP open, echo up) */
	uint8_t port_unreach_state; /**< an ICMP port unreachable quoting the probe */
	uint8_t unreach_state;   /**< any other ICMP destination unreachable quoting it */
	bool connects;           /**< an open port's handshake is completed (lib/tcp) */
	void (*tmpl_init)(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
		const struct prt_probe_params *p);
	/** Craft the probe for (daddr, dport) with its cookie into @p frame. @return its length */
	uint16_t (*craft)(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
		uint16_t dport, const struct prt_cookie *c);
	/** IPv6: the template and the probe; NULL when the scan type has no IPv6 form. */
	void (*tmpl_init6)(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
		const struct prt_probe_params *p);
	uint16_t (*craft6)(const struct prt_probe_tmpl *t, uint8_t *frame,
		const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c);
	/** Mean frame length over @p ports (rate from --bandwidth); NULL: the template's. */
	uint16_t (*mean_len)(const struct prt_probe_tmpl *t, const uint16_t *ports, uint32_t n);
	/**
	 * Set state and reason from the flags and window of a TCP reply that
	 * carries our cookie. @return false when the reply means nothing for
	 * this scan type (it is counted as unexpected). NULL for non-TCP probes.
	 */
	bool (*judge_tcp)(uint8_t flags, uint16_t window, struct prt_result *r);
	/**
	 * A datagram of the module's protocol to us (@p v, its IP header
	 * checked): check the L4 header's lengths, its checksum and the cookie,
	 * then fill @p r (address, port, proto, ttl, state, reason) and @p ans.
	 * @return PRT_CLS_RESULT, or why it is no answer
	 */
	enum prt_cls_verdict (*reply)(const struct prt_probe_ops *self,
		const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
		struct prt_reply_answer *ans);
	/**
	 * The datagram @p q an ICMP error quotes (from our address; at least 8
	 * L4 bytes): is it our probe? Its target port (0 without ports) in @p tport.
	 */
	enum prt_cls_verdict (*quoted)(const struct prt_probe_ops *self,
		const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport);
	/**
	 * The target port of a reply whose L4 header is whole, when a repeat of
	 * it for a pair already answered may be dropped unchecked (no checksum,
	 * no cookie: a flood of repeats must cost little). false for a reply
	 * that is checked in full each time (a SYN-ACK: its reset goes out
	 * again); NULL when the module has no such shortcut.
	 */
	bool (*repeat_port)(const struct prt_ip_view *v, uint16_t *tport);
	/**
	 * The state an ICMP destination unreachable of @p code quoting the
	 * module's probe means, @p from_target when the target sent it; NULL:
	 * port_unreach_state or unreach_state, whoever sent it. Only an
	 * any_proto module has one (and it quotes IPv4 only).
	 */
	uint8_t (*unreach_state_of)(const struct prt_probe_ops *self, uint8_t code,
		bool from_target);
};

/**
 * The cookie in a TCP probe: seq is the cookie's; a probe with ACK also
 * carries it as its acknowledgment number, because a reset to a segment
 * with ACK echoes only that (RFC 9293 3.10.7.1).
 */
void prt_probe_tcp_cookie_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p);
uint16_t prt_probe_tcp_cookie_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	uint32_t daddr, uint16_t dport, const struct prt_cookie *c);

void prt_probe_tcp6_cookie_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p);
uint16_t prt_probe_tcp6_cookie_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c);

/** The ICMP queries (probe_icmp_query.c): the module's icmp_type names its request. */
void prt_probe_icmp_query_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p);
uint16_t prt_probe_icmp_query_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	uint32_t daddr, uint16_t dport, const struct prt_cookie *c);
void prt_probe_icmp_query_tmpl_init6(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p);
uint16_t prt_probe_icmp_query_craft6(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c);
enum prt_cls_verdict prt_probe_icmp_query_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans);
enum prt_cls_verdict prt_probe_icmp_query_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport);

/** -PE's IPv4 echo request carrying @p c at @p icmp, checksum whole (for -sO).
 * @return its length */
uint16_t prt_probe_icmp_echo_write(uint8_t *icmp, const struct prt_cookie *c);

/** Is @p v (checksum checked) the echo reply to the request carrying @p c? */
enum prt_cls_verdict prt_probe_icmp_echo_answered(const struct prt_ip_view *v,
	const struct prt_cookie *c);

/**
 * The judge of the scans that only a reset answers (FIN, NULL, Xmas,
 * Maimon): RST closed; their silence is open|filtered (RFC 9293 3.10.7.1:
 * a closed port resets anything but a reset, a listening one drops it).
 */
bool prt_probe_judge_rst_closed(uint8_t flags, uint16_t window, struct prt_result *r);

/** A reply to a SYN: SYN-ACK open (syn-ack), RST closed with @p rst_reason. */
bool prt_probe_judge_syn_reply(uint8_t flags, uint8_t rst_reason, struct prt_result *r);

/**
 * The sequence number a reply to our TCP probe echoes: the acknowledgment
 * of a reply to a probe without ACK (seq + SYN + FIN), or the sequence
 * number of a reset to a probe with ACK (the probe's ack).
 */
static inline uint32_t prt_probe_tcp_echo(uint8_t probe_flags, uint32_t cookie_seq)
{
	if (probe_flags & RTE_TCP_ACK_FLAG)
		return cookie_seq;
	return cookie_seq + !!(probe_flags & RTE_TCP_SYN_FLAG) + !!(probe_flags & RTE_TCP_FIN_FLAG);
}

/** A TCP segment answering a TCP scan's probe: see prt_probe_ops.reply. */
enum prt_cls_verdict prt_probe_tcp_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans);

/** A TCP probe quoted by an ICMP error: its ports and sequence number. */
enum prt_cls_verdict prt_probe_tcp_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport);

/** A TCP segment's header lengths and checksum: TRUNCATED, BAD_IP_HEADER,
 * BAD_CHECKSUM or RESULT. UDP's (length, checksum when present) and SCTP's
 * (first chunk's length, CRC32c) likewise. */
enum prt_cls_verdict prt_probe_tcp_check(const struct prt_ip_view *v);
enum prt_cls_verdict prt_probe_udp_check(const struct prt_ip_view *v);

/* ---- -sV over UDP: a source port per probe of a port's plan (probe_udp_version.c) ---- */

/** The source port of probe @p idx of the plan for (@p dst, @p dport). */
uint16_t prt_udpv_sport(const struct prt_reply_keys *k, const struct prt_addr *dst,
	uint16_t dport, uint32_t idx);

/**
 * Is @p v (a datagram to us, its IP header checked) the answer to a version
 * probe, one of the first @p nmax of a plan? Its UDP checksum is checked.
 * @return the probe's index in the plan, with the target's port and the
 * answer's payload; -1 when it is not one
 */
int prt_udpv_answer(const struct prt_reply_keys *k, const struct prt_ip_view *v,
	uint32_t nmax, uint16_t *dport, const uint8_t **data, size_t *len);

/**
 * A version probe: @p data from @p sport to (@p dst, @p dport), on @p t (the
 * -sU arm's template of @p dst's family). @return the frame's length, 0 when
 * it does not fit in @p cap
 */
uint16_t prt_udpv_craft(const struct prt_probe_tmpl *t, uint8_t *frame, size_t cap,
	const struct prt_addr *dst, uint16_t sport, uint16_t dport, uint16_t ip_id,
	const uint8_t *data, uint16_t len);
enum prt_cls_verdict prt_probe_sctp_check(const struct prt_ip_view *v);

/** Any whole TCP reply but a SYN-ACK (reset each time it comes). */
bool prt_probe_tcp_repeat_port(const struct prt_ip_view *v, uint16_t *tport);

/** The fields every TCP scan module shares: templates, crafting, replies, ICMP unreachable. */
#define PRT_PROBE_TCP_FRAMES \
	.proto = IPPROTO_TCP, \
	.unreach_state = PRT_STATE_FILTERED, \
	.tmpl_init = prt_probe_tcp_cookie_tmpl_init, \
	.craft = prt_probe_tcp_cookie_craft, \
	.tmpl_init6 = prt_probe_tcp6_cookie_tmpl_init, \
	.craft6 = prt_probe_tcp6_cookie_craft, \
	.reply = prt_probe_tcp_reply, \
	.quoted = prt_probe_tcp_quoted, \
	.repeat_port = prt_probe_tcp_repeat_port

/** The ops every ICMP query module shares (probe_icmp_query.c): an answer is
 * up, silence or an unreachable quoting the request down. */
#define PRT_PROBE_ICMP_QUERY_COMMON \
	.proto = IPPROTO_ICMP, \
	.silent_state = PRT_STATE_DOWN, \
	.reply_state = PRT_STATE_UP, \
	.port_unreach_state = PRT_STATE_DOWN, \
	.unreach_state = PRT_STATE_DOWN, \
	.tmpl_init = prt_probe_icmp_query_tmpl_init, \
	.craft = prt_probe_icmp_query_craft, \
	.reply = prt_probe_icmp_query_reply, \
	.quoted = prt_probe_icmp_query_quoted

/** ... and an ICMP port unreachable is filtered (raw-packet scans, as nmap). */
#define PRT_PROBE_TCP_COMMON \
	PRT_PROBE_TCP_FRAMES, \
	.port_unreach_state = PRT_STATE_FILTERED

extern const struct prt_probe_ops prt_probe_syn;
extern const struct prt_probe_ops prt_probe_connect;
extern const struct prt_probe_ops prt_probe_ack;
extern const struct prt_probe_ops prt_probe_fin;
extern const struct prt_probe_ops prt_probe_null;
extern const struct prt_probe_ops prt_probe_xmas;
extern const struct prt_probe_ops prt_probe_window;
extern const struct prt_probe_ops prt_probe_maimon;
extern const struct prt_probe_ops prt_probe_echo;
extern const struct prt_probe_ops prt_probe_timestamp;
extern const struct prt_probe_ops prt_probe_netmask;
extern const struct prt_probe_ops prt_probe_udp;
extern const struct prt_probe_ops prt_probe_sctp_init;
extern const struct prt_probe_ops prt_probe_sctp_cookie;
extern const struct prt_probe_ops prt_probe_ipproto;
extern const struct prt_probe_ops prt_probe_arp;

/** SCTP (probe_sctp.c), shared with -sO: the CRC32c of @p len bytes of the packet at
 * @p sctp as stored in it, the tag that carries cookie @p c, and -sY's INIT packet to
 * @p dport carrying it (@return its length). */
uint32_t prt_probe_sctp_crc(const uint8_t *sctp, size_t len);
uint32_t prt_probe_sctp_tag(const struct prt_cookie *c);
uint16_t prt_probe_sctp_init_write(uint8_t *sctp, uint16_t dport, const struct prt_cookie *c);

/**
 * Write an Ethernet/IPv4 ARP message of @p op (RTE_ARP_OP_*) to @p eth_dst,
 * from @p sha and @p sip (host order) about @p tha and @p tip, padded to
 * Ethernet's minimum. Shared by -PR (probe_arp.c) and lib/neigh.
 * @return its length (60)
 */
size_t prt_probe_arp_frame(uint8_t *frame, uint16_t op, const uint8_t *eth_dst,
	const uint8_t *sha, uint32_t sip, const uint8_t *tha, uint32_t tip);

#define PRT_ND_NS 135
#define PRT_ND_NA 136
#define PRT_ND_OPT_SLLA 1 /* source link-layer address */
#define PRT_ND_OPT_TLLA 2 /* target link-layer address */

/**
 * Write Ethernet + IPv6 + an ICMPv6 neighbor solicitation or advertisement
 * (@p type, @p flags) about @p target with one link-layer address option
 * (@p opt) holding @p our_mac, from @p src to @p dst (16 bytes each), hop
 * limit 255, checksummed. Shared by -PR (probe_arp.c) and lib/neigh.
 * @return its length (86)
 */
size_t prt_probe_nd_frame(uint8_t *frame, const uint8_t *eth_dst, const uint8_t *our_mac,
	const uint8_t *src, const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target,
	uint8_t opt);

/** A neighbor solicitation for @p target to its solicited-node group. @return its length */
size_t prt_probe_ns_frame(uint8_t *frame, const uint8_t *our_mac, const uint8_t *src,
	const uint8_t *target);

/** Does @p o probe hosts rather than ports (ICMP queries, ARP: host discovery's -P*)? */
static inline bool prt_probe_hosts_only(const struct prt_probe_ops *o)
{
	return o->proto == IPPROTO_ICMP || o->ethertype != 0;
}

/** Find a probe module by name. @return NULL when unknown */
const struct prt_probe_ops *prt_probe_find(const char *name);

/** The @p i-th probe module, for listing. @return NULL past the end */
const struct prt_probe_ops *prt_probe_at(unsigned i);

#endif
