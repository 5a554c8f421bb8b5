/* SPDX-License-Identifier: BSD-3-Clause */
#include "prt_classify.h"

const char *prt_cls_verdict_name(enum prt_cls_verdict v)
{
	static const char *const names[PRT_CLS_VERDICT_COUNT] = {
		[PRT_CLS_RESULT] = "result",
		[PRT_CLS_NOT_IPV4] = "not-ipv4",
		[PRT_CLS_TRUNCATED] = "truncated",
		[PRT_CLS_BAD_IP_HEADER] = "bad-ip-header",
		[PRT_CLS_BAD_CHECKSUM] = "bad-checksum",
		[PRT_CLS_FRAGMENT] = "fragment",
		[PRT_CLS_NOT_FOR_US] = "not-for-us",
		[PRT_CLS_BAD_COOKIE] = "bad-cookie",
		[PRT_CLS_NOT_TARGET] = "not-target",
		[PRT_CLS_UNEXPECTED] = "unexpected",
		[PRT_CLS_OTHER_PROTO] = "other-proto",
		[PRT_CLS_DUPLICATE] = "duplicate",
	};

	return (unsigned)v < PRT_CLS_VERDICT_COUNT ? names[v] : "unknown";
}
