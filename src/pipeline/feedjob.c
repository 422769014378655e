/*
 * feedjob.c - one feed: fetch, parse, plan its episodes, write its run
 * artifacts at the end.
 *
 * A feed that cannot be fetched or parsed is an error naming the feed; the
 * other feeds of the run go on, and the run ends with PC_EXIT_PARTIAL
 * (PC_EXIT_FATAL when no feed could be read).
 */
#include "pipeline/internal.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/stage.h"
#include "crash/crash.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/*
 * index.json says which feed failed and why (exit status 3 sends users there): the feed's
 * folder gets this run's artifacts with one row for the feed itself.
 */
static void record_feed_failure(struct feed_job *fj, const char *stage, const char *what)
{
	struct store_index_row row = {
		.title = fj->url, .status = STORE_ROW_FAILED, .position = -1,
		.error_stage = stage, .error_message = what,
	};
	struct sbuf err = SBUF_INIT(4096);

	fj->dir = feedjob_dir(fj->run, fj->url);
	if (fs_mkdir_p(fj->dir, &err) < 0 ||
	    store_run_new(fj->run->run_id, fj->run->config_snapshot, &fj->artifacts, &err) < 0)
		log_warn("write", "feed '%s': cannot record the failure: %s", fj->url, err.buf);
	else
		store_run_add_row(fj->artifacts, &row);
	sbuf_release(&err);
}

static void feed_failed(struct feed_job *fj, const char *stage, const char *what)
{
	fj->failed = true;
	fj->run->totals->feeds_failed++;
	log_error("feed", "feed '%s': %s", fj->url, what);
	if (!fj->run->cfg->dry_run && !fj->dir)
		record_feed_failure(fj, stage, what);
}

char *feedjob_dir(const struct run *r, const char *url)
{
	const struct config *c = r->cfg;
	char *name = store_feed_dir_name(url);
	char *dir;

	if (!r->several_feeds && c->output_dir) {
		free(name);
		return pc_strdup(c->output_dir);
	}
	dir = fs_join(c->output_dir ? c->output_dir : "output", name);
	free(name);
	return dir;
}

bool feedjob_open_existing_state(struct feed_job *fj, bool readonly)
{
	char *dir = feedjob_dir(fj->run, fj->url);
	char *path = fs_join(dir, "state.sqlite");
	struct sbuf err = SBUF_INIT(4096);
	bool ok = fs_exists(path) &&
		  (readonly ? store_state_open_readonly(dir, &fj->state, &err) :
		   store_state_open(dir, &fj->state, &err)) == 0;

	if (ok)
		store_state_bind_feed(fj->state, fj->url);
	else if (err.len)       /* reported when the outputs are opened */
		log_debug("fetch", "feed '%s': %s", fj->url, err.buf);
	free(path);
	free(dir);
	sbuf_release(&err);
	return ok;
}

static int open_outputs(struct feed_job *fj, struct sbuf *err)
{
	const struct config *c = fj->run->cfg;
	int r;

	if ((r = store_feed_dir_prepare(fj->dir, c->clean_output, err)) < 0)
		return r;
	/* validators_load may have opened it already */
	if (!fj->state && (r = store_state_open(fj->dir, &fj->state, err)) < 0)
		return r;
	store_state_bind_feed(fj->state, fj->url);
	return store_run_new(fj->run->run_id, fj->run->config_snapshot, &fj->artifacts, err);
}

static int plan_episodes(struct feed_job *fj, struct sbuf *err)
{
	size_t n;

	if (feedjob_plan(fj, err) < 0)
		return -PC_EFAIL;
	n = fj->nr_episodes;
	fj->run->totals->episodes += (long)n;
	if (fj->artifacts)
		store_run_count(fj->artifacts, STORE_EPISODES_SELECTED, (long long)n);
	log_info("feed", "feed '%s': %zu episodes, %zu selected", fj->url,
		 fj->feed.nr_episodes, n);
	return 0;
}

