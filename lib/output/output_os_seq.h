/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_OS_SEQ_H
#define PRT_OUTPUT_OS_SEQ_H

/*
 * -O's report beside the verdict, each format as nmap writes it: the uptime
 * guess (before the hop distance), then the TCP sequence's predictability,
 * the IP ID and timestamp classes. nmap's thresholds: the sequence with four
 * SEQ answers or more, the classes with three or more.
 */

#include <stdio.h>

#include "prt_output.h"

/** -v's "Uptime guess: ..." line (none when unknown). */
void prt_os_seq_uptime_normal(FILE *f, const struct prt_os_out_seq *s);
/** -v's "TCP Sequence Prediction" and "IP ID Sequence Generation" lines. */
void prt_os_seq_normal(FILE *f, const struct prt_os_out_seq *s);
/** <uptime seconds=".." lastboot=".."/> */
void prt_os_seq_uptime_xml(FILE *f, const struct prt_os_out_seq *s);
/** <tcpsequence/>, <ipidsequence/>, <tcptssequence/> */
void prt_os_seq_xml(FILE *f, const struct prt_os_out_seq *s);
/** -oG's "\tSeq Index: N\tIP ID Seq: class" fields. */
void prt_os_seq_grepable(FILE *f, const struct prt_os_out_seq *s);
/** ,"uptime":{..},"tcp_sequence":{..},"ipid_sequence":{..},"tcp_ts_sequence":{..} */
void prt_os_seq_json(FILE *f, const struct prt_os_out_seq *s);

#endif
