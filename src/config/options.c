/*
 * options.c - the options table.  Keep it sorted by key (a test checks).
 *
 * Defaults are text, parsed by the same code as user input, so what --help
 * shows is exactly what the program starts from.  How to write a row:
 * options.h.
 */
#include "config/options.h"
#include "log/log.h"

#include <stdlib.h>
#include <string.h>

/* Choice names, indexed by their C enum so the two cannot drift apart. */
static const char *const providers_asr[] = {
	[ASR_PROVIDER_POCKETSPHINX] = "pocketsphinx", [ASR_PROVIDER_OPENAI] = "openai", NULL,
};
static const char *const providers_summary[] = {
	[SUMMARY_PROVIDER_TEXTRANK] = "textrank", [SUMMARY_PROVIDER_OPENAI] = "openai", NULL,
};
static const char *const devices[] = {
	[DEVICE_AUTO] = "auto", [DEVICE_CPU] = "cpu", [DEVICE_CUDA] = "cuda",
	[DEVICE_MPS] = "mps", NULL,
};
static const char *const formats[] = {
	[METADATA_JSON] = "json", [METADATA_YAML] = "yaml", NULL,
};
static const char *const isolations[] = {
	[ISOLATION_PROCESS] = "process", [ISOLATION_INLINE] = "inline", NULL,
};
static const char *const cleanups[] = {
	[CLEANUP_STAGE] = "stage", [CLEANUP_EPISODE] = "episode", [CLEANUP_EXIT] = "exit",
	[CLEANUP_NONE] = "none", NULL,
};
static const char *const log_levels[] = {
	[LOG_ERROR] = "error", [LOG_WARN] = "warn", [LOG_INFO] = "info",
	[LOG_DEBUG] = "debug", NULL,
};

#define GiB (1024.0 * 1024 * 1024)

