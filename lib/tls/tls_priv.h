/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TLS_PRIV_H
#define TLS_PRIV_H

#include <openssl/ssl.h>

#include "prt_result.h"

/** Fill @p out from the peer's certificate of @p ssl. @return 0, -1 when there is none */
int prt_tls_cert_of(SSL *ssl, struct prt_cert_info *out);

#endif
