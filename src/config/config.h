/*
 * config.h - the run configuration: one struct, filled in layers.
 *
 * Layers, lowest first: built-in defaults, the config file (YAML or JSON,
 * from --config or PODCAST_SCRAPER_CONFIG), the environment
 * (PODCAST_SCRAPER_<KEY> and a few legacy names), then command-line flags.
 * Every key, its type, range, default, env names and help text come from the
 * options schema in config/options.h, so parsing, --help and the docs cannot
 * drift apart.
 *
 * Errors name where the bad value came from: "config 'x.yaml' line 3: key
 * 'workers': 0 is out of range (1..64)", "environment WORKERS: ...",
 * "option --workers: ...".  Flag errors are usage errors (exit 2), file and
 * environment errors are configuration errors (exit 1).
 *
 * Ownership: struct config owns all its strings and lists;
 * config_release() frees them.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "util/pc.h"
#include "util/sbuf.h"
#include "util/strlist.h"

#include <time.h>

/*
 * Enum-valued keys; the options table (config/options.c) names each value,
 * and a compile-time check there keeps the names and the __COUNT in step.
 */
enum transcription_provider {
	ASR_PROVIDER_POCKETSPHINX, ASR_PROVIDER_OPENAI, ASR_PROVIDER__COUNT
};
enum summary_provider {
	SUMMARY_PROVIDER_TEXTRANK, SUMMARY_PROVIDER_OPENAI, SUMMARY_PROVIDER__COUNT
};
enum device_kind { DEVICE_AUTO, DEVICE_CPU, DEVICE_CUDA, DEVICE_MPS, DEVICE__COUNT };
enum metadata_format { METADATA_JSON, METADATA_YAML, METADATA__COUNT };
enum isolation_mode { ISOLATION_PROCESS, ISOLATION_INLINE, ISOLATION__COUNT };
enum model_cleanup {
	CLEANUP_STAGE, CLEANUP_EPISODE, CLEANUP_EXIT, CLEANUP_NONE, CLEANUP__COUNT
};
enum tristate { TRI_AUTO, TRI_ON, TRI_OFF };

struct config {
	/* feeds & selection */
	char *rss;
	struct strlist feeds;
	char *feeds_file;
	char *opml;
	char *output_dir;
	long max_episodes;          /* 0: all */
	time_t since, until;        /* 0: unset */
	struct strlist prefer_type;
	bool dry_run, force, skip_existing, clean_output, keep_media, reuse_media;
	bool wait_lock, rebuild_state;
	bool download_media;
	char *run_id;
	char *shard;                /* "K/N", "auto" or NULL */
	char *watch;                /* interval text, or NULL: run once */
	/* network */
	long workers, timeout, delay_ms, http_retries;
	char *user_agent;
	long long max_feed_bytes, max_media_bytes, max_transcript_bytes;
	/* transcription */
	bool transcribe_missing;
	int transcription_provider;
	char *whisper_model, *language, *asr_model_dir;
	int whisper_device;
	long transcription_workers, transcription_timeout, asr_passes;
	double transcription_timeout_per_audio_second;
	bool preprocessing_enabled;
	double preprocessing_silence_duration;
	char *preprocessing_silence_threshold; /* "-45dB": see config_silence_db() */
	int diarization;            /* enum tristate: auto = on for local engines */
	/* speakers */
	bool auto_speakers, screenplay;
	struct strlist known_hosts, speaker_names;
	double screenplay_gap;
	long num_speakers;
	/* summaries & metadata */
	bool generate_metadata, generate_summaries, save_cleaned_transcript;
	int metadata_format, summary_provider, summary_device;
	long summary_sentences, summarization_workers, summarization_timeout;
	long summary_chunk_size;    /* openai map-reduce chunk, in tokens */
	char *summary_prompt;       /* openai instructions; NULL: built in */
	char *metadata_subdirectory;
	char *metrics_output;       /* NULL or "": only runs/<id>/metrics.json */
	/* remote models */
	char *openai_api_base, *openai_api_key;
	char *openai_transcription_model, *openai_summary_model;
	double openai_temperature;
	/* robustness */
	int isolation, model_cleanup;
	long stage_retries, threads, max_failures;
	long long worker_memory_limit;
	bool mps_exclusive, crash_handler, fail_fast;
	char *crash_dir;
	/* logging */
	int log_level;
	char *log_file;
	bool json_logs, quiet;
	int progress;

	/* Not options: where the config came from, for messages and the manifest. */
	char *config_path;
	struct strlist positional;  /* FEED... / AUDIO / TEXT */
	/* What happens instead of Python-tool settings we lack; logged once each. */
	struct strlist compat_notes;
};

/* Fills c with built-in defaults. */
void config_init(struct config *c);
void config_release(struct config *c);

/* Where a value came from, for error messages. */
struct config_origin {
	const char *file;   /* config file, or NULL */
	long line;
	const char *env;    /* environment variable name, or NULL */
	const char *flag;   /* "--workers", or NULL */
};

/* Applies a YAML or JSON config file (by extension; others are errors). */
int config_load_file(struct config *c, const char *path, struct sbuf *err);
/*
 * Applies a JSON config read from fd, from its start to its end (at most
 * the size a config file may have), without moving fd's offset: how a
 * worker reads the snapshot its pool hands it.  fd stays open.
 */
int config_load_fd(struct config *c, int fd, struct sbuf *err);
/* Applies PODCAST_SCRAPER_<KEY> and legacy variables from environ. */
int config_load_env(struct config *c, struct sbuf *err);
/*
 * Sets key (as in the options table) from its text form.  Lists append
 * value unless replace_list.  Returns -PC_EUSAGE with err naming origin.
 */
int config_set(struct config *c, const char *key, const char *value,
	       const struct config_origin *origin, bool replace_list, struct sbuf *err);
/* Cross-key checks after all layers (e.g. since <= until). */
int config_validate(const struct config *c, struct sbuf *err);

/* The logging settings of c for a process of the given role (pointers into c). */
struct log_options;
void config_log_options(const struct config *c, const char *role, struct log_options *out);

/*
 * preprocessing_silence_threshold in dBFS: "-50dB", "-50 dB" or "-50".
 * Returns 0, or -PC_EUSAGE when text is not a level from -100 to -1 dB.
 */
int config_silence_db(const char *text, double *out);

/* "auto", "cpu", "cuda", "mps" for an enum device_kind (the options table's names). */
const char *config_device_name(int device);

/* Text form of one key's current value (caller frees), as shown in --help. */
char *config_value_text(const struct config *c, const char *key);
/* The whole config as JSON (jansson json_t *, caller decrefs); secrets omitted. */
struct json_t;
struct json_t *config_to_json(const struct config *c);

#endif
