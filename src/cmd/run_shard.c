/*
 * run_shard.c - --shard K/N and --shard auto: which feeds this machine takes.
 *
 * Shards are numbered from 0, as Kubernetes numbers the pods of an Indexed
 * Job.  auto reads the shard from the environment of the batch system that
 * started us, so one job template serves every shard:
 *	Kubernetes Indexed Job: JOB_COMPLETION_INDEX, and the count from
 *	  PODCAST_SCRAPER_SHARD_TOTAL (the job's completions; Kubernetes does
 *	  not export it);
 *	Slurm job array: SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN, of
 *	  SLURM_ARRAY_TASK_COUNT (or PODCAST_SCRAPER_SHARD_TOTAL).
 */
#include "cmd/cmd.h"
#include "log/log.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SHARD_MAX 1000000L

/* A whole number in [min, max] from s; false when s is not one. */
static bool parse_count(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int shard_from_text(const char *spec, long *k, long *n, struct sbuf *err)
{
	const char *slash = strchr(spec, '/');
	char *ks = slash ? pc_strndup(spec, (size_t)(slash - spec)) : NULL;
	bool ok = ks && parse_count(ks, 0, SHARD_MAX, k) &&
		  parse_count(slash + 1, 1, SHARD_MAX, n);

	free(ks);
	if (!ok) {
		sbuf_setf(err, "--shard '%s': not K/N or auto (K counts from 0: 0/3, 1/3, 2/3)",
			  spec);
		return -PC_EUSAGE;
	}
	if (*k >= *n) {
		sbuf_setf(err, "--shard '%s': K must be below N (shards count from 0)", spec);
		return -PC_EUSAGE;
	}
	return 0;
}

/* name's value as a count in [min, max], or an error naming the variable. */
static int env_count(const char *name, long min, long *out, struct sbuf *err)
{
	const char *v = getenv(name);

	if (parse_count(v, min, SHARD_MAX, out))
		return 0;
	if (v)
		sbuf_setf(err, "--shard auto: %s='%s' is not a whole number from %ld", name, v,
			  min);
	else
		sbuf_setf(err, "--shard auto: %s is not set", name);
	return -PC_EUSAGE;
}

static int shard_from_slurm(long *k, long *n, struct sbuf *err)
{
	long id, min = 0;
	int r = env_count("SLURM_ARRAY_TASK_ID", 0, &id, err);

	if (r == 0 && getenv("SLURM_ARRAY_TASK_MIN"))
		r = env_count("SLURM_ARRAY_TASK_MIN", 0, &min, err);
	if (r == 0)
		r = env_count(getenv("SLURM_ARRAY_TASK_COUNT") ? "SLURM_ARRAY_TASK_COUNT" :
			      "PODCAST_SCRAPER_SHARD_TOTAL", 1, n, err);
	*k = id - min;
	return r;
}

static int shard_from_env(long *k, long *n, struct sbuf *err)
{
	int r;

	if (getenv("JOB_COMPLETION_INDEX")) {
		r = env_count("JOB_COMPLETION_INDEX", 0, k, err);
		if (r == 0)
			r = env_count("PODCAST_SCRAPER_SHARD_TOTAL", 1, n, err);
	} else if (getenv("SLURM_ARRAY_TASK_ID")) {
		r = shard_from_slurm(k, n, err);
	} else {
		sbuf_setf(err, "--shard auto: no shard in the environment (JOB_COMPLETION_INDEX "
			  "with PODCAST_SCRAPER_SHARD_TOTAL, or SLURM_ARRAY_TASK_ID)");
		return -PC_EUSAGE;
	}
	if (r == 0 && (*k < 0 || *k >= *n)) {
		sbuf_setf(err, "--shard auto: shard %ld is not below the count %ld", *k, *n);
		r = -PC_EUSAGE;
	}
	return r;
}

int cmd_shard_filter(const char *spec, struct strlist *feeds, struct sbuf *err)
{
	struct strlist mine = STRLIST_INIT;
	long k, n;
	int r = strcmp(spec, "auto") ? shard_from_text(spec, &k, &n, err) :
				       shard_from_env(&k, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < feeds->nr; i++)
		if (store_feed_shard(feeds->items[i], (unsigned)n) == (unsigned)k)
			strlist_push(&mine, feeds->items[i]);
	log_info("main", "shard %ld/%ld: %zu of %zu feeds", k, n, mine.nr, feeds->nr);
	strlist_release(feeds);
	*feeds = mine;
	return 0;
}
