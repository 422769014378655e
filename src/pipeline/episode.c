/*
 * episode.c - an episode's start (skip or not) and its published transcripts:
 * which link to try next, fetching one, and the fall-back to the audio.
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

static const struct transcript_ref *current_ref(const struct episode_job *ej)
{
	return &ej->ep->transcripts[ej->candidates[ej->next_candidate - 1]];
}

/*
 * A failed link is not yet an error of the episode: the next one is tried.
 * Why it failed is kept for the error of an episode with none left.
 */
static void try_next(struct episode_job *ej, const char *what, const char *why)
{
	struct sbuf msg = SBUF_INIT(16384);

	if (what)
		sbuf_addf(&msg, "%s: ", what);
	sbuf_adds(&msg, why);
	free(ej->error_message);
	ej->error_message = sbuf_detach(&msg, NULL);
	log_warn("download", "episode '%s': transcript %s", ej->stem, ej->error_message);
	ej->outcome = EP_OUT_TRY_NEXT;
}

/* An error of this machine (-errno: disk full, file too large, no permission), not of the input. */
static bool local_fault(int r)
{
	return r < 0 && -r < PC_EFAIL;
}

void episode_fetch_settle(struct episode_job *ej)
{
	const struct net_result *res = ej->net_res;
	const struct transcript_ref *ref = current_ref(ej);
	struct sbuf err = SBUF_INIT(4096);
	enum transcript_format fmt;
	int r;

	if (res->code == -PC_EINTR) {
		episode_record_interrupt(ej, "download");
		goto out;
	}
	if (res->code < 0) {
		try_next(ej, NULL, res->err.buf);
		goto out;
	}
	store_run_count(ej->fj->artifacts, STORE_BYTES_DOWNLOADED, res->bytes);
	store_run_count(ej->fj->artifacts, STORE_RETRIES, res->attempts - 1);
	fmt = transcript_detect(ref->type, res->content_type, res->final_url,
				res->body.buf, res->body.len);
	r = output_transcript(ej, fmt, res->body.buf, res->body.len, &err);
	if (local_fault(r)) {
		/* the disk, not the link: every other link would fail the same way,
		 * and their reasons ("HTTP 404") would hide this one */
		episode_record_failure(ej, "write", "%s", err.buf);
		goto out;
	}
	if (r < 0) {
		try_next(ej, ref->url, err.buf);
		goto out;
	}
	pc_freep(&ej->error_message);
	ej->transcript_source = "direct_download";
	ej->fj->run->totals->downloaded++;
	store_run_count(ej->fj->artifacts, STORE_TRANSCRIPTS_DOWNLOADED, 1);
	ej->outcome = EP_OUT_OK;
out:
	sbuf_release(&err);
}

void episode_fetch_enter(struct episode_job *ej)
{
	struct net_request req = { 0 };

	crash_stage_enter(STAGE_DOWNLOAD, ej->id);
	req.url = current_ref(ej)->url;
	req.max_bytes = (size_t)ej->fj->run->cfg->max_transcript_bytes;
	req.done = episode_transfer_done;
	req.udata = ej;
	net_add(ej->fj->run->net, &req);
}

/* No published transcript worked: the audio, if allowed and there is one. */
static enum ep_state fall_back_to_audio(struct episode_job *ej, const char *why)
{
	const struct config *c = ej->fj->run->cfg;

	/* archive mode: the audio is what was asked for; nothing failed */
	if (!c->transcribe_missing && ej->archived && !ej->nr_candidates) {
		log_info("download", "episode '%s': %s; audio archived, not transcribed "
			 "(transcribe_missing is off)", ej->stem, why);
		return EP_SKIPPED;
	}
	if (!c->transcribe_missing) {
		episode_record_failure(ej, "download", "%s (transcribe_missing is off)", why);
		return EP_FAILED;
	}
	if (!ej->ep->media_url) {
		episode_record_failure(ej, "download", "%s and no audio enclosure", why);
		return EP_FAILED;
	}
	if (!episode_url_allowed(ej, ej->ep->media_url)) {
		episode_record_failure(ej, "download", "%s, and the enclosure URL '%s' is refused "
				       "(only http(s) links are followed from a remote feed)",
				       why, ej->ep->media_url);
		return EP_FAILED;
	}
	pc_freep(&ej->error_message);
	return EP_DOWNLOAD_MEDIA;
}

