/*
 * compat.c - the Python podcast_scraper's config keys, flags, values and
 * environment variables, and what each means here.
 *
 * Users switching from the Python tool keep their configs and command
 * lines.  Every name of that tool is in one of three places: the options
 * table (same name, same meaning), the rows below (another of our keys, or
 * accepted with a note saying what happens instead), or a provider family
 * we do not have (gemini_*, mistral_*, ...), accepted with one note.  The
 * notes are collected in struct config and logged once each after logging
 * is set up, so nothing the user asked for is silently dropped.
 */
#include "config/options.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define N_NOT_USED "is accepted and not used"

static const struct compat_row rows[] = {
	{ "append", COMPAT_NOTE, false, NULL, "reruns always resume: finished episodes "
	  "are kept and skipped (state.sqlite)" },
	{ "cache_detected_hosts", COMPAT_NOTE, false, NULL, "hosts are detected from the "
	  "feed once per run and used for every episode" },
	{ "cache_dir", COMPAT_NOTE, true, NULL, "no model cache is kept: the speech model "
	  "is read from asr_model_dir, summaries need no model files" },
	{ "cache_info", COMPAT_NOTE, false, NULL, "no model cache is kept (the speech "
	  "model is read from asr_model_dir); nothing to show" },
	{ "enable_preprocessing", COMPAT_KEY, false, "preprocessing_enabled", NULL },
	{ "episode_since", COMPAT_KEY, true, "since", NULL },
	{ "episode_until", COMPAT_KEY, true, "until", NULL },
	{ "http_retry_total", COMPAT_KEY, true, "http_retries", NULL },
	{ "ner_model", COMPAT_NOTE, true, NULL, "speakers are found by rules over feed "
	  "tags, titles and transcript voices; no NER model is loaded" },
	{ "openai_max_tokens", COMPAT_NOTE, true, NULL, "the server's default reply "
	  "length is used" },
	{ "openai_speaker_model", COMPAT_NOTE, true, NULL, "speakers are found by rules; "
	  "the chat endpoint is used for summaries only" },
	{ "prefer_types", COMPAT_KEY, true, "prefer_type", NULL },
	{ "preprocessing_cache_dir", COMPAT_NOTE, true, NULL, "audio is decoded and "
	  "preprocessed while it is transcribed, in memory; nothing is cached on disk" },
	{ "preprocessing_sample_rate", COMPAT_NOTE, true, NULL, "audio is always "
	  "resampled to 16000 Hz mono, what the recognizer needs" },
	{ "preprocessing_target_loudness", COMPAT_NOTE, true, NULL, "preprocessing has no "
	  "LUFS target: it lifts quiet speech (at most 10x) so that peaks reach -1 dBFS "
	  "(turn it off with preprocessing_enabled: false)" },
	{ "processing_parallelism", COMPAT_KEY, true, "summarization_workers", NULL },
	{ "prune_cache", COMPAT_NOTE, false, NULL, "no model cache is kept; nothing to "
	  "prune" },
	{ "rss_file", COMPAT_KEY, true, "feeds_file", NULL },
	{ "rss_urls", COMPAT_KEY, true, "feeds", NULL },
	{ "screenplay_num_speakers", COMPAT_KEY, true, "num_speakers", NULL },
	{ "screenplay_speaker_names", COMPAT_KEY, true, "speaker_names", NULL },
	{ "seed", COMPAT_NOTE, true, NULL, "every engine here is deterministic" },
	{ "speaker_detector_provider", COMPAT_NOTE, true, NULL, "speakers are found by "
	  "rules over feed tags, titles and transcript voices (no spaCy or chat model)" },
	{ "summary_batch_size", COMPAT_KEY, true, "summarization_workers", NULL },
	{ "summary_cache_dir", COMPAT_NOTE, true, NULL, "summaries need no model files" },
	{ "summary_chunk_parallelism", COMPAT_NOTE, true, NULL, "chunks of one episode are "
	  "summarized in turn; use summarization_workers for parallel episodes" },
	{ "summary_map_params", COMPAT_NOTE, true, NULL, "no transformer model runs here; "
	  "summary_sentences sets the summary length" },
	{ "summary_max_length", COMPAT_NOTE, true, NULL, "summary_sentences sets the "
	  "summary length" },
	{ "summary_min_length", COMPAT_NOTE, true, NULL, "summary_sentences sets the "
	  "summary length" },
	{ "summary_model", COMPAT_NOTE, true, NULL, "local summaries use the embedded "
	  "textrank summarizer; openai_summary_model names the remote model" },
	{ "summary_reduce_model", COMPAT_NOTE, true, NULL, "local summaries use the embedded "
	  "textrank summarizer; openai_summary_model names the remote model" },
	{ "summary_reduce_params", COMPAT_NOTE, true, NULL, "no transformer model runs here; "
	  "summary_sentences sets the summary length" },
	{ "summary_tokenize", COMPAT_NOTE, true, NULL, "no tokenizer runs here" },
	{ "summary_word_chunk_size", COMPAT_NOTE, true, NULL, "openai summaries cut the "
	  "transcript into chunks of summary_chunk_size tokens" },
	{ "summary_word_overlap", COMPAT_NOTE, true, NULL, "openai summaries cut the "
	  "transcript into chunks of summary_chunk_size tokens" },
	{ "transcription_device", COMPAT_KEY, true, "whisper_device", NULL },
	{ "transcription_parallelism", COMPAT_KEY, true, "transcription_workers", NULL },
};

