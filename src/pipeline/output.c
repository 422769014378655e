/*
 * output.c - an episode's files, metadata, state row and index row.
 *
 * Order matters for crash safety: transcript files first, metadata next,
 * and the state row last, so a kill at any point leaves an episode either
 * done with all its files or not done (and redone by the next run, which
 * rewrites the same files byte for byte).
 */
#include "pipeline/internal.h"
#include "util/fs.h"
#include "crash/crash.h"
#include "diarize/diarize.h"
#include "log/log.h"
#include "util/stage.h"
#include "util/timeutil.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes one file; on failure err says which and why. */
static int write_rel(struct episode_job *ej, char **rel_out, enum store_file kind,
		     const char *ext, const char *data, size_t len, struct sbuf *err)
{
	char *rel = store_relpath(kind, ej->stem, ext);
	int r = store_write_file(ej->fj->dir, rel, data, len, err);

	if (r < 0) {
		free(rel);
	} else {
		free(*rel_out);
		*rel_out = rel;
	}
	return r;
}

/* Writes the original bytes, the plain text and the timed segments. */
int output_transcript(struct episode_job *ej, enum transcript_format fmt,
		      const char *data, size_t len, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), json = SBUF_INIT(SBUF_NOLIMIT);
	int r;

	crash_stage_enter(STAGE_WRITE, ej->id);
	segment_list_release(&ej->segments);
	r = transcript_parse(fmt, data, len, &ej->segments, err);
	if (r < 0)
		goto out;
	if (fmt != TRANSCRIPT_TEXT &&
	    (r = write_rel(ej, &ej->transcript_rel, STORE_TRANSCRIPT,
			   transcript_format_ext(fmt), data, len, err)) < 0)
		goto out;
	/* a plain-text transcript is its own text form: its bytes are kept as published */
	if (fmt == TRANSCRIPT_TEXT)
		sbuf_add(&text, data, len);
	else
		transcript_to_text(&ej->segments, false, &text);
	if ((r = write_rel(ej, &ej->text_rel, STORE_TEXT, NULL, text.buf, text.len, err)) < 0)
		goto out;
	if (!ej->transcript_rel)
		ej->transcript_rel = pc_strdup(ej->text_rel);
	if (segment_list_timed(&ej->segments)) {
		transcript_to_segments_json(&ej->segments, &json);
		r = write_rel(ej, &ej->segments_rel, STORE_SEGMENTS, NULL, json.buf, json.len, err);
	}
out:
	sbuf_release(&text);
	sbuf_release(&json);
	return r;
}

/* Transcripts made here from the audio: text, segments, WebVTT and SRT. */
int output_generated_transcript(struct episode_job *ej, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT), json = SBUF_INIT(SBUF_NOLIMIT);
	struct sbuf vtt = SBUF_INIT(SBUF_NOLIMIT), srt = SBUF_INIT(SBUF_NOLIMIT);
	char *vtt_rel = NULL, *srt_rel = NULL;
	int r;

	crash_stage_enter(STAGE_WRITE, ej->id);
	transcript_to_paragraphs(&ej->segments, TRANSCRIPT_PARAGRAPH_PAUSE, &text);
	transcript_to_segments_json(&ej->segments, &json);
	transcript_to_vtt(&ej->segments, &vtt);
	transcript_to_srt(&ej->segments, &srt);
	r = write_rel(ej, &ej->text_rel, STORE_TEXT, NULL, text.buf, text.len, err);
	if (!r)
		r = write_rel(ej, &ej->segments_rel, STORE_SEGMENTS, NULL, json.buf, json.len,
			      err);
	if (!r)
		r = write_rel(ej, &vtt_rel, STORE_TRANSCRIPT, "vtt", vtt.buf, vtt.len, err);
	if (!r)
		r = write_rel(ej, &srt_rel, STORE_TRANSCRIPT, "srt", srt.buf, srt.len, err);
	if (!r) {
		free(ej->transcript_rel);
		ej->transcript_rel = pc_strdup(ej->text_rel);
	}
	free(vtt_rel);
	free(srt_rel);
	sbuf_release(&text);
	sbuf_release(&json);
	sbuf_release(&vtt);
	sbuf_release(&srt);
	return r;
}

