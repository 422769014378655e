/*
 * metadata.c - the per-episode metadata document (schema
 * STORE_SCHEMA_VERSION, "1.1.0").  Keys are added in schema order and every key is always
 * present; jansson keeps insertion order, so the files read top-down the
 * way the schema is written.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

static void set(json_t *obj, const char *key, json_t *val)
{
	json_object_set_new(obj, key, val);
}

static json_t *sha256_of(const char *s)
{
	char hex[HASH_SHA256_HEX];
	char buf[HASH_SHA256_HEX + 8];

	if (!s)
		return json_null();
	hash_sha256_hex(s, strlen(s), hex);
	snprintf(buf, sizeof(buf), "sha256:%s", hex);
	return json_string(buf);
}

static json_t *build_feed(const struct store_episode_doc *d)
{
	const struct feed *f = d->feed;
	json_t *o = json_object();
	char *feed_id = store_feed_id(d->feed_url);

	set(o, "title", store_jstr(f->title));
	set(o, "url", store_jstr(d->feed_url));
	set(o, "feed_id", store_jstr(feed_id));
	set(o, "description", store_jstr(f->description));
	set(o, "language", store_jstr(f->language));
	set(o, "authors", store_jstrlist(&f->authors));
	set(o, "image_url", store_jstr(f->image_url));
	set(o, "last_updated", store_jtime(f->last_updated));
	free(feed_id);
	return o;
}

static json_t *build_episode(const struct store_episode_doc *d, const char *episode_id)
{
	const struct episode *ep = d->episode;
	json_t *o = json_object();

	set(o, "title", store_jstr(ep->title));
	set(o, "description", store_jstr(ep->description));
	set(o, "published_date", store_jtime(ep->published));
	set(o, "guid", store_jstr(ep->guid));
	set(o, "link", store_jstr(ep->link));
	set(o, "duration_seconds", store_jcount(ep->duration_seconds));
	set(o, "episode_number", store_jcount(ep->episode_number));
	set(o, "image_url", store_jstr(ep->image_url));
	set(o, "episode_id", store_jstr(episode_id));
	return o;
}

static json_t *build_transcript_urls(const struct episode *ep)
{
	json_t *a = json_array();

	for (size_t i = 0; i < ep->nr_transcripts; i++) {
		const struct transcript_ref *t = &ep->transcripts[i];
		json_t *o = json_object();

		set(o, "url", store_jstr(t->url));
		set(o, "transcript_id", sha256_of(t->url));
		set(o, "type", store_jstr(t->type));
		set(o, "language", store_jstr(t->language));
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * The Python tool's id for a speaker: its role, numbered from 1 when the
 * role has several speakers ("host", or "host_1", "host_2").
 */
static json_t *role_id(const struct store_episode_doc *d, size_t i)
{
	const char *role = d->speakers[i].role ? d->speakers[i].role : "guest";
	size_t nth = 0, of = 0;
	char buf[64];

	for (size_t j = 0; j < d->nr_speakers; j++) {
		const char *r = d->speakers[j].role ? d->speakers[j].role : "guest";

		if (!strcmp(r, role)) {
			of++;
			if (j <= i)
				nth++;
		}
	}
	if (of == 1)
		return json_string(role);
	snprintf(buf, sizeof(buf), "%.40s_%zu", role, nth);
	return json_string(buf);
}

