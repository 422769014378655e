/*
 * cmd_run.c - the default command: the pipeline over FEED...
 */
#include "cmd/cmd.h"
#include "crash/crash.h"
#include "log/log.h"
#include "net/net.h"
#include "pipeline/pipeline.h"
#include "util/stage.h"

#include <stdio.h>

static const struct cmd_usage run_usage = {
	"podcast_scraper [OPTIONS] FEED...",
	"Reads podcast feeds (http(s) URLs, file:// URLs or local paths), keeps every\n"
	"episode's transcript (published, or made locally from the audio), names the\n"
	"speakers, summarizes and writes metadata. A rerun does only what is missing.\n"
	"\n"
	"Other commands:\n"
	"  podcast_scraper transcribe [OPTIONS] AUDIO   transcribe one audio file\n"
	"  podcast_scraper summarize [OPTIONS] TEXT     summarize one transcript\n"
	"  podcast_scraper doctor                       check dependencies and models",
	NULL, 0, true, "main",
};

static int run_feeds(const struct config *c)
{
	struct strlist feeds = STRLIST_INIT;
	struct sbuf err = SBUF_INIT(8192), line = SBUF_INIT(1024);
	struct pipeline_totals totals;
	int code, sig;

	if (pipeline_sources(c, &feeds, &err) < 0) {
		cmd_error("%s", err.buf);
		code = PC_EXIT_FATAL;
		goto out;
	}
	if (!feeds.nr) {
		cmd_error("no feed given (FEED argument, --rss, --feeds, --feeds-file or --opml; "
			  "see --help)");
		code = PC_EXIT_USAGE;
		goto out;
	}
	if (c->shard && cmd_shard_filter(c->shard, &feeds, &err) < 0) {
		cmd_error("%s", err.buf);
		code = PC_EXIT_USAGE;
		goto out;
	}
	if (!feeds.nr) {
		code = PC_EXIT_OK;      /* a shard may have no feed: nothing to do */
		goto out;
	}
	code = pipeline_run(c, &feeds, &totals);
	pipeline_summary_line(&totals, &line);
	if (c->watch) {
		log_info("watch", "%s", line.buf);     /* in the log file too, each cycle */
		cmd_watch_hold_signals();
	} else {
		fprintf(stderr, "%s\n", line.buf);
	}
	sig = pipeline_end_interrupts();
	if (sig)
		code = 128 + sig;	/* a stop after the work was done still says so */
out:
	strlist_release(&feeds);
	sbuf_release(&err);
	sbuf_release(&line);
	return code;
}

int cmd_run(int argc, char **argv)
{
	struct config c;
	int code;

	config_init(&c);
	code = cmd_setup(argc, argv, &c, &run_usage);
	if (code < 0) {
		net_global_init();
		code = c.watch ? cmd_watch(&c, argc, argv, &run_usage, run_feeds) : run_feeds(&c);
		net_global_cleanup();
	}
	config_release(&c);
	return code;
}