/* The worker's figures with each voice under the name it was given. */
static json_t *diarization_named(json_t *d, const struct strlist *names)
{
	json_t *by = json_object(), *v;
	const char *key;

	json_object_foreach(json_object_get(d, "seconds_by_speaker"), key, v) {
		size_t n = strlen(DIARIZE_LABEL_PREFIX);
		size_t k = (size_t)strtoul(key + n, NULL, 10);

		json_object_set(by, k < names->nr ? names->items[k] : key, v);
	}
	return json_pack("{s:O?, s:O?, s:o}", "method", json_object_get(d, "method"), "voices",
			 json_object_get(d, "voices"), "seconds_by_speaker", by);
}

/*
 * Hosts and guests for naming voices: the feed's, and the introductions in
 * what was said ("I'm your host, ...").  Read from an unlabelled copy, so the
 * diarizer's SPEAKER_n labels are never taken for turn labels.
 */
static void detect_from_words(const struct episode_job *ej, const struct speakers_options *so,
			      struct speaker_list *out)
{
	struct segment_list plain = SEGMENT_LIST_INIT;

	for (size_t i = 0; i < ej->segments.nr; i++)
		segment_list_push(&plain, ej->segments.items[i].start, ej->segments.items[i].end,
				  NULL, ej->segments.items[i].text);
	speakers_detect_transcript(&ej->fj->feed, ej->ep, so, &plain, out);
	segment_list_release(&plain);
}

void output_name_voices(struct episode_job *ej, json_t *response)
{
	const struct config *c = ej->fj->run->cfg;
	struct speakers_options so = { &c->known_hosts, &c->speaker_names, c->auto_speakers };
	json_t *d = json_object_get(response, "diarization");
	struct speaker_list sl = SPEAKER_LIST_INIT;
	struct strlist hosts = STRLIST_INIT, guests = STRLIST_INIT, names = STRLIST_INIT;

	json_decref(ej->diarization);
	ej->diarization = NULL;
	if (json_object_get(d, "error"))
		log_warn("speakers", "episode '%s': no speaker turns: %s", ej->stem,
			 json_string_value(json_object_get(d, "error")));
	if (!json_object_get(d, "seconds_by_speaker"))
		return;
	detect_from_words(ej, &so, &sl);
	speakers_hosts(&sl, &hosts);
	speakers_guests(&sl, &guests);
	diarize_name_voices(&ej->segments, (const char *const *)hosts.items, hosts.nr,
			    (const char *const *)guests.items, guests.nr, &names);
	ej->diarization = diarization_named(d, &names);
	speaker_list_release(&sl);
	strlist_release(&hosts);
	strlist_release(&guests);
	strlist_release(&names);
}

/* Speakers and summary in the borrowed-pointer shapes the store wants. */
struct metadata_extras {
	struct store_speaker *speakers;
	struct strlist hosts, guests;
	struct store_summary summary;
};

static void metadata_extras_fill(struct metadata_extras *x, const struct episode_job *ej)
{
	memset(x, 0, sizeof(*x));
	x->speakers = pc_calloc(ej->speakers.nr + 1, sizeof(*x->speakers));
	for (size_t i = 0; i < ej->speakers.nr; i++) {
		const struct speaker *s = &ej->speakers.items[i];

		x->speakers[i] = (struct store_speaker){ s->id, s->name,
			speaker_role_name(s->role), speaker_source_name(s->source) };
	}
	speakers_hosts(&ej->speakers, &x->hosts);
	speakers_guests(&ej->speakers, &x->guests);
	if (ej->has_summary) {
		x->summary.short_summary = ej->summary.short_summary;
		x->summary.key_points = (const char *const *)ej->summary.key_points.items;
		x->summary.nr_key_points = ej->summary.key_points.nr;
		x->summary.generated_at = time(NULL);
		x->summary.provider = ej->summary.provider;
		x->summary.word_count = ej->summary.word_count;
		x->summary.transcript_word_count = ej->summary.transcript_word_count;
	}
}

