/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_RESPONDER_OPTIONS_H
#define PRT_RESPONDER_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "decide.h"
#include "prt_target.h"

struct rsp_options {
	uint64_t seed;
	uint32_t share[RSP_SILENT];
	uint32_t hostile[RSP_HOSTILE_COUNT];
	double late_ms;
	bool truth;                 /* print the ground truth and exit (no EAL) */
	struct prt_target_set targets;
	struct prt_port_list ports;
	double stats_every_s;
};

/** Parse the arguments after "--". @return 0, 1 (--help printed), -1 (error printed) */
int rsp_options_parse(int argc, char **argv, struct rsp_options *o);

void rsp_options_free(struct rsp_options *o);

#endif
