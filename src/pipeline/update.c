/*
 * update.c - reruns that ask for more: an episode done by an earlier run,
 * whose settings now ask for outputs it lacks (summaries turned on, YAML
 * metadata after JSON, a screenplay, another summary provider or model),
 * gets exactly those, made from its kept transcript: nothing is downloaded
 * or transcribed again.
 *
 * state.sqlite records per done episode the outputs it has, as a JSON
 * object: "metadata.json", "metadata.yaml", "screenplay" (true) and
 * "summary" (the provider that made it, "textrank" or "openai:<model>").
 * A rerun compares that with what its settings ask: nothing missing means
 * skipped, untouched; asking for less removes nothing.  Rows from before
 * the outputs were recorded are read from the files on disk, their summary
 * taken as made by whatever provider is asked now (so an upgrade redoes
 * nothing).
 *
 * An updated episode enters the lifecycle at REUSE (lifecycle.c), which
 * loads the kept transcript; WRITE and SUMMARIZE then do only what is
 * missing, and FINISH rewrites every metadata document the episode has from
 * one tree: this run's (summary, speakers, processing) with what the old
 * document knew of work not redone (how the transcript was made, an earlier
 * summary) kept in place of nulls.
 */
#include "pipeline/internal.h"
#include "stages/stages.h"
#include "log/log.h"
#include "util/fs.h"

#include <stdlib.h>
#include <string.h>

static const char *const output_keys[] = {
	"metadata.json", "metadata.yaml", "screenplay", "summary",
};
static const unsigned output_bits[] = {
	OUT_METADATA_JSON, OUT_METADATA_YAML, OUT_SCREENPLAY, OUT_SUMMARY,
};

/* The outputs these settings ask every episode to have. */
static unsigned outputs_asked(const struct config *c)
{
	unsigned o = 0;

	if (c->generate_metadata)
		o |= c->metadata_format == METADATA_YAML ? OUT_METADATA_YAML : OUT_METADATA_JSON;
	if (c->screenplay)
		o |= OUT_SCREENPLAY;
	if (c->generate_summaries)
		o |= OUT_SUMMARY;
	return o;
}

/* What a summary made under these settings is recorded as. */
static json_t *summary_maker(const struct config *c)
{
	const char *engine = stages_summarize_engine(c);

	if (c->summary_provider != SUMMARY_PROVIDER_OPENAI)
		return json_string(engine);
	return json_sprintf("%s:%s", engine, c->openai_summary_model ? c->openai_summary_model : "");
}

static json_t *output_value(const struct config *c, unsigned bit)
{
	return bit == OUT_SUMMARY ? summary_maker(c) : json_true();
}

/* True when <feed_dir>/rel exists. */
static bool on_disk(const struct episode_job *ej, const char *rel)
{
	char *path = rel ? fs_join(ej->fj->dir, rel) : NULL;
	bool there = path && fs_exists(path);

	free(path);
	return there;
}

/* The file the state row names under key, when it is still there (caller frees). */
static char *named_file(const struct episode_job *ej, json_t *files, const char *key)
{
	const char *rel = json_string_value(json_object_get(files, key));

	return rel && on_disk(ej, rel) ? pc_strdup(rel) : NULL;
}

/* The file the state row names, else the one where it would be, if there (caller frees). */
static char *kept_file(const struct episode_job *ej, json_t *files, const char *key,
		       enum store_file kind, const char *ext)
{
	char *rel = named_file(ej, files, key);