static json_t *build_speakers(const struct store_episode_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nr_speakers; i++) {
		const struct store_speaker *s = &d->speakers[i];
		json_t *o = json_object();

		set(o, "id", store_jstr(s->id));
		set(o, "role_id", role_id(d, i));
		set(o, "name", store_jstr(s->name));
		set(o, "role", store_jstr(s->role));
		set(o, "source", store_jstr(s->source));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *build_content(const struct store_episode_doc *d)
{
	const struct episode *ep = d->episode;
	json_t *o = json_object();

	set(o, "transcript_urls", build_transcript_urls(ep));
	set(o, "media_url", store_jstr(ep->media_url));
	set(o, "media_id", d->media_id ? store_jstr(d->media_id) : sha256_of(ep->media_url));
	set(o, "media_type", store_jstr(ep->media_type));
	set(o, "transcript_file_path", store_jstr(d->transcript_file_path));
	set(o, "transcript_source", store_jstr(d->transcript_source));
	/* the Python model's name for the speech model, whichever engine ran */
	set(o, "whisper_model", store_jstr(d->transcript_source &&
					   !strcmp(d->transcript_source, "whisper_transcription") ?
					   d->asr_model : NULL));
	set(o, "asr_engine", store_jstr(d->asr_engine));
	set(o, "asr_model", store_jstr(d->asr_model));
	set(o, "diarization", d->diarization ? json_incref(d->diarization) : json_null());
	set(o, "speakers", build_speakers(d));
	set(o, "detected_hosts", store_jstrlist(d->detected_hosts));
	set(o, "detected_guests", store_jstrlist(d->detected_guests));
	return o;
}

static json_t *seconds(double v)
{
	return v < 0 ? json_null() : json_real(v);
}

static json_t *build_timings(const struct store_stage_timings *t)
{
	json_t *o = json_object();

	set(o, "download", seconds(t->download));
	set(o, "decode", seconds(t->decode));
	set(o, "transcribe", seconds(t->transcribe));
	set(o, "speakers", seconds(t->speakers));
	set(o, "summarize", seconds(t->summarize));
	set(o, "total", seconds(t->total));
	/* the same times under the Python tool's names */
	set(o, "download_media_time", seconds(t->download));
	set(o, "transcribe_time", seconds(t->transcribe));
	set(o, "extract_names_time", seconds(t->speakers));
	set(o, "summarize_time", seconds(t->summarize));
	set(o, "total_processing_time", seconds(t->total));
	return o;
}

static json_t *build_device(const struct store_device *dev)
{
	json_t *o = json_object();

	set(o, "requested", store_jstr(dev->requested));
	set(o, "used", store_jstr(dev->used));
	return o;
}

static json_t *build_processing(const struct store_episode_doc *d)
{
	json_t *o = json_object();
	json_t *devices = json_object();
	json_t *config = store_config_redact(d->config_snapshot);

	set(devices, "transcription", build_device(&d->transcription_device));
	set(devices, "summarization", build_device(&d->summarization_device));
	set(o, "processing_timestamp",
	    store_jtime(d->processing_timestamp ? d->processing_timestamp : time(NULL)));
	set(o, "output_directory", store_jstr(d->output_directory));
	set(o, "run_id", store_jstr(d->run_id));
	set(o, "config_snapshot", config ? config : json_object());
	set(o, "schema_version", json_string(STORE_SCHEMA_VERSION));
	set(o, "stage_timings", build_timings(&d->timings));
	set(o, "devices", devices);
	set(o, "attempts", json_integer(d->attempts));
	set(o, "worker_crashes", json_integer(d->worker_crashes));
	return o;
}

static json_t *build_summary(const struct store_summary *s)
{
	json_t *o, *points;

	if (!s)
		return json_null();
	o = json_object();
	points = json_array();
	for (size_t i = 0; i < s->nr_key_points; i++)
		json_array_append_new(points, store_jstr(s->key_points[i]));
	set(o, "short_summary", store_jstr(s->short_summary));
	set(o, "key_points", points);
	/* the Python tool's names: bullets are the key points */
	set(o, "bullets", json_deep_copy(points));
	set(o, "schema_status", json_string("valid"));
	set(o, "generated_at", store_jtime(s->generated_at));
	set(o, "provider", store_jstr(s->provider));
	set(o, "word_count", store_jcount(s->word_count));
	set(o, "transcript_word_count", store_jcount(s->transcript_word_count));
	return o;
}

json_t *store_metadata_build(const struct store_episode_doc *d)
{
	json_t *doc = json_object();
	char *own_id = d->episode_id ? NULL : store_episode_id(d->episode, d->feed_url);
	const char *episode_id = d->episode_id ? d->episode_id : own_id;

	set(doc, "feed", build_feed(d));
	set(doc, "episode", build_episode(d, episode_id));
	set(doc, "content", build_content(d));
	set(doc, "processing", build_processing(d));
	set(doc, "summary", build_summary(d->summary));
	free(own_id);
	return doc;
}

int store_metadata_write(const char *feed_dir, const char *stem, enum store_format fmt,
			 json_t *doc, char **rel_out, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	char *rel = store_relpath(fmt == STORE_FORMAT_YAML ? STORE_METADATA_YAML :
				  STORE_METADATA_JSON, stem, NULL);
	int r = store_dump(doc, fmt, &text, err);

	if (!r)
		r = store_write_file(feed_dir, rel, text.buf, text.len, err);
	if (!r && rel_out)
		*rel_out = rel;
	else
		free(rel);
	sbuf_release(&text);
	return r;
}