static void metadata_extras_release(struct metadata_extras *x)
{
	free(x->speakers);
	strlist_release(&x->hosts);
	strlist_release(&x->guests);
}

/* This run's metadata tree of the episode (caller decrefs). */
static json_t *build_metadata(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	struct store_episode_doc doc = {
		.feed = &ej->fj->feed,
		.feed_url = ej->fj->url,
		.episode = ej->ep,
		.episode_id = ej->id,
		.transcript_file_path = ej->transcript_rel,
		.transcript_source = ej->transcript_source,
		.output_directory = ej->fj->dir,
		.run_id = ej->fj->run->run_id,
		.config_snapshot = ej->fj->run->config_snapshot,
		.timings = { ej->t_download, ej->t_decode, ej->t_transcribe, ej->t_speakers,
			     ej->t_summarize, time_mono() - ej->started },
		.asr_engine = ej->asr_engine,
		.asr_model = ej->asr_model,
		.diarization = ej->diarization,
		.transcription_device = { config_device_name(c->whisper_device), ej->device_transcribe },
		.summarization_device = { config_device_name(c->summary_device), ej->device_summarize },
		.attempts = ej->attempts + 1,
		.worker_crashes = ej->worker_crashes,
	};
	struct metadata_extras x;
	json_t *j;

	metadata_extras_fill(&x, ej);
	doc.speakers = x.speakers;
	doc.nr_speakers = ej->speakers.nr;
	doc.detected_hosts = &x.hosts;
	doc.detected_guests = &x.guests;
	doc.summary = ej->has_summary ? &x.summary : NULL;
	j = store_metadata_build(&doc);
	metadata_extras_release(&x);
	return j;
}

/*
 * Every metadata format the episode is to have, from one tree; the format
 * asked for last, so metadata_rel names it.  An update keeps what the
 * earlier document knew of work it did not redo (update.c).
 */
static int write_metadata(struct episode_job *ej, struct sbuf *err)
{
	bool yaml_asked = ej->fj->run->cfg->metadata_format == METADATA_YAML;
	unsigned formats = update_metadata_formats(ej);
	json_t *j = build_metadata(ej);
	char *rel = NULL;
	int r = 0;

	update_keep_old(ej, j);
	if (formats & (yaml_asked ? OUT_METADATA_JSON : OUT_METADATA_YAML))
		r = store_metadata_write(ej->fj->dir, ej->stem, yaml_asked ? STORE_FORMAT_JSON :
					 STORE_FORMAT_YAML, j, NULL, err);
	if (!r && (formats & (yaml_asked ? OUT_METADATA_YAML : OUT_METADATA_JSON)))
		r = store_metadata_write(ej->fj->dir, ej->stem, yaml_asked ? STORE_FORMAT_YAML :
					 STORE_FORMAT_JSON, j, &rel, err);
	if (rel) {
		free(ej->metadata_rel);
		ej->metadata_rel = rel;
	}
	json_decref(j);
	return r;
}


