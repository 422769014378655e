/*
 * run.c - one run over all feeds: the event loop, interrupts, totals.
 *
 * All network work goes through one libcurl multi loop (net.h); feed and
 * transcript parsing happen in its completion callbacks, on this thread, so
 * the pipeline needs no locks of its own.  Ctrl-C (SIGINT/SIGTERM) asks the
 * loop to stop: transfers in flight end as "interrupted", finished files
 * stay, and the next run picks up what is left.
 */
#include "pipeline/internal.h"
#include "log/log.h"
#include "util/timeutil.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t interrupted_by;

static void on_interrupt(int sig)
{
	interrupted_by = sig;
}

static void catch_interrupts(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? on_interrupt : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void run_stop(struct run *r, const char *why)
{
	if (r->stopping)
		return;
	r->stopping = true;
	log_warn("main", "stopping: %s", why);
	net_request_stop(r->net);
}

static void net_options_from(const struct config *c, struct net_options *o)
{
	memset(o, 0, sizeof(*o));
	o->workers = (int)c->workers;
	o->timeout_s = c->timeout;
	/* net reads 0 as "the default"; http_retries 0 means no retry */
	o->retries = c->http_retries ? (int)c->http_retries : -1;
	o->delay_ms = c->delay_ms;
	o->user_agent = c->user_agent;
	o->backoff_base_ms = 500;
}

static void show_progress(struct run *r)
{
	long done = 0, failed = 0, total = 0;

	for (size_t i = 0; i < r->nr_feeds; i++) {
		struct feed_job *fj = &r->feeds[i];

		total += (long)fj->nr_episodes;
		for (size_t j = 0; j < fj->nr_episodes; j++) {
			enum ep_state s = fj->episodes[j].state;

			done += s == EP_DONE || s == EP_SKIPPED;
			failed += s == EP_FAILED;
		}
	}
	log_progress_totals(done, failed, total);
}

/*
 * Transfers and stage jobs interleave: the network gets short turns while
 * workers are busy, and the pools get the waiting when the network is idle.
 */
static void loop(struct run *r)
{
	for (;;) {
		int jobs = engines_poll(r, 0);
		int transfers = net_step(r->net, jobs ? 20 : 100);

		if (!transfers)
			jobs = engines_poll(r, jobs ? 50 : 0);
		engines_drain_hints(r);
		if (interrupted_by && !r->stopping)
			run_stop(r, interrupted_by == SIGINT ? "interrupted (Ctrl-C)" :
				 "terminated");
		show_progress(r);
		/* stopping: transfers end at once; stage jobs are dropped with their pools */
		if (r->stopping && !transfers) {
			engines_poll(r, 0);	/* abandons queued jobs, see engines.c */
			break;
		}
		if (!transfers && !jobs && !engines_poll(r, 0) && !net_step(r->net, 0))
			break;
	}
	log_progress_done();
}

static int exit_code(const struct run *r)
{
	const struct pipeline_totals *t = r->totals;

	if (interrupted_by)
		return 128 + interrupted_by;
	if (t->feeds_failed == t->feeds)
		return PC_EXIT_FATAL;
	if (t->feeds_failed || t->failed)
		return PC_EXIT_PARTIAL;
	return PC_EXIT_OK;
}

static void setup_feeds(struct run *r, const struct strlist *feeds)
{
	r->nr_feeds = feeds->nr;
	/* a shard's share of the list may be one feed: still a folder a feed */
	r->several_feeds = feeds->nr > 1 || r->cfg->shard;
	r->feeds = pc_calloc(feeds->nr, sizeof(*r->feeds));
	for (size_t i = 0; i < feeds->nr; i++) {
		r->feeds[i].run = r;
		r->feeds[i].lock_fd = -1;
		r->feeds[i].url = pc_strdup(feeds->items[i]);
	}
}

/* metrics_output: the metrics of every feed that got as far as its artifacts. */
static void write_metrics_output(const struct run *r)
{
	struct store_feed_run *fr = pc_calloc(r->nr_feeds + 1, sizeof(*fr));
	struct sbuf err = SBUF_INIT(4096);
	size_t n = 0;

	for (size_t i = 0; i < r->nr_feeds; i++)
		if (r->feeds[i].artifacts)
			fr[n++] = (struct store_feed_run){ r->feeds[i].url, r->feeds[i].dir,
							   r->feeds[i].artifacts };
	if (store_metrics_write(r->cfg->metrics_output, fr, n, &err) < 0)
		log_error("write", "metrics_output '%s': %s", r->cfg->metrics_output, err.buf);
	sbuf_release(&err);
	free(fr);
}

int pipeline_run(const struct config *c, const struct strlist *feeds,
		 struct pipeline_totals *totals)
{
	struct run r = { 0 };
	struct net_options no;
	double started = time_mono();
	int code;

	memset(totals, 0, sizeof(*totals));
	r.cfg = c;
	r.totals = totals;
	store_set_metadata_dir(c->metadata_subdirectory);
	r.run_id = c->run_id ? pc_strdup(c->run_id) : store_run_id_new();
	r.config_snapshot = config_to_json(c);
	r.settings_id = validators_settings_id(r.config_snapshot);
	net_options_from(c, &no);
	r.net = net_new(&no);
	setup_feeds(&r, feeds);
	totals->feeds = (long)r.nr_feeds;
	interrupted_by = 0;
	catch_interrupts(true);
	for (size_t i = 0; i < r.nr_feeds; i++)
		feedjob_start(&r.feeds[i]);
	loop(&r);
	engines_free(&r);
	for (size_t i = 0; i < r.nr_feeds; i++)
		feedjob_finish(&r.feeds[i]);
	if (c->metrics_output && *c->metrics_output && !c->dry_run)
		write_metrics_output(&r);
	totals->seconds = time_mono() - started;
	code = exit_code(&r);
	for (size_t i = 0; i < r.nr_feeds; i++)
		feedjob_release(&r.feeds[i]);
	free(r.feeds);
	net_free(r.net);
	json_decref(r.config_snapshot);
	free(r.settings_id);
	free(r.run_id);
	return code;
}

int pipeline_end_interrupts(void)
{
	catch_interrupts(false);
	return interrupted_by;
}

void pipeline_summary_line(const struct pipeline_totals *t, struct sbuf *sb)
{
	sbuf_addf(sb, "Done. feeds=%ld episodes=%ld transcripts=%ld (downloaded %ld, "
		  "transcribed %ld) summaries=%ld failed=%ld skipped=%ld", t->feeds,
		  t->episodes, t->transcripts, t->downloaded, t->transcribed, t->summaries,
		  t->failed + t->feeds_failed, t->skipped);
	if (t->updated)
		sbuf_addf(sb, " updated=%ld", t->updated);
	if (t->pending)
		sbuf_addf(sb, " pending=%ld", t->pending);
	if (t->feeds_unchanged)
		sbuf_addf(sb, " unchanged=%ld", t->feeds_unchanged);
	sbuf_addf(sb, " in %.1fs", t->seconds);
}
