/*
 * lifecycle.c - the one place that moves an episode from state to state
 * (the diagram is in internal.h).
 *
 * Each state's work lives with its subject (episode.c: transcript links,
 * transcribe.c: media, engines.c: stage jobs, output.c: files, update.c:
 * the kept transcript of a done episode that lacks outputs) as a row of
 * steps[]: enter() starts the work, settle() turns the result a callback
 * recorded into an outcome.  Callbacks only record and call
 * episode_advance(); next_state() alone decides where an episode goes, and
 * every move is checked against allowed[].  Whether an episode may still
 * submit work to a stage is read from may_enter[], never from enum order.
 */
#include "pipeline/internal.h"
#include "log/log.h"
#include "util/timeutil.h"

#include <assert.h>
#include <stdlib.h>

#define B(s) (1u << (s))

static const char *const state_names[EP_NR_STATES] = {
	[EP_NEW] = "new", [EP_SKIPPED] = "skipped", [EP_FETCH_TRANSCRIPT] = "fetch_transcript",
	[EP_DOWNLOAD_MEDIA] = "download_media", [EP_ARCHIVE_MEDIA] = "archive_media",
	[EP_REUSE] = "reuse_transcript",
	[EP_TRANSCRIBE] = "transcribe",
	[EP_WRITE] = "write", [EP_SUMMARIZE] = "summarize", [EP_FINISH] = "finish",
	[EP_DONE] = "done", [EP_FAILED] = "failed",
};

/* allowed[from]: the states `from` may move to (the arrows of the diagram). */
static const unsigned allowed[EP_NR_STATES] = {
	[EP_NEW] = B(EP_SKIPPED) | B(EP_FETCH_TRANSCRIPT) | B(EP_DOWNLOAD_MEDIA) |
		   B(EP_ARCHIVE_MEDIA) | B(EP_REUSE) | B(EP_FAILED),
	[EP_ARCHIVE_MEDIA] = B(EP_SKIPPED) | B(EP_FETCH_TRANSCRIPT) | B(EP_DOWNLOAD_MEDIA) |
			     B(EP_REUSE) | B(EP_FAILED),
	[EP_REUSE] = B(EP_WRITE) | B(EP_FAILED),
	[EP_FETCH_TRANSCRIPT] = B(EP_FETCH_TRANSCRIPT) | B(EP_DOWNLOAD_MEDIA) | B(EP_WRITE) |
				B(EP_FAILED),
	[EP_DOWNLOAD_MEDIA] = B(EP_TRANSCRIBE) | B(EP_FAILED),
	[EP_TRANSCRIBE] = B(EP_WRITE) | B(EP_FAILED),
	[EP_WRITE] = B(EP_SUMMARIZE) | B(EP_FINISH) | B(EP_FAILED),
	[EP_SUMMARIZE] = B(EP_FINISH) | B(EP_FAILED),
	[EP_FINISH] = B(EP_DONE) | B(EP_FAILED),
	[EP_DONE] = 0, [EP_SKIPPED] = 0, [EP_FAILED] = 0,
};

/* may_enter[s]: the stage states an episode in s may still submit a job to. */
static const unsigned may_enter[EP_NR_STATES] = {
	[EP_NEW] = B(EP_TRANSCRIBE) | B(EP_SUMMARIZE),
	[EP_FETCH_TRANSCRIPT] = B(EP_TRANSCRIBE) | B(EP_SUMMARIZE),
	[EP_DOWNLOAD_MEDIA] = B(EP_TRANSCRIBE) | B(EP_SUMMARIZE),
	[EP_ARCHIVE_MEDIA] = B(EP_TRANSCRIBE) | B(EP_SUMMARIZE),
	[EP_REUSE] = B(EP_SUMMARIZE),
	[EP_TRANSCRIBE] = B(EP_SUMMARIZE),
	[EP_WRITE] = B(EP_SUMMARIZE),
	[EP_SUMMARIZE] = 0, [EP_FINISH] = 0,
	[EP_DONE] = 0, [EP_SKIPPED] = 0, [EP_FAILED] = 0,
};

