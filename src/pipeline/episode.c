/*
 * episode.c - one episode through the states drawn in internal.h.
 */
#include "pipeline/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/stage.h"
#include "util/timeutil.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const state_names[] = {
	"new", "skipped", "fetch_transcript", "download_media", "transcribe",
	"write", "summarize", "done", "failed",
};

static bool is_final(enum ep_state s)
{
	return s == EP_DONE || s == EP_SKIPPED || s == EP_FAILED;
}

static bool in_flight(enum ep_state s)
{
	return s == EP_FETCH_TRANSCRIPT || s == EP_DOWNLOAD_MEDIA || s == EP_TRANSCRIBE ||
	       s == EP_SUMMARIZE;
}

/* The per-state invariants of the diagram in internal.h. */
bool ep_state_ok(const struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;

	switch (ej->state) {
	case EP_DONE:
		return ej->text_rel && ej->transcript_rel && ej->transcript_source &&
		       (!c->generate_metadata || ej->metadata_rel) &&
		       (!c->generate_summaries || ej->has_summary);
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

/* Moves ej to next, keeping the feed's in_flight count true to the invariant. */
void ep_set_state(struct episode_job *ej, enum ep_state next)
{
	if (is_final(ej->state))
		BUG("episode %s: %s -> %s after a final state", ej->id,
		    state_names[ej->state], state_names[next]);
	if (in_flight(ej->state))
		ej->fj->in_flight--;
	if (in_flight(next))
		ej->fj->in_flight++;
	ej->state = next;
	assert(is_final(next) || ep_state_ok(ej));
}

bool episode_selected(const struct config *c, const struct episode *ep)
{
	if (c->since && (!ep->published || ep->published < c->since))
		return false;
	/* until is a day: everything published before the next midnight counts */
	if (c->until && (!ep->published || ep->published >= c->until + 86400))
		return false;
	return true;
}

static bool suffix_matches(const char *url, const char *pref)
{
	size_t n = strcspn(url, "?#");
	size_t m = strlen(pref);

	while (m && *pref == '.') {
		pref++;
		m--;
	}
	return m && n > m && url[n - m - 1] == '.' && !strncasecmp(url + n - m, pref, m);
}

static bool ref_matches(const struct transcript_ref *t, const char *pref)
{
	return (t->type && strcasestr(t->type, pref)) || suffix_matches(t->url, pref);
}

/* Preferred types first, in the order given, then the rest in feed order. */
static void order_candidates(struct episode_job *ej, const struct strlist *prefer)
{
	size_t n = ej->ep->nr_transcripts;
	bool *taken = pc_calloc(n ? n : 1, sizeof(bool));

	ej->candidates = pc_calloc(n ? n : 1, sizeof(size_t));
	for (size_t p = 0; p < prefer->nr; p++)
		for (size_t i = 0; i < n; i++)
			if (!taken[i] && ref_matches(&ej->ep->transcripts[i], prefer->items[p])) {
				taken[i] = true;
				ej->candidates[ej->nr_candidates++] = i;
			}
	for (size_t i = 0; i < n; i++)
		if (!taken[i])
			ej->candidates[ej->nr_candidates++] = i;
	free(taken);
}

void episode_fail(struct episode_job *ej, const char *stage, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT(16384);
	struct run *r = ej->fj->run;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ep_set_state(ej, EP_FAILED);
	ej->error_stage = stage;
	free(ej->error_message);
	ej->error_message = sbuf_detach(&msg, NULL);
	log_error(stage, "episode '%s' (%s): %s", ej->ep->title ? ej->ep->title : ej->stem,
		  ej->id, ej->error_message);
	r->totals->failed++;
	output_index_row(ej);
	r->episode_failures++;
	if (r->cfg->fail_fast)
		run_stop(r, "an episode failed and fail_fast is on");
	else if (r->cfg->max_failures && r->episode_failures >= r->cfg->max_failures)
		run_stop(r, "max_failures reached");
}

/*
 * The run was stopped (Ctrl-C, fail_fast) while this episode was in flight:
 * not a failure of the episode.  Its state row says pending, so the next run
 * does it; the index row says why it is not done.
 */
void episode_interrupted(struct episode_job *ej, const char *stage)
{
	ep_set_state(ej, EP_FAILED);
	ej->interrupted = true;
	ej->error_stage = stage;
	free(ej->error_message);
	ej->error_message = pc_strdup("interrupted");
	ej->fj->run->totals->pending++;
	output_index_row(ej);
}

static void try_next_transcript(struct episode_job *ej);
static void fall_back_to_audio(struct episode_job *ej, const char *why);

/* Keeps why the last candidate failed, for the error of an episode with none left. */
static void note_candidate_error(struct episode_job *ej, const char *fmt, const char *arg)
{
	struct sbuf msg = SBUF_INIT(16384);

	sbuf_addf(&msg, fmt, arg);
	free(ej->error_message);
	ej->error_message = sbuf_detach(&msg, NULL);
}

static void on_transcript_fetched(struct net *net, struct net_result *res, void *udata)
{
	struct episode_job *ej = udata;
	const struct transcript_ref *ref =
		&ej->ep->transcripts[ej->candidates[ej->next_candidate - 1]];
	enum transcript_format fmt;

	(void)net;
	ej->t_download += time_mono() - ej->started;
	if (res->code == -PC_EINTR) {
		episode_interrupted(ej, "download");
		return;
	}
	if (res->code < 0) {
		log_warn("download", "episode '%s': transcript %s", ej->stem, res->err.buf);
		note_candidate_error(ej, "%s", res->err.buf);
		try_next_transcript(ej);
		return;
	}
	store_run_count(ej->fj->artifacts, STORE_BYTES_DOWNLOADED, res->bytes);
	store_run_count(ej->fj->artifacts, STORE_RETRIES, res->attempts - 1);
	fmt = transcript_detect(ref->type, res->content_type, res->final_url,
				res->body.buf, res->body.len);
	if (output_transcript(ej, fmt, res->body.buf, res->body.len) < 0) {
		note_candidate_error(ej, "transcript %s could not be parsed or written", ref->url);
		try_next_transcript(ej);
		return;
	}
	free(ej->error_message);
	ej->error_message = NULL;
	ej->transcript_source = "direct_download";
	ej->fj->run->totals->downloaded++;
	store_run_count(ej->fj->artifacts, STORE_TRANSCRIPTS_DOWNLOADED, 1);
	output_finish_episode(ej);
}

static void try_next_transcript(struct episode_job *ej)
{
	const struct transcript_ref *ref;
	struct net_request req = { 0 };

	if (ej->next_candidate >= ej->nr_candidates) {
		struct sbuf why = SBUF_INIT(SBUF_NOLIMIT);

		sbuf_adds(&why, ej->nr_candidates ? "no published transcript could be "
			  "downloaded and parsed" : "no published transcript");
		if (ej->error_message)
			sbuf_addf(&why, " (last: %s)", ej->error_message);
		fall_back_to_audio(ej, why.buf);
		sbuf_release(&why);
		return;
	}
	ref = &ej->ep->transcripts[ej->candidates[ej->next_candidate++]];
	if (!episode_url_allowed(ej, ref->url)) {
		log_warn("download", "episode '%s': transcript URL '%s' refused (only http(s) "
			 "links are followed from a remote feed)", ej->stem, ref->url);
		try_next_transcript(ej);
		return;
	}
	ep_set_state(ej, EP_FETCH_TRANSCRIPT);
	crash_stage_enter(STAGE_DOWNLOAD, ej->id);
	req.url = ref->url;
	req.max_bytes = (size_t)ej->fj->run->cfg->max_transcript_bytes;
	req.done = on_transcript_fetched;
	req.udata = ej;
	net_add(ej->fj->run->net, &req);
}

static void fall_back_to_audio(struct episode_job *ej, const char *why)
{
	const struct config *c = ej->fj->run->cfg;

	if (!c->transcribe_missing) {
		episode_fail(ej, "download", "%s (transcribe_missing is off)", why);
		return;
	}
	if (!ej->ep->media_url) {
		episode_fail(ej, "download", "%s and no audio enclosure", why);
		return;
	}
	if (!episode_url_allowed(ej, ej->ep->media_url)) {
		episode_fail(ej, "download", "%s, and the enclosure URL '%s' is refused (only "
			     "http(s) links are followed from a remote feed)", why, ej->ep->media_url);
		return;
	}
	free(ej->error_message);
	ej->error_message = NULL;
	episode_transcribe(ej);
}

static void plan_dry_run(struct episode_job *ej)
{
	const char *what = ej->nr_candidates ? "download transcript" :
			   ej->ep->media_url ? "transcribe audio" : "nothing to do";
	const char *url = ej->nr_candidates ?
			  ej->ep->transcripts[ej->candidates[0]].url : ej->ep->media_url;

	log_info("main", "dry run: %s: %s%s%s", ej->stem, what, url ? " " : "", url ? url : "");
}

/*
 * Looks the episode up in state.sqlite: keeps the stem recorded there (so a
 * publisher editing a title never renames files) and says whether it is done.
 */
static bool already_done(struct episode_job *ej)
{
	struct store_episode_state st = { 0 };
	struct sbuf err = SBUF_INIT(4096);
	bool done = false;

	if (store_state_get(ej->fj->state, ej->id, &st, &err) == 0) {
		done = st.status == STORE_DONE;
		/* the recorded stem wins: an edited title never renames files */
		if (st.stem && *st.stem && strcmp(st.stem, ej->stem)) {
			free(ej->stem);
			ej->stem = pc_strdup(st.stem);
		}
	}
	store_episode_state_release(&st);
	sbuf_release(&err);
	return done;
}

/*
 * A remote feed may only point at http(s) URLs: a file:// link in a feed
 * fetched over the network would read this machine's files.
 */
bool episode_url_allowed(const struct episode_job *ej, const char *url)
{
	if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8))
		return true;
	return !strncmp(url, "file://", 7) && !strncmp(ej->fj->url, "file://", 7);
}

void episode_start(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;

	order_candidates(ej, &c->prefer_type);
	if (c->dry_run) {
		plan_dry_run(ej);
		return;
	}
	if (already_done(ej) && !c->force) {
		ej->state = EP_SKIPPED;
		ej->fj->run->totals->skipped++;
		output_index_row(ej);
		return;
	}
	ej->started = time_mono();
	try_next_transcript(ej);
}

void episode_release(struct episode_job *ej)
{
	free(ej->id);
	free(ej->stem);
	free(ej->candidates);
	free(ej->error_message);
	free(ej->transcript_rel);
	free(ej->text_rel);
	free(ej->segments_rel);
	free(ej->screenplay_rel);
	free(ej->metadata_rel);
	free(ej->media_rel);
	segment_list_release(&ej->segments);
	speaker_list_release(&ej->speakers);
	summary_release(&ej->summary);
	free(ej->cleaned_rel);
	free(ej->asr_engine);
	free(ej->asr_model);
	json_decref(ej->diarization);
	free(ej->device_transcribe);
	free(ej->device_summarize);
}