/* Families of keys of providers we do not have: one note for each family. */
static const char *const foreign_providers[] = {
	"anthropic", "deepseek", "gemini", "grok", "mistral", "ollama",
};

/* Settings the Python tool has for each of those providers (flags too). */
static const char *const foreign_settings[] = {
	"api_base", "api_key", "cleaning_model", "cleaning_temperature", "max_tokens",
	"speaker_model", "summary_model", "temperature", "timeout", "transcription_model",
};

/* The Python tool's environment variables that are not PODCAST_SCRAPER_<KEY>. */
static const struct compat_env envs[] = {
	{ "CACHE_DIR", "cache_dir" },
	{ "OPENAI_TEMPERATURE", "openai_temperature" },
	{ "PROCESSING_PARALLELISM", "processing_parallelism" },
	{ "SUMMARY_BATCH_SIZE", "summary_batch_size" },
	{ "SUMMARY_CACHE_DIR", "summary_cache_dir" },
	{ "SUMMARY_CHUNK_PARALLELISM", "summary_chunk_parallelism" },
	{ "TRANSCRIPTION_PARALLELISM", "transcription_parallelism" },
};

/* Python values of our choice keys. */
static const struct compat_value values[] = {
	{ "log_level", "critical", "error", NULL },
	{ "log_level", "warning", "warn", NULL },
	{ "summary_provider", "hybrid_ml", "textrank", "transformer summarizers do not run "
	  "here; the embedded textrank summarizer is used" },
	{ "summary_provider", "transformers", "textrank", "transformer summarizers do not run "
	  "here; the embedded textrank summarizer is used" },
	{ "transcription_provider", "whisper", "pocketsphinx", "Whisper weights are not used "
	  "locally: the embedded recognizer (pocketsphinx) transcribes; to use a Whisper "
	  "server, set transcription_provider: openai and openai_api_base to its URL "
	  "(docs/REMOTE.md)" },
};

const struct compat_row *compat_rows(size_t *nr)
{
	*nr = ARRAY_SIZE(rows);
	return rows;
}

const struct compat_env *compat_envs(size_t *nr)
{
	*nr = ARRAY_SIZE(envs);
	return envs;
}

void compat_each_key(void (*fn)(void *ctx, const char *key, bool takes_value), void *ctx)
{
	char key[64];

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		fn(ctx, rows[i].name, rows[i].takes_value);
	for (size_t i = 0; i < ARRAY_SIZE(foreign_providers); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(foreign_settings); j++) {
			snprintf(key, sizeof(key), "%s_%s", foreign_providers[i],
				 foreign_settings[j]);
			fn(ctx, key, true);
		}
	}
}