static const struct opt_def table[] = {
	OPT_PATH(asr_model_dir, 0, GROUP_TRANSCRIPTION, "/usr/share/pocketsphinx/model/en-us",
		"DIR",
		"speech model folder: acoustic model en-us/, en-us.lm.bin, cmudict-en-us.dict"),
	OPT_INT(asr_passes, 0, GROUP_TRANSCRIPTION, "1", 1, 2, "N",
		"local recognizer passes: 2 decodes again with the first pass's words in "
		"the show's language model (about twice the time)"),
	OPT_BOOL(auto_speakers, 0, GROUP_SPEAKERS, "true",
		"detect hosts and guests from the feed, titles and transcripts"),
	OPT_BOOL(clean_output, 0, GROUP_FEEDS, "false",
		"delete previous outputs of the feed before running"),
	OPT_PATH(crash_dir, 0, GROUP_ROBUSTNESS, ".", "DIR",
		"where crash_dump_<pid>.log files are written"),
	OPT_BOOL(crash_handler, 0, GROUP_ROBUSTNESS, "true",
		"write crash dumps with native backtraces on fatal signals"),
	OPT_INT(delay_ms, 0, GROUP_NETWORK, "0", 0, 600000, "MS",
		"pause between starting requests (politeness)"),
	OPT_TRISTATE(diarization, 0, GROUP_TRANSCRIPTION, "auto",
		"who spoke when, from the audio (auto: on whenever a transcript is made from it)"),
	OPT_BOOL(download_media, 0, GROUP_FEEDS, "false",
		"archive mode: download every selected episode's enclosure into media/, "
		"transcript or not"),
	OPT_BOOL(dry_run, 0, GROUP_FEEDS, "false",
		"read feeds and show what would be done; download and write nothing"),
	OPT_BOOL(fail_fast, 0, GROUP_ROBUSTNESS, "false",
		"stop the run at the first failed episode"),
	OPT_LIST(feeds, 0, GROUP_FEEDS, "URL",
		"feed URLs or paths, added to the FEED arguments (repeatable)"),
	OPT_PATH(feeds_file, 0, GROUP_FEEDS, NULL, "FILE",
		"read more feeds from FILE, one a line, # starts a comment"),
	OPT_BOOL(force, 'f', GROUP_FEEDS, "false", "reprocess episodes that are already done"),
	OPT_BOOL(generate_metadata, 0, GROUP_SUMMARIES, "true",
		"write metadata/<stem>.metadata.json|yaml per episode"),
	OPT_BOOL(generate_summaries, 0, GROUP_SUMMARIES, "false", "summarize every transcript"),
	OPT_INT(http_retries, 0, GROUP_NETWORK, "5", 0, 20, "N",
		"retries on connection errors, timeouts, 408, 429 and 5xx"),
	OPT_CHOICE(isolation, 0, GROUP_ROBUSTNESS, "process", isolations, ISOLATION__COUNT,
		"MODE", "run speech and summary engines in worker processes or inline"),
	OPT_BOOL(json_logs, 0, GROUP_LOGGING, "false", "log one JSON object a line"),
	OPT_BOOL(keep_media, 0, GROUP_FEEDS, "false",
		"keep downloaded enclosures under media/"),
	OPT_LIST(known_hosts, 0, GROUP_SPEAKERS, "NAME",
		"names of the show's hosts (repeatable)"),
	OPT_STRING(language, 0, GROUP_TRANSCRIPTION, "en", "LANG",
		"spoken language of the episodes"),
	OPT_PATH(log_file, 0, GROUP_LOGGING, NULL, "FILE", "also append log lines to FILE",
		.legacy_env = "LOG_FILE"),
	OPT_CHOICE(log_level, 0, GROUP_LOGGING, "info", log_levels, LOG_LEVEL__COUNT, "LEVEL",
		"least severe level logged", .legacy_env = "LOG_LEVEL"),
	OPT_INT(max_episodes, 'n', GROUP_FEEDS, "0", 0, 1e9, "N",
		"process at most N episodes per feed, newest first in feed order (0: all)"),
	OPT_INT(max_failures, 0, GROUP_ROBUSTNESS, "0", 0, 1e9, "N",
		"stop the run after N failed episodes (0: never)"),
	OPT_SIZE(max_feed_bytes, 0, GROUP_NETWORK, "50M", 1024, 4 * GiB, "BYTES",
		"largest feed document accepted"),
	OPT_SIZE(max_media_bytes, 0, GROUP_NETWORK, "2G", 1024, 64 * GiB, "BYTES",
		"largest media file accepted"),
	OPT_SIZE(max_transcript_bytes, 0, GROUP_NETWORK, "20M", 1024, 4 * GiB, "BYTES",
		"largest published transcript accepted"),
	OPT_CHOICE(metadata_format, 0, GROUP_SUMMARIES, "json", formats, METADATA__COUNT, "FMT",
		"metadata file format"),
	OPT_STRING(metadata_subdirectory, 0, GROUP_SUMMARIES, "metadata", "DIR",
		"folder of the feed folder that metadata files go in (relative, inside it)"),
	OPT_PATH(metrics_output, 0, GROUP_SUMMARIES, NULL, "FILE",
		"also write the run's metrics.json here (several feeds: one entry each)"),
	OPT_CHOICE(model_cleanup, 0, GROUP_ROBUSTNESS, "stage", cleanups, CLEANUP__COUNT,
		"WHEN",
		"free engines after every episode, when a stage drains, at exit, or never"),
	OPT_BOOL(mps_exclusive, 0, GROUP_ROBUSTNESS, "true",
		"stages sharing an accelerator never overlap", .legacy_env = "MPS_EXCLUSIVE",
		.alias = "gpu_exclusive"),
	OPT_INT(num_speakers, 0, GROUP_SPEAKERS, "2", 1, 20, "N",
		"speakers to rotate through in a screenplay without voice labels"),
	OPT_STRING(openai_api_base, 0, GROUP_REMOTE, "https://api.openai.com/v1", "URL",
		"base URL of an OpenAI-compatible server", .legacy_env = "OPENAI_API_BASE"),
	OPT_STRING(openai_api_key, 0, GROUP_REMOTE, NULL, "KEY",
		"API key (environment only: OPENAI_API_KEY); never logged or written",
		.legacy_env = "OPENAI_API_KEY", .flags = OPT_SECRET | OPT_NO_FLAG),
	OPT_STRING(openai_summary_model, 0, GROUP_REMOTE, "gpt-4o-mini", "MODEL",
		"chat model used by summary_provider openai"),
	OPT_DOUBLE(openai_temperature, 0, GROUP_REMOTE, "0.3", 0, 2, "T",
		"sampling temperature for remote summaries"),
	OPT_STRING(openai_transcription_model, 0, GROUP_REMOTE, "whisper-1", "MODEL",
		"speech model used by transcription_provider openai"),
	OPT_PATH(opml, 0, GROUP_FEEDS, NULL, "FILE", "read more feeds from an OPML file"),
	OPT_PATH(output_dir, 'o', GROUP_FEEDS, NULL, "DIR",
		"output folder (default: output/rss_<host>_<hash> for one feed, output for "
		"several)",
		.legacy_env = "OUTPUT_DIR"),
	OPT_LIST(prefer_type, 0, GROUP_FEEDS, "TYPE",
		"preferred transcript type, MIME substring or URL suffix, in order (repeatable)"),
	OPT_BOOL(preprocessing_enabled, 0, GROUP_TRANSCRIPTION, "true",
		"normalize loudness and trim long silences before recognition"),
	OPT_DOUBLE(preprocessing_silence_duration, 0, GROUP_TRANSCRIPTION, "2", 0.5, 86400,
		"SECONDS", "preprocessing cuts silences longer than this down to half a second"),
	OPT_STRING(preprocessing_silence_threshold, 0, GROUP_TRANSCRIPTION, "-45dB", "DB",
		"preprocessing counts 10 ms frames quieter than this (dBFS) as silence"),
	OPT_TRISTATE(progress, 0, GROUP_LOGGING, "auto",
		"progress bars (auto: only when stderr is a terminal)"),
	OPT_BOOL(quiet, 'q', GROUP_LOGGING, "false", "only warnings and errors on stderr"),
	OPT_BOOL(rebuild_state, 0, GROUP_FEEDS, "false",
		"move a corrupted state.sqlite aside (state.sqlite.corrupt-<time>) and rebuild "
		"it from the files on disk: episodes whose metadata exists are done"),
	OPT_BOOL(reuse_media, 0, GROUP_FEEDS, "false",
		"use media already under media/ instead of downloading again"),
	OPT_STRING(rss, 0, GROUP_FEEDS, NULL, "URL",
		"one feed URL, added to the FEED arguments"),
	OPT_STRING(run_id, 0, GROUP_FEEDS, NULL, "ID",
		"name of this run under runs/ (default: UTC time + random suffix)"),
	OPT_BOOL(save_cleaned_transcript, 0, GROUP_SUMMARIES, "true",
		"keep transcripts/<stem>.cleaned.txt, the text the summarizer read"),
	OPT_BOOL(screenplay, 0, GROUP_SPEAKERS, "false",
		"also write transcripts as 'Name: text' turns"),
	OPT_DOUBLE(screenplay_gap, 0, GROUP_SPEAKERS, "1.25", 0, 60, "SECONDS",
		"a pause longer than this starts a new speaker turn"),
	OPT_STRING(shard, 0, GROUP_FEEDS, NULL, "K/N",
		"only the feeds whose URL hash falls in shard K of N (K from 0); auto reads "
		"JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (see docs/SCALE.md)"),
	OPT_DATE(since, 0, GROUP_FEEDS, "DATE",
		"only episodes published on or after DATE (YYYY-MM-DD)"),
	OPT_BOOL(skip_existing, 0, GROUP_FEEDS, "true",
		"skip episodes already done (accepted for compatibility; see --force)"),
	OPT_LIST(speaker_names, 0, GROUP_SPEAKERS, "NAME",
		"speaker names to use instead of detection, host first (repeatable)"),
	OPT_INT(stage_retries, 0, GROUP_ROBUSTNESS, "2", 0, 10, "N",
		"retries of an episode's stage after a worker crash or timeout"),
	OPT_INT(summarization_timeout, 0, GROUP_SUMMARIES, "600", 1, 86400, "SECONDS",
		"a summary taking longer is killed and retried"),
	OPT_INT(summarization_workers, 0, GROUP_SUMMARIES, "1", 1, 16, "N",
		"parallel summarization workers"),
	OPT_INT(summary_chunk_size, 0, GROUP_SUMMARIES, "3000", 100, 1000000, "TOKENS",
		"openai summaries: map-reduce chunk size in tokens (about 4 characters each)"),
	OPT_CHOICE(summary_device, 0, GROUP_SUMMARIES, "auto", devices, DEVICE__COUNT, "DEVICE",
		"where summarization runs", .legacy_env = "SUMMARY_DEVICE"),
	OPT_STRING(summary_prompt, 0, GROUP_SUMMARIES, NULL, "TEXT",
		"openai summaries: instructions sent instead of the built-in ones (the "
		"answer format is still asked for)"),
	OPT_CHOICE(summary_provider, 0, GROUP_SUMMARIES, "textrank", providers_summary,
		SUMMARY_PROVIDER__COUNT, "ENGINE", "summarization engine"),
	OPT_INT(summary_sentences, 0, GROUP_SUMMARIES, "5", 1, 50, "N",
		"sentences in the short summary"),
	OPT_INT(threads, 0, GROUP_ROBUSTNESS, "1", 1, 256, "N",
		"threads per worker; sets OMP_NUM_THREADS and MKL_NUM_THREADS unless set"),
	OPT_INT(timeout, 0, GROUP_NETWORK, "20", 1, 3600, "SECONDS",
		"connect timeout; a transfer below 1 KiB/s for this long is stalled",
		.legacy_env = "TIMEOUT"),
	OPT_BOOL(transcribe_missing, 0, GROUP_TRANSCRIPTION, "true",
		"transcribe the audio of episodes without a published transcript"),
	OPT_CHOICE(transcription_provider, 0, GROUP_TRANSCRIPTION, "pocketsphinx",
		providers_asr, ASR_PROVIDER__COUNT, "ENGINE", "speech recognition engine"),
	OPT_INT(transcription_timeout, 0, GROUP_TRANSCRIPTION, "1800", 1, 86400, "SECONDS",
		"a transcription is killed and retried after this long plus "
		"transcription_timeout_per_audio_second for each second of its audio"),
	OPT_DOUBLE(transcription_timeout_per_audio_second, 0, GROUP_TRANSCRIPTION, "1", 0,
		3600, "SECONDS",
		"time a transcription gets per second of its audio, on top of "
		"transcription_timeout (0: transcription_timeout alone)"),
	OPT_INT(transcription_workers, 0, GROUP_TRANSCRIPTION, "0", 0, 64, "N",
		"parallel speech decoders (0: one per core within the memory budget: one for pocketsphinx)"),
	OPT_DATE(until, 0, GROUP_FEEDS, "DATE",
		"only episodes published on or before DATE (YYYY-MM-DD)"),
	OPT_STRING(user_agent, 0, GROUP_NETWORK, "podcast_scraper/" PC_VERSION, "UA",
		"User-Agent header sent with every request"),
	OPT_BOOL(wait_lock, 0, GROUP_FEEDS, "false",
		"when another run holds a feed folder's lock, wait for it instead of failing"),
	OPT_STRING(watch, 0, GROUP_FEEDS, NULL, "INTERVAL",
		"run, sleep INTERVAL (90s, 30m, 6h), run again, until SIGTERM or SIGINT; "
		"SIGHUP rereads the config"),
	OPT_CHOICE(whisper_device, 0, GROUP_TRANSCRIPTION, "auto", devices, DEVICE__COUNT,
		"DEVICE", "where transcription runs", .legacy_env = "WHISPER_DEVICE"),
	OPT_STRING(whisper_model, 0, GROUP_TRANSCRIPTION, "base", "MODEL",
		"kept for compatibility; with transcription_provider openai, a model name "
		"other than the local sizes (tiny, base, small, medium, large*) picks the remote "
		"model"),
	/*
	 * Measured VmPeak (2 cores, flite speech, asr_passes 2, diarization,
	 * summaries): transcription worker on a 4 s clip 539 MB with 1 decoder,
	 * 769 MB with 2, 1.30 GB with 4, 2.30 GB with 8 (about 290 MB + 250 MB
	 * a decoder); 905 MB with 2 on 150 s of dialogue; summarization worker
	 * 207 MB.  2G per engine instance leaves 3.5x to 7x that.
	 */
	OPT_SIZE(worker_memory_limit, 0, GROUP_ROBUSTNESS, "2G", 0, 1024 * GiB, "BYTES",
		"address-space limit (RLIMIT_AS) of a worker process per engine instance "
		"(a transcription worker with N decoders gets N times this); a worker that "
		"exceeds it fails its episode, not the run (0: no limit)"),
	OPT_INT(workers, 'w', GROUP_NETWORK, "8", 1, 64, "N", "parallel transfers",
		.legacy_env = "WORKERS"),
};

const struct opt_def *options_table(size_t *nr)
{
	*nr = ARRAY_SIZE(table);
	return table;
}

static int compare_key(const void *key, const void *entry)
{
	return strcmp(key, ((const struct opt_def *)entry)->key);
}

const struct opt_def *options_find(const char *key)
{
	const struct opt_def *d = bsearch(key, table, ARRAY_SIZE(table),
					  sizeof(table[0]), compare_key);

	if (d)
		return d;
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].alias && !strcmp(table[i].alias, key))
			return &table[i];
	return NULL;
}

const char *options_group_title(enum opt_group g)
{
	static const char *const titles[GROUP__COUNT] = {
		"Feeds and selection", "Network", "Transcription", "Speakers",
		"Summaries and metadata", "Remote models (OpenAI-compatible)",
		"Robustness", "Logging",
	};
	return titles[g];
}