static char *files_json(const struct episode_job *ej)
{
	json_t *o = json_object();
	char *s;

#define PUT(key, v) if (v) json_object_set_new(o, key, json_string(v))
	PUT("transcript", ej->transcript_rel);
	PUT("text", ej->text_rel);
	PUT("segments", ej->segments_rel);
	PUT("screenplay", ej->screenplay_rel);
	PUT("cleaned", ej->cleaned_rel);
	PUT("metadata", ej->metadata_rel);
	PUT("media", ej->media_rel);
#undef PUT
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

/*
 * The row, then its files and (done) its outputs: a kill in between leaves
 * work to redo, never outputs recorded that were not made.
 */
static int record_state(struct episode_job *ej, enum store_status status, struct sbuf *err)
{
	char *files = files_json(ej);
	char *outputs = status == STORE_DONE ? update_outputs_json(ej) : NULL;
	int r = store_state_set(ej->fj->state, ej->id, ej->stem, status, ej->error_stage,
				ej->error_message, ej->transcript_source, err);

	if (!r)
		r = store_state_set_files(ej->fj->state, ej->id, files, err);
	if (!r && outputs)
		r = store_state_set_outputs(ej->fj->state, ej->id, outputs, err);
	free(files);
	free(outputs);
	return r;
}

static void detect_speakers(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	struct speakers_options so = { &c->known_hosts, &c->speaker_names, c->auto_speakers };
	double t0 = time_mono();

	crash_stage_enter(STAGE_SPEAKERS, ej->id);
	speaker_list_release(&ej->speakers);
	/* turns get full names for the screenplay and the summary */
	speakers_detect_transcript(&ej->fj->feed, ej->ep, &so, &ej->segments, &ej->speakers);
	ej->t_speakers += time_mono() - t0;
}

static int write_screenplay(struct episode_job *ej, struct sbuf *err)
{
	const struct config *c = ej->fj->run->cfg;
	struct strlist names = STRLIST_INIT;
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	int r;

	speakers_names_for_screenplay(&ej->speakers, &names);
	transcript_to_screenplay_n(&ej->segments, (const char *const *)names.items, names.nr,
				   (size_t)c->num_speakers, c->screenplay_gap, &out);
	r = write_rel(ej, &ej->screenplay_rel, STORE_SCREENPLAY, NULL, out.buf, out.len, err);
	strlist_release(&names);
	sbuf_release(&out);
	return r;
}

/* The text the summarizer reads: sponsor reads, labels and filler removed. */
static int write_cleaned(struct episode_job *ej, struct sbuf *err)
{
	struct sbuf out = SBUF_INIT(SBUF_NOLIMIT);
	int r = summarize_clean_segments(&ej->segments, &out);

	if (r < 0)
		sbuf_addf(err, "cannot clean the transcript: %s", pc_strerror(r));
	else
		r = write_rel(ej, &ej->cleaned_rel, STORE_TRANSCRIPT, "cleaned.txt", out.buf,
			      out.len, err);
	sbuf_release(&out);
	return r;
}

/* WRITE: speakers, then the screenplay and the summarizer's text if asked for. */
void output_write_enter(struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	struct sbuf err = SBUF_INIT(4096);

	(void)c;
	detect_speakers(ej);
	if (update_wants(ej, OUT_SCREENPLAY) && write_screenplay(ej, &err) < 0)
		episode_record_failure(ej, "write", "screenplay: %s", err.buf);
	else if (update_wants(ej, OUT_SUMMARY) && write_cleaned(ej, &err) < 0)
		episode_record_failure(ej, "summarize", "cleaned transcript: %s", err.buf);
	sbuf_release(&err);
}

/* metrics.json: seconds per stage, summed over the finished episodes. */
static void add_stage_times(const struct episode_job *ej)
{
	struct store_run *run = ej->fj->artifacts;

	/* an update leaves the stages it did not redo at -1 */
	store_run_add_stage_time(run, STAGE_DOWNLOAD, ej->t_download > 0 ? ej->t_download : 0);
	store_run_add_stage_time(run, STAGE_DECODE, ej->t_decode > 0 ? ej->t_decode : 0);
	store_run_add_stage_time(run, STAGE_TRANSCRIBE, ej->t_transcribe > 0 ? ej->t_transcribe : 0);
	store_run_add_stage_time(run, STAGE_SPEAKERS, ej->t_speakers);
	store_run_add_stage_time(run, STAGE_SUMMARIZE, ej->t_summarize > 0 ? ej->t_summarize : 0);
}

/*
 * save_cleaned_transcript false: the summarizer's text was only written for
 * the summarizer (a worker reads it from disk), so it goes once read.
 */
static void drop_cleaned(struct episode_job *ej)
{
	char *path;

	if (ej->fj->run->cfg->save_cleaned_transcript || !ej->cleaned_rel)
		return;
	path = fs_join(ej->fj->dir, ej->cleaned_rel);
	if (unlink(path) < 0 && errno != ENOENT)
		log_warn("write", "episode '%s': cannot remove '%s': %s", ej->stem, path,
			 strerror(errno));
	free(path);
	pc_freep(&ej->cleaned_rel);
}

/* FINISH: metadata, then the state row last (see the top of this file). */
void output_finish_enter(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);

	crash_stage_enter(STAGE_WRITE, ej->id);
	drop_cleaned(ej);
	if (ej->fj->run->cfg->generate_metadata && write_metadata(ej, &err) < 0)
		episode_record_failure(ej, "write", "metadata: %s", err.buf);
	else if (record_state(ej, STORE_DONE, &err) < 0)
		episode_record_failure(ej, "write", "state: %s", err.buf);
	sbuf_release(&err);
}

