/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: a hostile server talking to lib/service over lib/tcp
 * (tests/unit/service_rig.c). The first byte picks the conversation:
 * --banners, -sV (a probe file of our own whose match lines have captures,
 * $SUBST and $I templates), --ssl-cert (OpenSSL's handshake) or --ssl-cert
 * --jarm (a ServerHello starts the port's ten hellos). The rest is
 * chunks [which connection, tens of ms to wait, length, bytes]: the bytes
 * arrive as the server's next segment on that connection (an empty chunk is
 * its FIN). At the end every connection is aborted, which reports what is
 * left.
 */
#include <stdbool.h>
#include <stddef.h>

#include "service_rig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static uint64_t now = 1;
	size_t at = 1;

	if (!ready) {
		rig_init();
		ready = true;
	}
	if (size == 0)
		return 0;
	rig_begin((enum rig_mode)(data[0] % RIG_MODES));
	rig_open(0, now);
	while (at + 3 <= size) {
		int i = data[at] % RIG_PEERS;
		uint32_t len = data[at + 2];

		now += (uint64_t)data[at + 1] * 10 * (RIG_HZ / 1000);
		rig_expire(now);
		at += 3;
		if (len > size - at)
			len = (uint32_t)(size - at);
		if (!rig_is_open(i))
			rig_open(i, now);
		rig_server_says(i, data + at, len, now);
		at += len;
	}
	rig_end(now);
	now += 30 * RIG_HZ; /* the next input starts with fresh timers */
	return 0;
}
