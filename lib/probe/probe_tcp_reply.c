/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The replies of every TCP scan type. A reply to a probe without ACK
 * acknowledges it (seq + SYN + FIN); a reset to a probe with ACK carries no
 * ACK and echoes our acknowledgment number as its sequence number (RFC 9293
 * 3.10.7.1). The source port the reply goes to and the number it echoes are
 * the cookie's; what the flags mean is the scan type's judge.
 */
#include <netinet/in.h>

#include <rte_tcp.h>

#include "prt_bswap.h"
#include "prt_probe.h"

#define TCP_LEN sizeof(struct rte_tcp_hdr)

/* The header's lengths: TRUNCATED, BAD_IP_HEADER or RESULT. */
static enum prt_cls_verdict header_whole(const struct prt_ip_view *v)
{
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)v->l4;

	if (v->l4_len < TCP_LEN || (size_t)(tcp->data_off >> 4) * 4 > v->l4_len)
		return PRT_CLS_TRUNCATED;
	return (tcp->data_off >> 4) < 5 ? PRT_CLS_BAD_IP_HEADER : PRT_CLS_RESULT;
}

static bool syn_ack(const struct rte_tcp_hdr *tcp)
{
	return (tcp->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG)) == RTE_TCP_SYN_FLAG;
}

enum prt_cls_verdict prt_probe_tcp_check(const struct prt_ip_view *v)
{
	enum prt_cls_verdict rc = header_whole(v);

	if (rc == PRT_CLS_RESULT &&
	    prt_csum_fold(prt_csum_add(prt_ip_view_phdr(v, IPPROTO_TCP, v->l4_len), v->l4,
		    v->l4_len)) != 0)
		rc = PRT_CLS_BAD_CHECKSUM;
	return rc;
}

bool prt_probe_tcp_repeat_port(const struct prt_ip_view *v, uint16_t *tport)
{
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)v->l4;

	if (header_whole(v) != PRT_CLS_RESULT || syn_ack(tcp))
		return false;
	*tport = prt_be16(tcp->src_port);
	return true;
}

/* The number a reply echoes: its sequence number (a reset to a probe with
 * ACK) or its acknowledgment (any reply with ACK to a probe without);
 * false when the reply carries neither. */
static bool echoed_number(uint8_t probe_flags, const struct rte_tcp_hdr *tcp, uint32_t *echoed)
{
	if (probe_flags & RTE_TCP_ACK_FLAG) {
		*echoed = prt_be32(tcp->sent_seq);
		return (tcp->tcp_flags & RTE_TCP_RST_FLAG) != 0;
	}
	*echoed = prt_be32(tcp->recv_ack);
	return (tcp->tcp_flags & RTE_TCP_ACK_FLAG) != 0;
}

enum prt_cls_verdict prt_probe_tcp_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)v->l4;
	const uint8_t probe_flags = self->tcp_flags;
	struct prt_cookie c;
	uint32_t echoed;
	uint16_t tport;

	enum prt_cls_verdict rc = prt_probe_tcp_check(v);

	if (rc != PRT_CLS_RESULT)
		return rc;
	if (!echoed_number(probe_flags, tcp, &echoed))
		return PRT_CLS_UNEXPECTED;
	tport = prt_be16(tcp->src_port);
	c = prt_reply_cookie(k, &v->src, tport, IPPROTO_TCP);
	if (c.sport != prt_be16(tcp->dst_port) || prt_probe_tcp_echo(probe_flags, c.seq) != echoed)
		return PRT_CLS_BAD_COOKIE;
	prt_reply_result(r, v, tport, IPPROTO_TCP);
	ans->our_port = c.sport;
	if (!self->judge_tcp(tcp->tcp_flags, prt_be16(tcp->rx_win), r))
		return PRT_CLS_UNEXPECTED;
	if ((probe_flags & RTE_TCP_SYN_FLAG) && syn_ack(tcp)) {
		ans->send_rst = 1;
		ans->rst_seq = echoed;
	}
	return PRT_CLS_RESULT;
}

enum prt_cls_verdict prt_probe_tcp_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	const uint8_t *l4 = q->l4;
	struct prt_cookie c;
	uint32_t seq;

	(void)self;
	*tport = (uint16_t)(l4[2] << 8 | l4[3]);
	c = prt_reply_cookie(k, &q->dst, *tport, IPPROTO_TCP);
	memcpy(&seq, l4 + 4, 4);
	return c.sport == (uint16_t)(l4[0] << 8 | l4[1]) && c.seq == prt_be32(seq) ?
		PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
}