static enum ep_state no_link_left(struct episode_job *ej)
{
	struct sbuf why = SBUF_INIT(SBUF_NOLIMIT);
	enum ep_state next;

	sbuf_adds(&why, ej->nr_candidates ? "no published transcript could be "
		  "downloaded and parsed" : "no published transcript");
	if (ej->error_message)
		sbuf_addf(&why, " (last: %s)", ej->error_message);
	next = fall_back_to_audio(ej, why.buf);
	sbuf_release(&why);
	return next;
}

enum ep_state episode_choose_source(struct episode_job *ej)
{
	while (ej->next_candidate < ej->nr_candidates) {
		const char *url = ej->ep->transcripts[ej->candidates[ej->next_candidate++]].url;

		if (episode_url_allowed(ej, url))
			return EP_FETCH_TRANSCRIPT;
		log_warn("download", "episode '%s': transcript URL '%s' refused (only http(s) "
			 "links are followed from a remote feed)", ej->stem, url);
	}
	return no_link_left(ej);
}

/* A dry run with an earlier state: what a done episode would get. */
static bool plan_dry_run_done(struct episode_job *ej, const struct store_episode_state *es)
{
	struct sbuf what = SBUF_INIT(1024);

	if (es->status != STORE_DONE || ej->fj->run->cfg->force)
		return false;
	if (update_plan(ej, es)) {
		update_describe(ej->todo, &what);
		log_info("main", "dry run: %s: done; would add %s from the kept transcript",
			 ej->stem, what.buf);
	} else {
		log_info("main", "dry run: %s: done; nothing to add", ej->stem);
	}
	sbuf_release(&what);
	return true;
}

static void plan_dry_run(struct episode_job *ej, const struct store_episode_state *es)
{
	const char *what = ej->nr_candidates ? "download transcript" :
			   ej->ep->media_url ? "transcribe audio" : "nothing to do";
	const char *url = ej->nr_candidates ?
			  ej->ep->transcripts[ej->candidates[0]].url : ej->ep->media_url;

	if (plan_dry_run_done(ej, es))
		return;
	log_info("main", "dry run: %s: %s%s%s", ej->stem, what, url ? " " : "", url ? url : "");
}

/*
 * Looks the episode up in state.sqlite into st (released by the caller):
 * keeps the stem recorded there (so a publisher editing a title never
 * renames files) and says whether it is done.
 */
static bool already_done(struct episode_job *ej, struct store_episode_state *st)
{
	struct sbuf err = SBUF_INIT(4096);
	bool done = false;
	int r = ej->fj->state ? store_state_get(ej->fj->state, ej->id, st, &err) : -PC_ENOTFOUND;

	/* a row that cannot be read is redone, but the reason is not hidden */
	if (r < 0 && r != -PC_ENOTFOUND)
		log_warn("state", "episode '%s': %s; it is done again", ej->stem, err.buf);
	if (r == 0) {
		done = st->status == STORE_DONE;
		/* the recorded stem wins: an edited title never renames files */
		if (st->stem && *st->stem && strcmp(st->stem, ej->stem)) {
			free(ej->stem);
			ej->stem = pc_strdup(st->stem);
		}
	}
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

/*
 * A done episode is skipped unless --force, or updated when the settings ask
 * for outputs it lacks (update.c).
 */
void episode_start(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	struct store_episode_state st = STORE_EPISODE_STATE_INIT;
	bool done = already_done(ej, &st);

	order_candidates(ej, &c->prefer_type);
	if (c->dry_run) {
		plan_dry_run(ej, &st);
	} else {
		ej->skip = done && !c->force && !update_plan(ej, &st);
		ej->started = time_mono();
		episode_advance(ej);
	}
	store_episode_state_release(&st);
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
	json_decref(ej->had);
	free(ej->device_transcribe);
	free(ej->device_summarize);
}