static int compare_row(const void *key, const void *entry)
{
	return strcmp(key, ((const struct compat_row *)entry)->name);
}

static const char *foreign_family(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(foreign_providers); i++) {
		size_t n = strlen(foreign_providers[i]);

		if (!strncmp(key, foreign_providers[i], n) && key[n] == '_')
			return foreign_providers[i];
	}
	return NULL;
}

const struct compat_row *compat_find(const char *key)
{
	static struct compat_row family = { NULL, COMPAT_NOTE, true, NULL, NULL };
	const struct compat_row *r = bsearch(key, rows, ARRAY_SIZE(rows), sizeof(rows[0]),
					     compare_row);

	if (r || !foreign_family(key))
		return r;
	family.name = key;
	family.note = "is for a provider we do not have; transcription uses "
		      "transcription_provider (pocketsphinx or openai), summaries "
		      "summary_provider (textrank or openai)";
	return &family;
}

/* Adds one note unless the same text is there already. */
PC_PRINTF(2, 3) static void add_note(struct config *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!strlist_has(&c->compat_notes, line))
		strlist_push(&c->compat_notes, line);
}

/* A provider family's keys share one note, so it shows once. */
static void note_key(struct config *c, const char *key, const char *note)
{
	const char *fam = foreign_family(key);

	if (fam)
		add_note(c, "%s_* keys %s", fam, note);
	else
		add_note(c, "key '%s' %s: %s", key, N_NOT_USED, note);
}

void compat_note(struct config *c, const char *key, const struct compat_row *r)
{
	note_key(c, key, r->note);
}

/*
 * Settings of the openai summarizer given while another engine summarizes:
 * said once, as they change nothing.
 */
void compat_check_unused(struct config *c)
{
	const struct opt_def *chunk = options_find("summary_chunk_size");
	bool textrank = c->summary_provider != SUMMARY_PROVIDER_OPENAI;

	if (!c->generate_summaries || !textrank)
		return;
	if (c->summary_prompt)
		add_note(c, "key 'summary_prompt' is used by summary_provider openai only; "
			 "the textrank summarizer picks sentences of the transcript");
	if (chunk && c->summary_chunk_size != strtol(chunk->def, NULL, 10))
		add_note(c, "key 'summary_chunk_size' is used by summary_provider openai "
			 "only; the textrank summarizer reads the whole transcript at once");
}

/* A foreign provider value: the local engine of that kind, with a note. */
static const char *foreign_value(struct config *c, const char *key, const char *v)
{
	const char *ours = !strcmp(key, "transcription_provider") ? "pocketsphinx" :
			   !strcmp(key, "summary_provider") ? "textrank" : NULL;

	for (size_t i = 0; ours && i < ARRAY_SIZE(foreign_providers); i++) {
		if (!strcasecmp(v, foreign_providers[i])) {
			add_note(c, "%s '%s' is not a provider here; '%s' is used "
				 "(or openai with an OpenAI-compatible server)", key, v, ours);
			return ours;
		}
	}
	return v;
}

const char *compat_value(struct config *c, const char *key, const char *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		if (strcmp(values[i].key, key) || strcasecmp(values[i].python, v))
			continue;
		if (values[i].note)
			add_note(c, "%s '%s': %s", key, v, values[i].note);
		return values[i].ours;
	}
	return foreign_value(c, key, v);
}

/* Edit distance, capped: names are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

static void closer(const char *key, const char *cand, const char **best, size_t *bd)
{
	size_t d = distance(key, cand);

	if (d < *bd) {
		*bd = d;
		*best = cand;
	}
}

const char *compat_suggest(const char *key)
{
	size_t nr, bd = 99;
	const struct opt_def *t = options_table(&nr);
	const char *best = NULL;

	for (size_t i = 0; i < nr; i++)
		closer(key, t[i].key, &best, &bd);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		closer(key, rows[i].name, &best, &bd);
	/* a guess farther than a third of the name helps nobody */
	return bd <= 1 + strlen(key) / 3 ? best : NULL;
}