	if (rel)
		return rel;
	rel = store_relpath(kind, ej->stem, ext);
	if (on_disk(ej, rel))
		return rel;
	free(rel);
	return NULL;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The metadata document of a format, as named by the row or where it would be. */
static bool metadata_on_disk(const struct episode_job *ej, json_t *files, enum store_file kind,
			     const char *suffix)
{
	char *named = named_file(ej, files, "metadata");
	char *rel = store_relpath(kind, ej->stem, NULL);
	bool there = (named && has_suffix(named, suffix)) || on_disk(ej, rel);

	free(named);
	free(rel);
	return there;
}

/*
 * Whether a summary was made: the summarizer's input is kept as .cleaned.txt
 * unless save_cleaned_transcript is off, so the metadata document's own
 * "summary" field is the answer when that file is gone.
 */
static bool summary_on_disk(const struct episode_job *ej, json_t *files)
{
	struct sbuf err = SBUF_INIT(4096);
	char *f = kept_file(ej, files, "cleaned", STORE_TRANSCRIPT, "cleaned.txt");
	char *meta = f ? NULL : named_file(ej, files, "metadata");
	json_t *doc = NULL;
	bool made = f != NULL;

	if (!meta)
		meta = store_relpath(STORE_METADATA_JSON, ej->stem, NULL);
	if (!made && on_disk(ej, meta) && store_metadata_read(ej->fj->dir, meta, &doc, &err) == 0) {
		json_t *summary = json_object_get(doc, "summary");

		made = summary && !json_is_null(summary);
	}
	json_decref(doc);
	free(f);
	free(meta);
	sbuf_release(&err);
	return made;
}

/* A row from before outputs were recorded: what its files show. */
static json_t *outputs_on_disk(const struct episode_job *ej, json_t *files)
{
	json_t *had = json_object();
	char *f;

	if (metadata_on_disk(ej, files, STORE_METADATA_JSON, ".json"))
		json_object_set_new(had, "metadata.json", json_true());
	if (metadata_on_disk(ej, files, STORE_METADATA_YAML, ".yaml"))
		json_object_set_new(had, "metadata.yaml", json_true());
	if ((f = kept_file(ej, files, "screenplay", STORE_SCREENPLAY, NULL)))
		json_object_set_new(had, "screenplay", json_true());
	free(f);
	if (summary_on_disk(ej, files))
		json_object_set_new(had, "summary", json_null());
	return had;
}

static bool has_output(const struct config *c, json_t *had, size_t i)
{
	json_t *v = json_object_get(had, output_keys[i]), *want;
	bool same;

	if (!v || output_bits[i] != OUT_SUMMARY || json_is_null(v))
		return v != NULL;
	want = summary_maker(c);
	same = json_equal(v, want);
	json_decref(want);
	return same;
}

static unsigned outputs_missing(const struct config *c, json_t *had)
{
	unsigned asked = outputs_asked(c), missing = 0;

	for (size_t i = 0; i < ARRAY_SIZE(output_keys); i++)
		if ((asked & output_bits[i]) && !has_output(c, had, i))
			missing |= output_bits[i];
	return missing;
}

/* The files of the episode as the state row names them, for its index row and metadata. */
static void restore_files(struct episode_job *ej, json_t *files, const char *source)
{
	ej->text_rel = kept_file(ej, files, "text", STORE_TEXT, NULL);
	ej->transcript_rel = kept_file(ej, files, "transcript", STORE_TEXT, NULL);
	ej->segments_rel = kept_file(ej, files, "segments", STORE_SEGMENTS, NULL);
	ej->screenplay_rel = kept_file(ej, files, "screenplay", STORE_SCREENPLAY, NULL);
	ej->cleaned_rel = kept_file(ej, files, "cleaned", STORE_TRANSCRIPT, "cleaned.txt");
	ej->media_rel = named_file(ej, files, "media");
	ej->metadata_rel = named_file(ej, files, "metadata");
	if (!ej->metadata_rel)
		ej->metadata_rel = kept_file(ej, files, "", STORE_METADATA_JSON, NULL);
	if (!ej->metadata_rel)
		ej->metadata_rel = kept_file(ej, files, "", STORE_METADATA_YAML, NULL);
	ej->transcript_source = source && !strcmp(source, "whisper_transcription") ?
				"whisper_transcription" : "direct_download";
}

bool update_plan(struct episode_job *ej, const struct store_episode_state *es)
{
	const struct config *c = ej->fj->run->cfg;
	json_t *files = es->files ? json_loads(es->files, 0, NULL) : NULL;
	json_t *had = es->outputs ? json_loads(es->outputs, 0, NULL) : NULL;

	if (!json_is_object(had)) {
		json_decref(had);
		had = outputs_on_disk(ej, files);
	}
	ej->todo = outputs_missing(c, had);
	ej->update = ej->todo != 0;
	if (ej->update) {
		ej->had = had;
		restore_files(ej, files, es->transcript_source);
	} else {
		json_decref(had);
	}
	json_decref(files);
	return ej->update;
}

bool update_wants(const struct episode_job *ej, unsigned out)
{
	return (outputs_asked(ej->fj->run->cfg) & out) && (!ej->update || (ej->todo & out));
}

void update_describe(unsigned todo, struct sbuf *out)
{
	static const char *const names[] = {
		"metadata (JSON)", "metadata (YAML)", "screenplay", "summary",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (todo & output_bits[i])
			sbuf_addf(out, "%s%s", out->len ? ", " : "", names[i]);
}

/* REUSE: the kept transcript back into segments, as the first run had them. */
void update_enter(struct episode_job *ej)
{
	const char *rel = ej->segments_rel ? ej->segments_rel : ej->transcript_rel;
	char *path = rel ? fs_join(ej->fj->dir, rel) : NULL;
	struct sbuf data = SBUF_INIT(TRANSCRIPT_MAX_BYTES), err = SBUF_INIT(4096);
	enum transcript_format fmt;
	struct sbuf why = SBUF_INIT(1024);

	update_describe(ej->todo, &why);
	log_info("write", "episode '%s': done before; adding %s from the kept transcript",
		 ej->stem, why.buf);
	/* stages not redone: their times come from the earlier document */
	ej->t_download = ej->t_decode = ej->t_transcribe = -1;
	if (!(ej->todo & OUT_SUMMARY))
		ej->t_summarize = -1;
	if (!path || fs_read_file(path, &data, &err) < 0) {
		episode_record_failure(ej, "parse", "the kept transcript is missing (%s); rerun "
				       "with --force to make it again", path ? err.buf : "no file");
		goto out;
	}
	fmt = ej->segments_rel ? TRANSCRIPT_JSON :
	      transcript_detect(NULL, NULL, rel, data.buf, data.len);
	if (transcript_parse(fmt, data.buf, data.len, &ej->segments, &err) < 0)
		episode_record_failure(ej, "parse", "the kept transcript '%s': %s; rerun with "
				       "--force to make it again", path, err.buf);
out:
	free(path);
	sbuf_release(&data);
	sbuf_release(&err);
	sbuf_release(&why);
}

char *update_outputs_json(const struct episode_job *ej)
{
	const struct config *c = ej->fj->run->cfg;
	json_t *o = ej->update ? json_deep_copy(ej->had) : json_object();
	unsigned asked = outputs_asked(c);
	char *s;

	for (size_t i = 0; i < ARRAY_SIZE(output_keys); i++)
		if (asked & output_bits[i])
			json_object_set_new(o, output_keys[i], output_value(c, output_bits[i]));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

unsigned update_metadata_formats(const struct episode_job *ej)
{
	unsigned asked = outputs_asked(ej->fj->run->cfg), had = 0;

	for (size_t i = 0; ej->update && i < 2; i++)
		if (json_object_get(ej->had, output_keys[i]))
			had |= output_bits[i];
	return (asked | had) & (OUT_METADATA_JSON | OUT_METADATA_YAML);
}

/*
 * Nulls of fresh (this run did not know them) filled from old, object by
 * object; fresh is our own document, a few levels deep.
 */
static void fill_nulls(json_t *fresh, json_t *old)
{
	const char *key;
	json_t *v;

	json_object_foreach(fresh, key, v) {
		json_t *was = json_object_get(old, key);

		if (!was)
			continue;
		if (json_is_null(v) && !json_is_null(was))
			json_object_set(fresh, key, was);
		else if (json_is_object(v) && json_is_object(was))
			fill_nulls(v, was);
	}
}

void update_keep_old(const struct episode_job *ej, json_t *fresh)
{
	struct sbuf err = SBUF_INIT(4096);
	json_t *old = NULL;

	if (!ej->update || !ej->metadata_rel)
		goto out;
	if (store_metadata_read(ej->fj->dir, ej->metadata_rel, &old, &err) < 0)
		log_warn("write", "episode '%s': %s; its metadata is written from this run alone",
			 ej->stem, err.buf);
	else
		fill_nulls(fresh, old);
	json_decref(old);
out:
	sbuf_release(&err);
}