/* States with one operation (a transfer or a stage job) in flight. */
static const unsigned in_flight_states = B(EP_FETCH_TRANSCRIPT) | B(EP_DOWNLOAD_MEDIA) |
					 B(EP_ARCHIVE_MEDIA) | B(EP_TRANSCRIBE) | B(EP_SUMMARIZE);
static const unsigned final_states = B(EP_DONE) | B(EP_SKIPPED) | B(EP_FAILED);

struct ep_step {
	void (*enter)(struct episode_job *ej);	/* starts the state's work */
	void (*settle)(struct episode_job *ej);	/* the recorded result -> outcome */
};

static const struct ep_step steps[EP_NR_STATES] = {
	[EP_FETCH_TRANSCRIPT] = { episode_fetch_enter, episode_fetch_settle },
	[EP_DOWNLOAD_MEDIA] = { media_download_enter, media_download_settle },
	[EP_ARCHIVE_MEDIA] = { archive_enter, archive_settle },
	[EP_REUSE] = { update_enter, NULL },
	[EP_TRANSCRIBE] = { transcribe_enter, transcribe_settle },
	[EP_WRITE] = { output_write_enter, NULL },
	[EP_SUMMARIZE] = { summarize_enter, summarize_settle },
	[EP_FINISH] = { output_finish_enter, NULL },
};

bool ep_is_final(enum ep_state s)
{
	return final_states & B(s);
}

bool ep_may_still_enter(enum ep_state s, enum ep_state stage)
{
	return may_enter[s] & B(stage);
}

/* The per-state invariants of the diagram in internal.h. */
bool ep_state_ok(const struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;

	switch (ej->state) {
	case EP_DONE:
		return ej->text_rel && ej->transcript_rel && ej->transcript_source &&
		       (!c->generate_metadata || ej->metadata_rel) &&
		       (!update_wants(ej, OUT_SUMMARY) || ej->has_summary);
	case EP_REUSE:
		return ej->update;	/* a kept transcript gone missing fails the step */
	case EP_FAILED:
		return ej->error_message && ej->error_stage;
	case EP_TRANSCRIBE:
		return ej->media_rel != NULL;
	case EP_SUMMARIZE:
		return ej->cleaned_rel && ej->text_rel;
	case EP_FETCH_TRANSCRIPT:
		return ej->next_candidate > 0 && ej->next_candidate <= ej->nr_candidates;
	default:
		return true;
	}
}

/* The progress board shows episodes with work in flight, by stage. */
static void show_stage(const struct episode_job *ej)
{
	static const char *const board_names[EP_NR_STATES] = {
		[EP_FETCH_TRANSCRIPT] = "transcript", [EP_DOWNLOAD_MEDIA] = "download",
		[EP_ARCHIVE_MEDIA] = "archive", [EP_TRANSCRIBE] = "transcribe",
		[EP_SUMMARIZE] = "summarize",
	};

	if (in_flight_states & B(ej->state))
		log_progress_item(ej, ej->ep->title ? ej->ep->title : ej->stem,
				  board_names[ej->state]);
	else
		log_progress_item_end(ej);
}

/* Moves ej to next, keeping the feed's in_flight count true to the invariant. */
static void ep_set_state(struct episode_job *ej, enum ep_state next)
{
	if (!(allowed[ej->state] & B(next)))
		BUG("episode %s: %s -> %s is not a transition", ej->id,
		    state_names[ej->state], state_names[next]);
	if (in_flight_states & B(ej->state))
		ej->fj->in_flight--;
	if (in_flight_states & B(next))
		ej->fj->in_flight++;
	ej->state = next;
	ej->outcome = in_flight_states & B(next) ? EP_OUT_PENDING : EP_OUT_OK;
	assert(ep_is_final(next) || ep_state_ok(ej));
	show_stage(ej);
}

static void set_error(struct episode_job *ej, const char *stage, char *message)
{
	ej->error_stage = stage;
	free(ej->error_message);
	ej->error_message = message;
}