static void on_feed_fetched(struct net *net, struct net_result *res, void *udata)
{
	struct feed_job *fj = udata;
	struct sbuf err = SBUF_INIT(8192);

	(void)net;
	if (res->code < 0) {
		feed_failed(fj, "fetch", res->err.buf);
		goto out;
	}
	validators_keep(fj, res);
	if (fj->unchanged) {
		log_info("feed", "feed '%s': not modified since the last run (HTTP 304), "
			 "nothing to do", fj->url);
		goto out;
	}
	crash_stage_enter(STAGE_PARSE, NULL);
	if (feed_parse(res->body.buf, res->body.len, res->final_url, &fj->feed, &err) < 0) {
		feed_failed(fj, "parse", err.buf);
		goto out;
	}
	if (fj->feed.warning)
		log_warn("feed", "feed '%s': %s", fj->url, fj->feed.warning);
	fj->parsed = true;
	if (!fj->dir)
		fj->dir = feedjob_dir(fj->run, fj->url);
	if (!fj->run->cfg->dry_run && open_outputs(fj, &err) < 0) {
		feed_failed(fj, "write", err.buf);
		goto out;
	}
	/* a dry run reads what is done, to say what it would add */
	if (fj->run->cfg->dry_run && !fj->state)
		feedjob_open_existing_state(fj, true);
	if (fj->artifacts) {
		store_run_count(fj->artifacts, STORE_FEEDS, 1);
		store_run_count(fj->artifacts, STORE_BYTES_DOWNLOADED, res->bytes);
	}
	if (plan_episodes(fj, &err) < 0) {
		feed_failed(fj, "write", err.buf);
		goto out;
	}
	for (size_t i = 0; i < fj->nr_episodes && !fj->run->stopping; i++)
		episode_start(&fj->episodes[i]);
out:
	sbuf_release(&err);
}

/*
 * Before the feed is fetched: the feed folder's lock (one run per folder) and
 * a sound state database, so a refused run downloads nothing.
 */
static int guard_folder(struct feed_job *fj, struct sbuf *err)
{
	const struct config *c = fj->run->cfg;
	char *dir = feedjob_dir(fj->run, fj->url);
	int r = store_feed_dir_lock(dir, c->wait_lock, &fj->lock_fd, err);

	if (!r && !c->clean_output)
		r = store_state_check(dir, c->rebuild_state, err);
	free(dir);
	return r;
}

void feedjob_start(struct feed_job *fj)
{
	struct net_request req = {
		.url = fj->url,
		.dest_path = NULL,
		.max_bytes = (size_t)fj->run->cfg->max_feed_bytes,
		.done = on_feed_fetched,
		.udata = fj,
	};
	struct sbuf err = SBUF_INIT(4096);

	if (!fj->run->cfg->dry_run && guard_folder(fj, &err) < 0) {
		fj->dir = feedjob_dir(fj->run, fj->url);   /* nothing written into it */
		feed_failed(fj, "open", err.buf);
		sbuf_release(&err);
		return;
	}
	sbuf_release(&err);
	validators_load(fj, &req);
	crash_stage_enter(STAGE_FETCH, NULL);
	log_info("fetch", "fetching feed '%s'", fj->url);
	net_add(fj->run->net, &req);
}

/*
 * Episodes the run never finished (it stopped early; stage jobs dropped with
 * their pools) keep their state row as it was, so the next run does them.
 */
static void count_unfinished(struct feed_job *fj)
{
	for (size_t i = 0; i < fj->nr_episodes; i++) {
		if (!ep_is_final(fj->episodes[i].state) && !fj->run->cfg->dry_run)
			fj->run->totals->pending++;
	}
}

void feedjob_finish(struct feed_job *fj)
{
	struct sbuf err = SBUF_INIT(8192);

	count_unfinished(fj);
	validators_save(fj);
	if (!fj->artifacts)
		goto out;
	crash_stage_enter(STAGE_WRITE, NULL);
	store_run_finish(fj->artifacts);
	if (store_run_write(fj->artifacts, fj->dir, &err) < 0 ||
	    (fj->state && store_state_record_run(fj->state, fj->artifacts, &err) < 0))
		log_error("write", "feed '%s': %s", fj->url, err.buf);
out:
	sbuf_release(&err);
}

void feedjob_release(struct feed_job *fj)
{
	for (size_t i = 0; i < fj->nr_episodes; i++)
		episode_release(&fj->episodes[i]);
	free(fj->episodes);
	if (fj->artifacts)
		store_run_free(fj->artifacts);
	if (fj->state)
		store_state_close(fj->state);
	feed_release(&fj->feed);
	store_validators_release(&fj->sent);
	store_validators_release(&fj->got);
	if (fj->lock_fd >= 0)
		close(fj->lock_fd);
	free(fj->dir);
	free(fj->url);
}
