/*
 * pipeline.h - a run of the pipeline over a list of feeds.
 *
 * pipeline_run() fetches every feed, plans its episodes against
 * state.sqlite, downloads published transcripts (or media, to transcribe),
 * writes transcripts, metadata and run artifacts, and returns the exit code
 * (enum pc_exit: 0 all done or skipped, 1 no feed could be read, 3 finished
 * with a failed episode or feed; 128 + signal when interrupted).  It never
 * exits the process and never prints except through the log; totals feed
 * the one-line summary.
 */
#ifndef PIPELINE_H
#define PIPELINE_H

#include "config/config.h"
#include "util/strlist.h"

struct pipeline_totals {
	long feeds, feeds_failed;
	long feeds_unchanged;   /* answered 304 Not Modified: nothing to do */
	long episodes, transcripts, downloaded, transcribed, summaries;
	long failed, skipped, pending;
	long updated;           /* done before; given outputs newly asked for */
	double seconds;
};

/* The feeds of the run: FEED args, rss, feeds, feeds_file, opml (URLs, deduplicated). */
int pipeline_sources(const struct config *c, struct strlist *out, struct sbuf *err);
/* A FEED argument as a URL: local paths become absolute file:// URLs (caller frees). */
char *pipeline_feed_url(const char *arg);

/*
 * Runs the whole job; returns PC_EXIT_* (or 128+signal after an interrupt).
 * SIGINT and SIGTERM stay caught after it returns, so the caller can still
 * report; pipeline_end_interrupts() restores them and returns the signal
 * that came meanwhile (0 if none).
 */
int pipeline_run(const struct config *c, const struct strlist *feeds,
		 struct pipeline_totals *totals);
int pipeline_end_interrupts(void);

/* "Done. feeds=1 episodes=12 ... in 41.2s" (caller releases sb); unchanged=N
 * when feeds answered 304, updated=N when done episodes got newly asked outputs. */
void pipeline_summary_line(const struct pipeline_totals *t, struct sbuf *sb);

#endif
