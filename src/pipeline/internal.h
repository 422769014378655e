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
 * Episode states.  lifecycle.c moves an episode along these arrows only (the
 * table allowed[] there is this drawing, checked on every move):
 *
 *   NEW ──done in state.sqlite and no --force──► SKIPPED
 *    │  └─ done, but the settings ask for outputs it lacks (update.c) ─► REUSE
 *    │     (the kept transcript loaded) ─► WRITE ─► [SUMMARIZE] ─► FINISH ─► DONE,
 *    │     each step making only what is missing
 *    │  └─ --download-media, enclosure not yet in media/ ─► ARCHIVE_MEDIA ─► on as
 *    │     from NEW (SKIPPED when done before, or with no transcript published
 *    │     and transcribe_missing off: the audio was what was asked for)
 *    │
 *    ├─ a usable transcript link ─► FETCH_TRANSCRIPT ─ok─► WRITE ─► SUMMARIZE ─► FINISH ─► DONE
 *    │                               │ ▲ bad download       │ ▲  (generate_summaries)  ▲
 *    │                               │ └─ or parse: next    │ └──────────────┐         │
 *    │                               ▼    link              └── no summaries ┼─────────┘
 *    └─ no link left ───────► DOWNLOAD_MEDIA ─► TRANSCRIBE ──────────────────┘
 *       (transcribe_missing,
 *        an allowed enclosure; otherwise FAILED)
 *
 *   any state but the final ones ── error ──► FAILED   (state.sqlite keeps
 *                        stage and message; the next run retries the episode)
 *   any in-flight state ── Ctrl-C ──► FAILED with "interrupted" (retried next run)
 *
 * WRITE: speakers, screenplay, the cleaned text; FINISH: metadata and the
 * state row (its recorded outputs too).  Invariants: an episode in
 * FETCH_TRANSCRIPT, DOWNLOAD_MEDIA, ARCHIVE_MEDIA, TRANSCRIBE or SUMMARIZE has
 * one operation (a transfer or a stage job) in flight, whose callback
 * records its result and calls episode_advance(), and counts in its feed's
 * in_flight; DONE, SKIPPED and FAILED are final and have
 * an index row.
 */
enum ep_state {
	EP_NEW,
	EP_SKIPPED,
	EP_FETCH_TRANSCRIPT,
	EP_DOWNLOAD_MEDIA,
	EP_ARCHIVE_MEDIA,
	EP_REUSE,
	EP_TRANSCRIBE,
	EP_WRITE,
	EP_SUMMARIZE,
	EP_FINISH,
	EP_DONE,
	EP_FAILED,
	EP_NR_STATES
};

/* How the work of the current state ended, as recorded for episode_advance(). */
enum ep_outcome {
	EP_OUT_OK,		/* done: go on */
	EP_OUT_PENDING,		/* the state's operation is still in flight */
	EP_OUT_TRY_NEXT,	/* this transcript link failed: the next one, or the audio */
	EP_OUT_FAILED,		/* error_stage and error_message say why */
	EP_OUT_INTERRUPTED,	/* the run is stopping */
};

/* Outputs beyond the transcript, which state.sqlite records per episode (update.c). */
enum ep_output {
	OUT_METADATA_JSON = 1u << 0,
	OUT_METADATA_YAML = 1u << 1,
	OUT_SCREENPLAY = 1u << 2,
	OUT_SUMMARY = 1u << 3,
};

struct run;
struct feed_job;
struct stage_result;

struct episode_job {
	struct feed_job *fj;
	const struct episode *ep;    /* inside fj->feed */
	long position;               /* in the feed */
	char *id;
	char *stem;
	enum ep_state state;
	enum ep_outcome outcome;
	bool skip;                   /* done by an earlier run */
	bool update;                 /* done before, but lacks outputs now asked for */
	unsigned todo;               /* with update: those outputs (enum ep_output) */
	json_t *had;                 /* with update: the outputs recorded (update.c) */
	struct net_result *net_res;  /* the finished transfer, while it is settled */
	struct stage_result *stage_res; /* the finished stage job, while it is settled */
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
	bool archived;               /* --download-media: the enclosure is in media/ */
};

struct feed_job {
	struct run *run;
	char *url;
	char *dir;
	struct feed feed;
	bool parsed;
	bool failed;
	struct store_state *state;
	int lock_fd;                    /* the feed folder's lock, -1 when not held */
	struct store_run *artifacts;
	struct episode_job *episodes;
	size_t nr_episodes;
	size_t in_flight;
	struct store_validators sent;   /* validators the fetch carried */
	struct store_validators got;    /* validators of the answer */
	bool unchanged;                 /* answered 304: nothing to do */
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
	char *settings_id;           /* fingerprint kept with feed validators */
	char *run_id;
	struct feed_job *feeds;
	size_t nr_feeds;
	bool several_feeds;
	struct pipeline_totals *totals;
	long episode_failures;
	bool stopping;
};

/* archive.c: the ARCHIVE_MEDIA step (--download-media) */
/* True when the episode's enclosure is still to be downloaded into media/. */
bool archive_wanted(struct episode_job *ej);
void archive_enter(struct episode_job *ej);
void archive_settle(struct episode_job *ej);