void episode_record_failure(struct episode_job *ej, const char *stage, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT(16384);
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	set_error(ej, stage, sbuf_detach(&msg, NULL));
	ej->outcome = EP_OUT_FAILED;
}

/*
 * The run was stopped (Ctrl-C, fail_fast) while this episode was in flight:
 * not a failure of the episode.  Its state row says pending, so the next run
 * does it; the index row says why it is not done.
 */
void episode_record_interrupt(struct episode_job *ej, const char *stage)
{
	set_error(ej, stage, pc_strdup("interrupted"));
	ej->interrupted = true;
	ej->outcome = EP_OUT_INTERRUPTED;
}

/* A done episode is skipped, or updated when it lacks what is asked now. */
static enum ep_state first_state(struct episode_job *ej)
{
	if (ej->skip)
		return EP_SKIPPED;
	return ej->update ? EP_REUSE : episode_choose_source(ej);
}

/* The only decision table of the lifecycle: where an episode goes next. */
static enum ep_state next_state(struct episode_job *ej)
{
	if (ej->outcome == EP_OUT_FAILED || ej->outcome == EP_OUT_INTERRUPTED)
		return EP_FAILED;
	switch (ej->state) {
	case EP_NEW:
		if (archive_wanted(ej))
			return EP_ARCHIVE_MEDIA;
		return first_state(ej);
	case EP_ARCHIVE_MEDIA:
		return first_state(ej);
	case EP_REUSE:
		return EP_WRITE;
	case EP_FETCH_TRANSCRIPT:
		return ej->outcome == EP_OUT_TRY_NEXT ? episode_choose_source(ej) : EP_WRITE;
	case EP_DOWNLOAD_MEDIA:
		return EP_TRANSCRIBE;
	case EP_TRANSCRIBE:
		return EP_WRITE;
	case EP_WRITE:
		return update_wants(ej, OUT_SUMMARY) ? EP_SUMMARIZE : EP_FINISH;
	case EP_SUMMARIZE:
		return EP_FINISH;
	case EP_FINISH:
		return EP_DONE;
	default:
		BUG("episode %s: no step after %s", ej->id, state_names[ej->state]);
	}
}

/* A failure is logged here, once, with the cause it carried up. */
static void finish_failed(struct episode_job *ej)
{
	struct run *r = ej->fj->run;

	if (ej->interrupted) {
		r->totals->pending++;
		output_index_row(ej);
		return;
	}
	log_error(ej->error_stage, "episode '%s' (%s): %s",
		  ej->ep->title ? ej->ep->title : ej->stem, ej->id, ej->error_message);
	r->totals->failed++;
	output_index_row(ej);
	r->episode_failures++;
	if (r->cfg->fail_fast)
		run_stop(r, "an episode failed and fail_fast is on");
	else if (r->cfg->max_failures && r->episode_failures >= r->cfg->max_failures)
		run_stop(r, "max_failures reached");
}

static void finish_final(struct episode_job *ej)
{
	if (ej->state == EP_FAILED) {
		finish_failed(ej);
	} else if (ej->state == EP_DONE) {
		output_done(ej);
	} else {
		ej->fj->run->totals->skipped++;
		output_index_row(ej);
	}
}

/* The callback of every episode transfer: a step's download time and result. */
void episode_transfer_done(struct net *net, struct net_result *res, void *udata)
{
	struct episode_job *ej = udata;

	(void)net;
	ej->t_download += time_mono() - ej->started;
	ej->net_res = res;
	episode_advance(ej);
	ej->net_res = NULL;
}

void episode_advance(struct episode_job *ej)
{
	if (ej->outcome == EP_OUT_PENDING && steps[ej->state].settle)
		steps[ej->state].settle(ej);
	/* a step may complete at once (reused media, a failed submit): go on */
	while (!ep_is_final(ej->state) && ej->outcome != EP_OUT_PENDING) {
		enum ep_state next = next_state(ej);

		ep_set_state(ej, next);
		if (ep_is_final(next))
			finish_final(ej);
		else
			steps[next].enter(ej);
	}
}
