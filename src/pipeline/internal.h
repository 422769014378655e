/*
 * internal.h - what the files of the pipeline module share.  Not a contract:
 * only src/pipeline/ includes it.
 */
#ifndef PIPELINE_INTERNAL_H
#define PIPELINE_INTERNAL_H

#include "pipeline/pipeline.h"
#include "feed/feed.h"
#include "net/net.h"
#include "store/store.h"
#include "speakers/speakers.h"
#include "summarize/summarize.h"
#include "transcript/transcript.h"

#include <jansson.h>

/*
 * Episode states.  Transitions (ep_set_state checks them in debug builds):
 *
 *   NEW ──done in state.sqlite and no --force──► SKIPPED
 *    │
 *    ├─ has transcript links ─► FETCH_TRANSCRIPT ─ok─► WRITE ─────────────────► DONE
 *    │                            │  bad download or parse: next link   │  ▲
 *    │                            ▼  no link left                       ▼  │
 *    └─ no links ─────────► (transcribe_missing) DOWNLOAD_MEDIA       SUMMARIZE
 *                           (otherwise)          FAILED  │           (generate_summaries)
 *                                                        ▼
 *                                                    TRANSCRIBE ─► WRITE
 *
 *   any state ── error ──► FAILED   (state.sqlite keeps stage and message;
 *                                    the next run retries the episode)
 *   any state ── Ctrl-C ──► FAILED with "interrupted" (retried next run)
 *
 * Invariants: an episode in FETCH_TRANSCRIPT, DOWNLOAD_MEDIA, TRANSCRIBE or
 * SUMMARIZE has exactly one operation in flight (a transfer or a stage job)
 * and counts in its feed's in_flight;
 * DONE, SKIPPED and FAILED are final and have an index row.
 */
enum ep_state {
	EP_NEW,
	EP_SKIPPED,
	EP_FETCH_TRANSCRIPT,
	EP_DOWNLOAD_MEDIA,
	EP_TRANSCRIBE,
	EP_WRITE,
	EP_SUMMARIZE,
	EP_DONE,
	EP_FAILED,
};

struct run;
struct feed_job;

struct episode_job {
	struct feed_job *fj;
	const struct episode *ep;    /* inside fj->feed */
	long position;               /* in the feed */
	char *id;
	char *stem;
	enum ep_state state;
	size_t *candidates;          /* transcript refs, in the order to try */
	size_t nr_candidates;
	size_t next_candidate;
	double started;
	double t_download, t_decode, t_transcribe, t_speakers, t_summarize;
	const char *transcript_source;
	const char *error_stage;
	char *error_message;
	char *transcript_rel, *text_rel, *segments_rel, *screenplay_rel;
	char *metadata_rel, *media_rel;
	struct segment_list segments;
	struct speaker_list speakers;
	struct summary summary;
	bool has_summary;
	char *cleaned_rel;
	char *asr_engine, *asr_model;
	json_t *diarization;         /* content.diarization, or NULL */
	char *device_transcribe, *device_summarize;
	int attempts;
	int worker_crashes;
	bool interrupted;            /* stopped by the run, not failed: stays pending */
};

struct feed_job {
	struct run *run;
	char *url;
	char *dir;
	struct feed feed;
	bool parsed;
	bool failed;
	struct store_state *state;
	struct store_run *artifacts;
	struct episode_job *episodes;
	size_t nr_episodes;
	size_t in_flight;
};

struct stage_pool;
struct device_gate;

struct run {
	const struct config *cfg;
	struct net *net;
	struct stage_pool *transcribe_pool;
	struct stage_pool *summarize_pool;
	struct device_gate *gate;
	bool transcribe_drained, summarize_drained;
	json_t *config_snapshot;
	char *run_id;
	struct feed_job *feeds;
	size_t nr_feeds;
	bool several_feeds;
	struct pipeline_totals *totals;
	long episode_failures;
	bool stopping;
};

/* feedjob.c */
void feedjob_start(struct feed_job *fj);
void feedjob_finish(struct feed_job *fj);
void feedjob_release(struct feed_job *fj);

/* episode.c */
void episode_start(struct episode_job *ej);
void episode_fail(struct episode_job *ej, const char *stage, const char *fmt, ...)
	PC_PRINTF(3, 4);
void episode_interrupted(struct episode_job *ej, const char *stage);
void episode_release(struct episode_job *ej);
bool episode_selected(const struct config *c, const struct episode *ep);
void ep_set_state(struct episode_job *ej, enum ep_state next);
/* Checked on every transition and index row (debug builds): see the diagram. */
bool ep_state_ok(const struct episode_job *ej);
bool episode_url_allowed(const struct episode_job *ej, const char *url);

/* transcribe.c: media download and local or remote transcription */
void episode_transcribe(struct episode_job *ej);
/* Queues a downloaded episode (state TRANSCRIBE) for the transcription stage. */
void transcribe_submit(struct episode_job *ej);

/* output.c */
int output_transcript(struct episode_job *ej, enum transcript_format fmt,
		      const char *data, size_t len);
void output_finish_episode(struct episode_job *ej);
int output_generated_transcript(struct episode_job *ej);
/* Names the diarized voices of ej->segments from the transcription response. */
void output_name_voices(struct episode_job *ej, json_t *response);
/* After the summary (or without one): metadata, state, index row. */
void output_write_episode(struct episode_job *ej);
void output_index_row(struct episode_job *ej);

/* engines.c: the coordinator's side of the transcription and summarization stages */
void summarize_submit(struct episode_job *ej);
/* Polls the stage pools (callbacks run here); returns jobs still queued or running. */
int engines_poll(struct run *r, int timeout_ms);
/* Tells pools that no more work can arrive, so workers may free their models. */
void engines_drain_hints(struct run *r);
void engines_free(struct run *r);

/* Stops scheduling new work (fail_fast, max_failures, Ctrl-C). */
void run_stop(struct run *r, const char *why);

#endif
