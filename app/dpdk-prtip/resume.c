/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resuming: the walk positions of a checkpoint are where each TX lcore had
 * got to; the replies to the last few seconds of probes may still have been
 * on their way, so each lcore goes back that far (its rate x (--wait + 1.5
 * s)) and sends again to the pairs there with no reported answer. Pairs
 * already reported are never sent to or reported again. Internet mode keeps
 * no answers per pair, so it goes on from the positions themselves: answers
 * still on their way when the checkpoint was written, and the resends of
 * the positions before it, are lost rather than reported twice.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "resume.h"

static const char *resume_value(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--resume") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (strncmp(argv[i], "--resume=", 9) == 0)
			return argv[i] + 9;
	}
	return NULL;
}

/* argv[0], the checkpoint's options, then this command line's checkpoint options. */
static char **rebuild_argv(const struct prt_checkpoint *ck, int argc, char **argv, int *out_argc)
{
	int n = 1, cap = argc + 1;
	char **v;

	for (uint32_t i = 0; i < ck->args_len; i++)
		cap += ck->args[i] == '\0';
	v = calloc((size_t)cap + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	v[0] = argv[0];
	for (uint32_t i = 0; i < ck->args_len; i += (uint32_t)strlen(ck->args + i) + 1)
		v[n++] = ck->args + i;
	for (int i = 1; i < argc; i++)
		v[n++] = argv[i]; /* only checkpoint options are left here */
	*out_argc = n;
	return v;
}

static bool owned_by_us(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_uid == geteuid();
}

static void print_args(char *buf, size_t len, const char *args, uint32_t args_len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < args_len && used + 1 < len; i += (uint32_t)strlen(args + i) + 1)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", args + i);
}

int prt_resume_prepare(int *argc, char ***argv, struct prt_checkpoint **out)
{
	const char *path = resume_value(*argc, *argv);
	struct prt_checkpoint *ck;
	char err[512], stored[512];
	uint32_t len;
	char *cur;

	*out = NULL;
	if (path == NULL)
		return 0; /* no --resume (a --resume without a value is getopt's to report) */
	ck = calloc(1, sizeof(*ck));
	if (ck == NULL || prt_checkpoint_read(path, ck, err, sizeof(err)) != 0) {
		prt_usage_error("%s", ck ? err : "out of memory");
		free(ck);
		return -1;
	}
	cur = prt_checkpoint_args(*argc, *argv, &len);
	if (cur == NULL) {
		prt_usage_error("out of memory");
		prt_checkpoint_free(ck);
		free(ck);
		return -1;
	}
	if (len != 0 && (len != ck->args_len || memcmp(cur, ck->args, len) != 0)) {
		print_args(stored, sizeof(stored), ck->args, ck->args_len);
		prt_usage_error("%s was written for other scanner options (%s); give the same ones, "
				"or --resume %s alone", path, stored, path);
		free(cur);
		prt_checkpoint_free(ck);
		free(ck);
		return -1;
	}
	free(cur);
	if (len == 0 && !owned_by_us(path)) {
		prt_usage_error("%s belongs to another user: --resume alone would replay its options "
				"(output paths included) as you; give the scan's options again", path);
		prt_checkpoint_free(ck);
		free(ck);
		return -1;
	}
	if (len == 0) {
		char **v = rebuild_argv(ck, *argc, *argv, argc);
		if (v == NULL) {
			prt_usage_error("out of memory");
			prt_checkpoint_free(ck);
			free(ck);
			return -1;
		}
		ck->argv = v; /* freed with the checkpoint, after the options are done with */
		*argv = v;
	}
	*out = ck;
	return 0;
}

int prt_resume_check_lcores(const struct prt_scan *scan, const struct prt_app_conf *c)
{
	const struct prt_checkpoint *ck = c->resume;

	if (ck != NULL && ck->n_tx != scan->n_tx) {
		fprintf(stderr, "dpdk-prtip: %s was written with %u TX lcores, this run has %u: "
				"resume with the same --lcores/--tx-lcores\n", ck->path, ck->n_tx,
			scan->n_tx);
		return -1;
	}
	return 0;
}

int prt_resume_apply(struct prt_scan *scan, const struct prt_app_conf *c)
{
	const struct prt_checkpoint *ck = c->resume;
	uint64_t answered = 0;

	if (ck->npairs != scan->npairs) {
		fprintf(stderr, "dpdk-prtip: %s holds %llu pairs, this scan has %llu: not the same "
				"scan\n", ck->path, (unsigned long long)ck->npairs,
			(unsigned long long)scan->npairs);
		return -1;
	}
	if ((ck->nwords == 0) != scan->internet) {
		fprintf(stderr, "dpdk-prtip: %s was written by a scan %s Internet mode, this one "
				"runs %s it: resume with the same --max-state-memory\n", ck->path,
			ck->nwords == 0 ? "in" : "not in", scan->internet ? "in" : "not in");
		return -1;
	}
	if (!scan->internet)
		memcpy(scan->answered, ck->reported, ck->nwords * sizeof(uint64_t));
	for (uint64_t w = 0; w < ck->nwords; w++)
		answered += (uint64_t)__builtin_popcountll(ck->reported[w]);
	scan->answered_count = answered;
	scan->resumed = true;
	for (uint32_t i = 0; i < scan->n_tx; i++) {
		uint64_t share = prt_scan_rate_share(scan->rate, i, scan->n_tx);
		/* Internet mode cannot tell what was reported: going back would
		 * report answers twice, so it goes on from where it was */
		uint64_t back = scan->internet ? 0 : share == 0 ? UINT64_MAX :
			(uint64_t)((double)share * (c->wait_s + 1.5));
		scan->resume_pass[i] = ck->pass[i] < scan->passes ? ck->pass[i] : scan->passes - 1;
		scan->resume_steps[i] = ck->steps[i] > back ? ck->steps[i] - back : 0;
	}
	/* a checkpoint written before an lcore starts its pass keeps this position */
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		struct prt_lcore_arg *a = &scan->lcore[id];
		if (a->role != PRT_ROLE_TX)
			continue;
		a->pass = scan->resume_pass[a->slice];
		a->pass_steps = scan->resume_steps[a->slice];
	}
	return 0;
}

int prt_resume_write(const struct prt_scan *scan, const struct prt_app_conf *c,
	const struct prt_resume_state *st, struct prt_hosts *hosts)
{
	struct prt_checkpoint ck = {
		.args = c->scan_args,
		.args_len = c->scan_args_len,
		.key = scan->key,
		.perm_seed = scan->perm_seed,
		.npairs = scan->npairs,
		.n_tx = scan->n_tx,
		.probes = st->probes,
		.replies = st->replies,
		.start_ns = st->start_ns,
		.nwords = scan->internet ? 0 : (scan->npairs + 63) / 64,
		.reported = (uint64_t *)(uintptr_t)st->reported,
	};

	memcpy(ck.state_count, st->state_count, sizeof(ck.state_count));
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		const struct prt_lcore_arg *a = &scan->lcore[id];
		if (a->role != PRT_ROLE_TX)
			continue;
		ck.pass[a->slice] = __atomic_load_n(&a->pass, __ATOMIC_RELAXED);
		ck.steps[a->slice] = __atomic_load_n(&a->pass_steps, __ATOMIC_RELAXED);
	}
	return prt_checkpoint_write(c->checkpoint_path, &ck, hosts);
}
