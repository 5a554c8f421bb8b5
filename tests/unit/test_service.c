/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/service's -sV conversation against a scripted server (service_rig.c):
 * a server that sends its answer a byte at a time is not matched again on
 * every byte (that was quadratic), and its answer is still identified. And
 * the MQTT version module on an exchange recorded from mosquitto 2.0.11.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(byte_at_a_time_is_matched_a_few_times),
		cmocka_unit_test(byte_at_a_time_still_identified),
		cmocka_unit_test(mqtt_names_the_broker),
		cmocka_unit_test(mqtt_cut_answers_wait),
		cmocka_unit_test(mqtt_hostile_answers),
	};
	return cmocka_run_group_tests_name("service", tests, setup, NULL);
}
