/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/service's -sV conversation against a scripted server (service_rig.c):
 * a server that sends its answer a byte at a time is not matched again on
 * every byte (that was quadratic), and its answer is still identified. And
 * the MQTT version module on an exchange recorded from mosquitto 2.0.11.
 * --jarm: a port's record held for its ten hellos and given their JARM
 * (expected values from jarm.py's own jarm_hash() over the same lines), a
 * silent hello, alerts, a scan that stops mid-way, and a third TLS port
 * while two are in their turn.
 */
#include <stdio.h>
#include <string.h>

#include "cmocka_common.h"
#include "service_rig.h"
#include "version_module.h"

#define MS (RIG_HZ / 1000)

/* one clock for the whole file: the tables' timer wheels only go forward */
static uint64_t now = 1;

static int setup(void **state)
{
	(void)state;
	rig_init();
	return 0;
}

/* 1000 one-byte segments that never match: a handful of tries, not 1000. */
static void byte_at_a_time_is_matched_a_few_times(void **state)
{
	(void)state;
	rig_begin(RIG_VERSION);
	rig_open(0, now);
	for (int i = 0; i < 1000; i++) {
		uint8_t b = i < 4 ? (uint8_t)"220 "[i] : (uint8_t)('a' + i % 26);
		now += 100; /* 0.1 ms apart: all inside the NULL probe's wait */
		rig_server_says(0, &b, 1, now);
		rig_expire(now);
	}
	assert_true(rig_stats()->match_tries <= 60);
	assert_true(rig_stats()->match_tries >= 5);
	rig_end(now);
	now += 60 * RIG_HZ;
}

/* The same way, an answer that does match: identified once it is whole. */
static void byte_at_a_time_still_identified(void **state)
{
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

	(void)state;
	rig_begin(RIG_VERSION);
	rig_open(0, now);
	for (size_t i = 0; i < sizeof(ssh) - 1; i++) {
		now += 100;
		rig_server_says(0, (const uint8_t *)ssh + i, 1, now);
		rig_expire(now);
	}
	for (int k = 0; k < 50 && rig_reported() == 0; k++) {
		now += 100 * MS;
		rig_expire(now);
	}
	assert_int_equal(rig_reported(), 1);
	assert_true(rig_last()->has_svc);
	assert_string_equal(rig_last()->svc.service, "ssh");
	assert_string_equal(rig_last()->svc.product, "OpenSSH");
	assert_string_equal(rig_last()->svc.version, "9.2p1");
	rig_end(now);
}

/* mosquitto 2.0.11's answer to the module's CONNECT + SUBSCRIBE: CONNACK,
 * SUBACK, then the retained PUBLISH of $SYS/broker/version. */
static const uint8_t mosquitto[] =
	"\x20\x02\x00\x00" "\x90\x03\x00\x01\x00"
	"\x31\x2d\x00\x13$SYS/broker/versionmosquitto version 2.0.11";

static int mqtt(const uint8_t *d, uint32_t len, struct prt_service_info *info)
{
	memset(info, 0, sizeof(*info));
	snprintf(info->service, sizeof(info->service), "mqtt");
	return version_mqtt.answer(d, len, info);
}

static void mqtt_names_the_broker(void **state)
{
	struct prt_service_info info;

	(void)state;
	assert_ptr_equal(version_module_for("mqtt"), &version_mqtt);
	assert_null(version_module_for("http"));
	assert_int_equal(mqtt(mosquitto, sizeof(mosquitto) - 1, &info), 1);
	assert_string_equal(info.service, "mosquitto version 2.0.11");
	/* the request is what was recorded against: CONNECT then SUBSCRIBE */
	assert_int_equal(version_mqtt.request_len, 24 + 26);
	assert_int_equal(version_mqtt.request[0], 0x10);
	assert_int_equal(version_mqtt.request[24], 0x82);
}

/* Every cut of the answer short of the payload asks for more; none names. */
static void mqtt_cut_answers_wait(void **state)
{
	struct prt_service_info info;

	(void)state;
	for (uint32_t n = 0; n < sizeof(mosquitto) - 1; n++) {
		assert_int_equal(mqtt(mosquitto, n, &info), 0);
		assert_string_equal(info.service, "mqtt");
	}
}

/* Refusals and malformed lengths give up; other topics and binary payloads
 * do not name the port with bytes that are not text. */
static void mqtt_hostile_answers(void **state)
{
	static const uint8_t refused[] = {0x20, 0x02, 0x00, 0x05};
	static const uint8_t sub_refused[] = {0x20, 0x02, 0x00, 0x00, 0x90, 0x03, 0x00, 0x01, 0x80};
	static const uint8_t five_length_bytes[] = {0x30, 0xff, 0xff, 0xff, 0xff, 0x01};
	static const uint8_t other_topic[] = "\x31\x0a\x00\x03a/bhello";
	static const uint8_t binary[] = "\x31\x19\x00\x13$SYS/broker/version\x01\x02\x00\x7f";
	static const uint8_t topic_past_end[] = {0x30, 0x02, 0xff, 0xff};
	struct prt_service_info info;

	(void)state;
	assert_int_equal(mqtt(refused, sizeof(refused), &info), -1);
	assert_int_equal(mqtt(sub_refused, sizeof(sub_refused), &info), -1);
	assert_int_equal(mqtt(five_length_bytes, sizeof(five_length_bytes), &info), -1);
	assert_int_equal(mqtt(other_topic, sizeof(other_topic) - 1, &info), 0);
	assert_int_equal(mqtt(binary, sizeof(binary) - 1, &info), 0);
	assert_int_equal(mqtt(topic_past_end, sizeof(topic_past_end), &info), 0);
	assert_string_equal(info.service, "mqtt");
}

/* A TLS 1.2 ServerHello record: its JARM line is c02f|0303||ff01-000b-0017. */
static const uint8_t server_hello[] = {
	0x16, 0x03, 0x03, 0x00, 0x5b, 0x02, 0x00, 0x00, 0x57, 0x03, 0x03,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
	26, 27, 28, 29, 30, 31, 32, 0x20,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
	26, 27, 28, 29, 30, 31, 32,
	0xc0, 0x2f, 0x00, 0x00, 0x0f, 0xff, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0b, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x17, 0x00, 0x00,
};
static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};

