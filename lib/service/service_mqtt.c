/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MQTT: the broker's own words for its version, as nmap's mqtt-subscribe
 * finds them. We send CONNECT (3.1.1, clean session, an anonymous client)
 * and at once SUBSCRIBE to $SYS/broker/version (a client need not wait for
 * CONNACK); brokers that publish it (mosquitto, and others that follow its
 * $SYS tree) send it retained right after SUBACK. As nmap does, the payload
 * becomes the port's service name ("mosquitto version 2.0.11").
 *
 * The answer is a run of MQTT packets, each a type byte, a remaining length
 * of 1-4 bytes of 7 bits, and that many bytes; any length field past the
 * bytes received means "more to come", a malformed one "nothing to learn".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "version_module.h"

#define TOPIC "$SYS/broker/version"

static const uint8_t request[] = {
	/* CONNECT: protocol "MQTT" level 4, clean session, keep-alive 30 s, id "dpdk-prtip" */
	0x10, 22, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x1e,
	0x00, 10, 'd', 'p', 'd', 'k', '-', 'p', 'r', 't', 'i', 'p',
	/* SUBSCRIBE, packet id 1, the one topic at QoS 0 */
	0x82, 24, 0x00, 0x01, 0x00, 19,
	'$', 'S', 'Y', 'S', '/', 'b', 'r', 'o', 'k', 'e', 'r', '/',
	'v', 'e', 'r', 's', 'i', 'o', 'n', 0x00,
};

/* One packet's header at d[0]. @return header length, 0 need more, -1 malformed */
static int header(const uint8_t *d, uint32_t len, uint32_t *body)
{
	uint32_t n = 0;

	for (uint32_t i = 1; i <= 4; i++) {
		if (i >= len)
			return 0;
		n |= (uint32_t)(d[i] & 0x7f) << (7 * (i - 1));
		if (!(d[i] & 0x80)) {
			*body = n;
			return (int)i + 1;
		}
	}
	return -1; /* a fifth length byte: not MQTT */
}

/* A PUBLISH body: the topic, the packet id when QoS > 0, then the payload. */
static bool version_in(uint8_t flags, const uint8_t *b, uint32_t n, struct prt_service_info *info)
{
	uint32_t tlen, at, k = 0;

	if (n < 2)
		return false;
	tlen = (uint32_t)b[0] << 8 | b[1];
	at = 2 + tlen + (((flags >> 1) & 3) ? 2 : 0);
	if (at > n || tlen != sizeof(TOPIC) - 1 || memcmp(b + 2, TOPIC, tlen) != 0)
		return false;
	for (uint32_t i = at; i < n && k < sizeof(info->service) - 1; i++)
		if (b[i] >= 0x20 && b[i] < 0x7f) /* printable only: it is a name */
			info->service[k++] = (char)b[i];
	info->service[k] = '\0';
	return k > 0;
}

static int mqtt_answer(const uint8_t *d, uint32_t len, struct prt_service_info *info)
{
	uint32_t at = 0;

	while (at < len) {
		uint32_t body;
		int h = header(d + at, len - at, &body);
		if (h <= 0)
			return h;
		if (body > len - at - (uint32_t)h)
			return 0;
		switch (d[at] >> 4) {
		case 2: /* CONNACK: refused means nothing to learn */
			if (body < 2 || d[at + (uint32_t)h + 1] != 0)
				return -1;
			break;
		case 3: /* PUBLISH */
			if (version_in(d[at] & 0x0f, d + at + (uint32_t)h, body, info))
				return 1;
			break;
		case 9: /* SUBACK: 0x80 is "refused" */
			if (body >= 3 && d[at + (uint32_t)h + 2] == 0x80)
				return -1;
			break;
		default:
			break;
		}
		at += (uint32_t)h + body;
	}
	return 0;
}

const struct version_module version_mqtt = {
	.service = "mqtt",
	.request = request,
	.request_len = sizeof(request),
	.wait_ms = 3000,
	.answer = mqtt_answer,
};