/* update.c: reruns that ask for more (the REUSE step) */
/* With the done row es: sets ej->update and ej->todo; true when there is something to add. */
bool update_plan(struct episode_job *ej, const struct store_episode_state *es);
/* Does this run make output `out` (one enum ep_output) for the episode? */
bool update_wants(const struct episode_job *ej, unsigned out);
/* "summary, screenplay": the outputs in todo, appended to out. */
void update_describe(unsigned todo, struct sbuf *out);
void update_enter(struct episode_job *ej);
/* The outputs the episode has once done, for state.sqlite (caller frees). */
char *update_outputs_json(const struct episode_job *ej);
/* The metadata formats (OUT_METADATA_*) to write: asked, and with update those it had. */
unsigned update_metadata_formats(const struct episode_job *ej);
/* With update: nulls of this run's metadata tree filled from the episode's earlier one. */
void update_keep_old(const struct episode_job *ej, json_t *fresh);

/* validators.c: conditional feed requests */
char *validators_settings_id(json_t *config_snapshot);
void validators_load(struct feed_job *fj, struct net_request *req);
void validators_keep(struct feed_job *fj, struct net_result *res);
void validators_save(struct feed_job *fj);

/* plan.c */
/*
 * Fills fj->episodes from the parsed feed: the selected items, duplicates of
 * an earlier item's id dropped with a warning, each with its reserved stem.
 */
int feedjob_plan(struct feed_job *fj, struct sbuf *err);

/* feedjob.c */
/* The output folder of the feed at url (caller frees). */
char *feedjob_dir(const struct run *r, const char *url);
void feedjob_start(struct feed_job *fj);
/* Opens the feed folder's state.sqlite when there is one (validators; dry runs: readonly). */
bool feedjob_open_existing_state(struct feed_job *fj, bool readonly);
void feedjob_finish(struct feed_job *fj);
void feedjob_release(struct feed_job *fj);

/*
 * lifecycle.c: the one dispatcher.  A callback records its result (net_res,
 * stage_res, or one of the record functions) and calls episode_advance(),
 * which settles the result, decides the next state and enters it.
 */
void episode_advance(struct episode_job *ej);
/* net_done_fn of every episode transfer (udata: the episode). */
void episode_transfer_done(struct net *net, struct net_result *res, void *udata);
void episode_record_failure(struct episode_job *ej, const char *stage, const char *fmt, ...)
	PC_PRINTF(3, 4);
void episode_record_interrupt(struct episode_job *ej, const char *stage);
bool ep_is_final(enum ep_state s);
/* May an episode in state s still submit a job to stage (EP_TRANSCRIBE, EP_SUMMARIZE)? */
bool ep_may_still_enter(enum ep_state s, enum ep_state stage);
/* Checked on every transition and index row (debug builds): see the diagram. */
bool ep_state_ok(const struct episode_job *ej);

/* episode.c: the NEW and FETCH_TRANSCRIPT steps */
void episode_start(struct episode_job *ej);
void episode_release(struct episode_job *ej);
bool episode_selected(const struct config *c, const struct episode *ep);
bool episode_url_allowed(const struct episode_job *ej, const char *url);
/* Takes the next usable transcript link, else decides between the audio and failing. */
enum ep_state episode_choose_source(struct episode_job *ej);
void episode_fetch_enter(struct episode_job *ej);
void episode_fetch_settle(struct episode_job *ej);

/* transcribe.c: the DOWNLOAD_MEDIA step */
/* Media stays under media/ (keep_media, download_media) rather than in .work/. */
bool media_kept(const struct config *c);
/* "media/<stem>.<ext>" or ".work/<stem>.<ext>" (caller frees). */
char *media_rel_path(const struct episode_job *ej);
/* net progress of a media download, shown on the progress board (udata: ej). */
void on_media_progress(void *udata, long long bytes, long long total);
void media_download_enter(struct episode_job *ej);
void media_download_settle(struct episode_job *ej);
/* showtext.c: the show's words for the recognizer (names first), capped by out. */
void pipeline_show_text(const struct episode_job *ej, const struct strlist *names,
			struct sbuf *out);

/* engines.c: the TRANSCRIBE and SUMMARIZE steps, run by stage pools */
void transcribe_enter(struct episode_job *ej);
void transcribe_settle(struct episode_job *ej);
void summarize_enter(struct episode_job *ej);
void summarize_settle(struct episode_job *ej);
/* Polls the stage pools (callbacks run here); returns jobs still queued or running. */
int engines_poll(struct run *r, int timeout_ms);
/* Tells pools that no more work can arrive, so workers may free their models. */
void engines_drain_hints(struct run *r);
void engines_free(struct run *r);

/* output.c: the WRITE and FINISH steps, the DONE bookkeeping, index rows */
int output_transcript(struct episode_job *ej, enum transcript_format fmt,
		      const char *data, size_t len, struct sbuf *err);
int output_generated_transcript(struct episode_job *ej, struct sbuf *err);
/* Names the diarized voices of ej->segments from the transcription response. */
void output_name_voices(struct episode_job *ej, json_t *response);
void output_write_enter(struct episode_job *ej);
void output_finish_enter(struct episode_job *ej);
void output_done(struct episode_job *ej);
void output_index_row(struct episode_job *ej);

/* Stops scheduling new work (fail_fast, max_failures, Ctrl-C). */
void run_stop(struct run *r, const char *why);

#endif
