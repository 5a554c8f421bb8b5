/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the nmap data files read at start from --datadir (a
 * tampered or damaged install): the first byte picks nmap-service-probes,
 * nmap-payloads or nmap-services, the rest is the file. The loaders take a
 * path, so the bytes go to a memfd read through /proc/self/fd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "prt_match.h"
#include "prt_target.h"
#include "prt_udp_payloads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	int fd;

	if (size == 0)
		return 0;
	fd = memfd_create("fuzz-nmap-file", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	switch (data[0] % 3) {
	case 0: {
		struct prt_sp_db db;
		if (prt_sp_load(&db, path, err, sizeof(err)) == 0)
			prt_sp_free(&db);
		break;
	}
	case 1: {
		struct prt_udp_payloads p;
		if (prt_udp_payloads_load(&p, path, err, sizeof(err)) == 0)
			prt_udp_payloads_free(&p);
		break;
	}
	default: {
		struct prt_service_names n;
		if (prt_service_names_load(&n, path) == 0)
			prt_service_names_free(&n);
		break;
	}
	}
	close(fd);
	return 0;
}