void output_done(struct episode_job *ej)
{
	struct sbuf what = SBUF_INIT(1024);

	add_stage_times(ej);
	if (ej->update) {
		/* its transcript was counted by the run that made it */
		ej->fj->run->totals->updated++;
		store_run_count(ej->fj->artifacts, STORE_EPISODES_UPDATED, 1);
		update_describe(ej->todo, &what);
		log_info("write", "episode '%s': updated (added %s)", ej->stem, what.buf);
	} else {
		ej->fj->run->totals->transcripts++;
		log_info("write", "episode '%s': done (%s)", ej->stem, ej->transcript_source);
	}
	sbuf_release(&what);
	output_index_row(ej);
}

/*
 * A failed episode's state row keeps its cause; a stopped one stays pending.
 * An update that failed leaves the row done, with the outputs it had: the
 * next run tries to add the rest again, and nothing made before is redone.
 */
static void record_failed_state(struct episode_job *ej)
{
	struct sbuf err = SBUF_INIT(4096);

	if (ej->update)
		goto out;

	if (record_state(ej, ej->interrupted ? STORE_PENDING : STORE_FAILED, &err) < 0)
		log_error("write", "episode '%s': state: %s", ej->stem, err.buf);
	out:
	sbuf_release(&err);
}
/* rel when that file is there: the index never names a missing file. */
static const char *existing(const struct episode_job *ej, const char *rel)
{
	char *path;
	bool there;

	if (!rel)
		return NULL;
	path = fs_join(ej->fj->dir, rel);
	there = fs_exists(path);
	free(path);
	return there ? rel : NULL;
}


void output_index_row(struct episode_job *ej)
{
	struct store_index_row row = {
		.episode_id = ej->id,
		.stem = ej->stem,
		.title = ej->ep->title,
		.status = ej->state == EP_DONE ? STORE_ROW_OK :
			  ej->state == EP_SKIPPED ? STORE_ROW_SKIPPED : STORE_ROW_FAILED,
		.position = ej->position,
		.transcript = existing(ej, ej->transcript_rel),
		.text = existing(ej, ej->text_rel),
		.segments = existing(ej, ej->segments_rel),
		.screenplay = existing(ej, ej->screenplay_rel),
		.metadata = existing(ej, ej->metadata_rel),
		.media = existing(ej, ej->media_rel),
		.error_stage = ej->error_stage,
		.error_message = ej->error_message,
	};

	assert(ep_state_ok(ej));
	if (ej->state == EP_FAILED)
		drop_cleaned(ej);
	if (ej->state == EP_FAILED && ej->fj->state)
		record_failed_state(ej);
	if (ej->fj->artifacts)
		store_run_add_row(ej->fj->artifacts, &row);
}