/* --ssl-cert's handshake on port 440 + i hears a ServerHello, then the
 * server closes: the record (with its JA4S) is ready for JARM. */
static void tls_port_answers(int i)
{
	rig_open(i, now);
	now += MS;
	rig_server_says(i, server_hello, sizeof(server_hello), now);
	now += MS;
	rig_server_says(i, NULL, 0, now);
	now += MS;
}

/* The hello now on the wire to port 440 + i gets @p d. */
static void hello_answered(int i, const uint8_t *d, uint32_t len)
{
	assert_true(rig_is_open(i));
	rig_server_says(i, d, len, now);
	now += MS;
	rig_expire(now);
}

static void jarm_of_a_port(void **state)
{
	(void)state;
	rig_begin(RIG_JARM);
	tls_port_answers(0);
	assert_int_equal(rig_reported(), 0); /* held for its JARM */
	for (int p = 0; p < 10; p++) /* a ServerHello, then an alert or a FIN alone */
		hello_answered(0, p % 2 == 0 ? server_hello : p % 4 == 1 ? alert : NULL,
			p % 2 == 0 ? sizeof(server_hello) : p % 4 == 1 ? sizeof(alert) : 0);
	assert_int_equal(rig_reported(), 1);
	assert_true(rig_last()->has_cert);
	assert_string_equal(rig_last()->cert.ja4s, "t120300_c02f_460f64128655");
	assert_string_equal(rig_last()->cert.jarm,
		"29d00029d00029d00029d00029d00046521d95406f1a84be1a7e50930244e7");
	assert_false(rig_is_open(0));
	rig_end(now);
	now += 30 * RIG_HZ;
}

static void jarm_of_a_silent_hello_is_zeros(void **state)
{
	(void)state;
	rig_begin(RIG_JARM);
	tls_port_answers(0);
	for (int p = 0; p < 3; p++)
		hello_answered(0, server_hello, sizeof(server_hello));
	for (int k = 0; k < 50 && rig_reported() == 0; k++) { /* the fourth hears nothing */
		now += 100 * MS;
		rig_expire(now);
	}
	assert_int_equal(rig_reported(), 1);
	assert_int_equal(strspn(rig_last()->cert.jarm, "0"), 62);
	rig_end(now);
	now += 30 * RIG_HZ;
}

static void jarm_stops_with_the_scan(void **state)
{
	uint64_t skipped, done;

	(void)state;
	rig_begin(RIG_JARM);
	skipped = rig_stats()->jarm_skipped;
	done = rig_stats()->jarm;
	tls_port_answers(0);
	tls_port_answers(1);
	tls_port_answers(2); /* two turns at once at most: this one goes without */
	assert_int_equal(rig_reported(), 1);
	assert_string_equal(rig_last()->cert.jarm, "");
	assert_string_equal(rig_last()->cert.ja4s, "t120300_c02f_460f64128655");
	for (int p = 0; p < 10; p++)
		hello_answered(0, server_hello, sizeof(server_hello));
	assert_int_equal(rig_reported(), 2);
	assert_string_equal(rig_last()->cert.jarm,
		"29d29d29d29d29d29d29d29d29d29d092f830518fc83081e01ecd8c99e1bf0");
	hello_answered(1, server_hello, sizeof(server_hello));
	rig_stop(); /* SIGINT: port 441's record goes without a JARM, at once */
	assert_int_equal(rig_reported(), 3);
	assert_string_equal(rig_last()->cert.jarm, "");
	assert_int_equal(rig_stats()->jarm_skipped, skipped + 2); /* port 442's, port 441's */
	assert_int_equal(rig_stats()->jarm, done + 1);
	rig_end(now);
	now += 30 * RIG_HZ;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(byte_at_a_time_is_matched_a_few_times),
		cmocka_unit_test(byte_at_a_time_still_identified),
		cmocka_unit_test(mqtt_names_the_broker),
		cmocka_unit_test(mqtt_cut_answers_wait),
		cmocka_unit_test(mqtt_hostile_answers),
		cmocka_unit_test(jarm_of_a_port),
		cmocka_unit_test(jarm_of_a_silent_hello_is_zeros),
		cmocka_unit_test(jarm_stops_with_the_scan),
	};
	return cmocka_run_group_tests_name("service", tests, setup, NULL);
}
