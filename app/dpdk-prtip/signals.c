/* SPDX-License-Identifier: BSD-3-Clause */
/* SIGINT/SIGTERM ask the main loop to stop sending and flush; a second one
 * falls back to the default action (terminate at once). */
#include <signal.h>
#include <string.h>

#include "run.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
	signal(sig, SIG_DFL);
}

void prt_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed stdout pipe must fail a write, not kill us before files are closed */
	signal(SIGPIPE, SIG_IGN);
}

bool prt_signals_stop_requested(void)
{
	return stop_requested != 0;
}
