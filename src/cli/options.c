/*
 * options.c - the options table.  Keep it sorted by key (a test checks).
 *
 * Defaults are text, parsed by the same code as user input, so what --help
 * shows is exactly what the program starts from.
 */
#include "cli/options.h"
#include "config/config.h"

#include <stdlib.h>
#include <string.h>

static const char *const providers_asr[] = { "pocketsphinx", "openai", NULL };
static const char *const providers_summary[] = { "textrank", "openai", NULL };
static const char *const devices[] = { "auto", "cpu", "cuda", "mps", NULL };
static const char *const formats[] = { "json", "yaml", NULL };
static const char *const isolations[] = { "process", "inline", NULL };
static const char *const cleanups[] = { "stage", "episode", "exit", "none", NULL };
static const char *const log_levels[] = { "error", "warn", "info", "debug", NULL };

#define OFF(field) offsetof(struct config, field)
#define GiB (1024.0 * 1024 * 1024)

static const struct opt_def table[] = {
	{ "asr_model_dir", 0, OPT_PATH, GROUP_TRANSCRIPTION, OFF(asr_model_dir),
	  "/usr/share/pocketsphinx/model/en-us", NULL, 0, 0, "DIR", NULL, NULL, 0,
	  "speech model folder: acoustic model en-us/, en-us.lm.bin, cmudict-en-us.dict" },
	{ "auto_speakers", 0, OPT_BOOL, GROUP_SPEAKERS, OFF(auto_speakers),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "detect hosts and guests from the feed, titles and transcripts" },
	{ "clean_output", 0, OPT_BOOL, GROUP_FEEDS, OFF(clean_output),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "delete previous outputs of the feed before running" },
	{ "crash_dir", 0, OPT_PATH, GROUP_ROBUSTNESS, OFF(crash_dir),
	  ".", NULL, 0, 0, "DIR", NULL, NULL, 0,
	  "where crash_dump_<pid>.log files are written" },
	{ "crash_handler", 0, OPT_BOOL, GROUP_ROBUSTNESS, OFF(crash_handler),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "write crash dumps with native backtraces on fatal signals" },
	{ "delay_ms", 0, OPT_INT, GROUP_NETWORK, OFF(delay_ms),
	  "0", NULL, 0, 600000, "MS", NULL, NULL, 0,
	  "pause between starting requests (politeness)" },
	{ "download_media", 0, OPT_BOOL, GROUP_FEEDS, OFF(download_media),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "archive mode: download every selected episode's enclosure into media/, "
	  "transcript or not" },
	{ "dry_run", 0, OPT_BOOL, GROUP_FEEDS, OFF(dry_run),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "read feeds and show what would be done; download and write nothing" },
	{ "fail_fast", 0, OPT_BOOL, GROUP_ROBUSTNESS, OFF(fail_fast),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "stop the run at the first failed episode" },
	{ "feeds", 0, OPT_LIST, GROUP_FEEDS, OFF(feeds),
	  NULL, NULL, 0, 0, "URL", NULL, NULL, 0,
	  "feed URLs or paths, added to the FEED arguments (repeatable)" },
	{ "feeds_file", 0, OPT_PATH, GROUP_FEEDS, OFF(feeds_file),
	  NULL, NULL, 0, 0, "FILE", NULL, NULL, 0,
	  "read more feeds from FILE, one a line, # starts a comment" },
	{ "force", 'f', OPT_BOOL, GROUP_FEEDS, OFF(force),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "reprocess episodes that are already done" },
	{ "generate_metadata", 0, OPT_BOOL, GROUP_SUMMARIES, OFF(generate_metadata),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "write metadata/<stem>.metadata.json|yaml per episode" },
	{ "generate_summaries", 0, OPT_BOOL, GROUP_SUMMARIES, OFF(generate_summaries),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "summarize every transcript" },
	{ "http_retries", 0, OPT_INT, GROUP_NETWORK, OFF(http_retries),
	  "5", NULL, 0, 20, "N", NULL, NULL, 0,
	  "retries on connection errors, timeouts, 408, 429 and 5xx" },
	{ "isolation", 0, OPT_ENUM, GROUP_ROBUSTNESS, OFF(isolation),
	  "process", isolations, 0, 0, "MODE", NULL, NULL, 0,
	  "run speech and summary engines in worker processes or inline" },
	{ "json_logs", 0, OPT_BOOL, GROUP_LOGGING, OFF(json_logs),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "log one JSON object a line" },
	{ "keep_media", 0, OPT_BOOL, GROUP_FEEDS, OFF(keep_media),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "keep downloaded enclosures under media/" },
	{ "known_hosts", 0, OPT_LIST, GROUP_SPEAKERS, OFF(known_hosts),
	  NULL, NULL, 0, 0, "NAME", NULL, NULL, 0,
	  "names of the show's hosts (repeatable)" },
	{ "language", 0, OPT_STRING, GROUP_TRANSCRIPTION, OFF(language),
	  "en", NULL, 0, 0, "LANG", NULL, NULL, 0,
	  "spoken language of the episodes" },
	{ "log_file", 0, OPT_PATH, GROUP_LOGGING, OFF(log_file),
	  NULL, NULL, 0, 0, "FILE", "LOG_FILE", NULL, 0,
	  "also append log lines to FILE" },
	{ "log_level", 0, OPT_ENUM, GROUP_LOGGING, OFF(log_level),
	  "info", log_levels, 0, 0, "LEVEL", "LOG_LEVEL", NULL, 0,
	  "least severe level logged" },
	{ "max_episodes", 'n', OPT_INT, GROUP_FEEDS, OFF(max_episodes),
	  "0", NULL, 0, 1e9, "N", NULL, NULL, 0,
	  "process at most N episodes per feed, newest first in feed order (0: all)" },
	{ "max_failures", 0, OPT_INT, GROUP_ROBUSTNESS, OFF(max_failures),
	  "0", NULL, 0, 1e9, "N", NULL, NULL, 0,
	  "stop the run after N failed episodes (0: never)" },
	{ "max_feed_bytes", 0, OPT_SIZE, GROUP_NETWORK, OFF(max_feed_bytes),
	  "50M", NULL, 1024, 4 * GiB, "BYTES", NULL, NULL, 0,
	  "largest feed document accepted" },
	{ "max_media_bytes", 0, OPT_SIZE, GROUP_NETWORK, OFF(max_media_bytes),
	  "2G", NULL, 1024, 64 * GiB, "BYTES", NULL, NULL, 0,
	  "largest media file accepted" },
	{ "max_transcript_bytes", 0, OPT_SIZE, GROUP_NETWORK, OFF(max_transcript_bytes),
	  "20M", NULL, 1024, 4 * GiB, "BYTES", NULL, NULL, 0,
	  "largest published transcript accepted" },
	{ "metadata_format", 0, OPT_ENUM, GROUP_SUMMARIES, OFF(metadata_format),
	  "json", formats, 0, 0, "FMT", NULL, NULL, 0,
	  "metadata file format" },
	{ "model_cleanup", 0, OPT_ENUM, GROUP_ROBUSTNESS, OFF(model_cleanup),
	  "stage", cleanups, 0, 0, "WHEN", NULL, NULL, 0,
	  "free engines after every episode, when a stage drains, at exit, or never" },
	{ "mps_exclusive", 0, OPT_BOOL, GROUP_ROBUSTNESS, OFF(mps_exclusive),
	  "true", NULL, 0, 0, NULL, "MPS_EXCLUSIVE", "gpu_exclusive", 0,
	  "stages sharing an accelerator never overlap" },
	{ "num_speakers", 0, OPT_INT, GROUP_SPEAKERS, OFF(num_speakers),
	  "2", NULL, 1, 20, "N", NULL, NULL, 0,
	  "speakers to rotate through in a screenplay without voice labels" },
	{ "openai_api_base", 0, OPT_STRING, GROUP_REMOTE, OFF(openai_api_base),
	  "https://api.openai.com/v1", NULL, 0, 0, "URL", "OPENAI_API_BASE", NULL, 0,
	  "base URL of an OpenAI-compatible server" },
	{ "openai_api_key", 0, OPT_STRING, GROUP_REMOTE, OFF(openai_api_key),
	  NULL, NULL, 0, 0, "KEY", "OPENAI_API_KEY", NULL, OPT_SECRET | OPT_NO_FLAG,
	  "API key (environment only: OPENAI_API_KEY); never logged or written" },
	{ "openai_summary_model", 0, OPT_STRING, GROUP_REMOTE, OFF(openai_summary_model),
	  "gpt-4o-mini", NULL, 0, 0, "MODEL", NULL, NULL, 0,
	  "chat model used by summary_provider openai" },
	{ "openai_temperature", 0, OPT_DOUBLE, GROUP_REMOTE, OFF(openai_temperature),
	  "0.3", NULL, 0, 2, "T", NULL, NULL, 0,
	  "sampling temperature for remote summaries" },
	{ "openai_transcription_model", 0, OPT_STRING, GROUP_REMOTE,
	  OFF(openai_transcription_model), "whisper-1", NULL, 0, 0, "MODEL", NULL, NULL, 0,
	  "speech model used by transcription_provider openai" },
	{ "opml", 0, OPT_PATH, GROUP_FEEDS, OFF(opml),
	  NULL, NULL, 0, 0, "FILE", NULL, NULL, 0,
	  "read more feeds from an OPML file" },
	{ "output_dir", 'o', OPT_PATH, GROUP_FEEDS, OFF(output_dir),
	  NULL, NULL, 0, 0, "DIR", "OUTPUT_DIR", NULL, 0,
	  "output folder (default: output/rss_<host>_<hash> for one feed, output for several)" },
	{ "prefer_type", 0, OPT_LIST, GROUP_FEEDS, OFF(prefer_type),
	  NULL, NULL, 0, 0, "TYPE", NULL, NULL, 0,
	  "preferred transcript type, MIME substring or URL suffix, in order (repeatable)" },
	{ "preprocessing_enabled", 0, OPT_BOOL, GROUP_TRANSCRIPTION, OFF(preprocessing_enabled),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "normalize loudness and trim long silences before recognition" },
	{ "progress", 0, OPT_TRISTATE, GROUP_LOGGING, OFF(progress),
	  "auto", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "progress bars (auto: only when stderr is a terminal)" },
	{ "quiet", 'q', OPT_BOOL, GROUP_LOGGING, OFF(quiet),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "only warnings and errors on stderr" },
	{ "reuse_media", 0, OPT_BOOL, GROUP_FEEDS, OFF(reuse_media),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "use media already under media/ instead of downloading again" },
	{ "rss", 0, OPT_STRING, GROUP_FEEDS, OFF(rss),
	  NULL, NULL, 0, 0, "URL", NULL, NULL, 0,
	  "one feed URL, added to the FEED arguments" },
	{ "run_id", 0, OPT_STRING, GROUP_FEEDS, OFF(run_id),
	  NULL, NULL, 0, 0, "ID", NULL, NULL, 0,
	  "name of this run under runs/ (default: UTC time + random suffix)" },
	{ "screenplay", 0, OPT_BOOL, GROUP_SPEAKERS, OFF(screenplay),
	  "false", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "also write transcripts as 'Name: text' turns" },
	{ "screenplay_gap", 0, OPT_DOUBLE, GROUP_SPEAKERS, OFF(screenplay_gap),
	  "1.25", NULL, 0, 60, "SECONDS", NULL, NULL, 0,
	  "a pause longer than this starts a new speaker turn" },
	{ "shard", 0, OPT_STRING, GROUP_FEEDS, OFF(shard),
	  NULL, NULL, 0, 0, "K/N", NULL, NULL, 0,
	  "only the feeds whose URL hash falls in shard K of N (K from 0); auto reads "
	  "JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (see docs/SCALE.md)" },
	{ "since", 0, OPT_DATE, GROUP_FEEDS, OFF(since),
	  NULL, NULL, 0, 0, "DATE", NULL, NULL, 0,
	  "only episodes published on or after DATE (YYYY-MM-DD)" },
	{ "skip_existing", 0, OPT_BOOL, GROUP_FEEDS, OFF(skip_existing),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "skip episodes already done (accepted for compatibility; see --force)" },
	{ "speaker_names", 0, OPT_LIST, GROUP_SPEAKERS, OFF(speaker_names),
	  NULL, NULL, 0, 0, "NAME", NULL, NULL, 0,
	  "speaker names to use instead of detection, host first (repeatable)" },
	{ "stage_retries", 0, OPT_INT, GROUP_ROBUSTNESS, OFF(stage_retries),
	  "2", NULL, 0, 10, "N", NULL, NULL, 0,
	  "retries of an episode's stage after a worker crash or timeout" },
	{ "summarization_timeout", 0, OPT_INT, GROUP_SUMMARIES, OFF(summarization_timeout),
	  "600", NULL, 1, 86400, "SECONDS", NULL, NULL, 0,
	  "a summary taking longer is killed and retried" },
	{ "summarization_workers", 0, OPT_INT, GROUP_SUMMARIES, OFF(summarization_workers),
	  "1", NULL, 1, 16, "N", NULL, NULL, 0,
	  "parallel summarization workers" },
	{ "summary_device", 0, OPT_ENUM, GROUP_SUMMARIES, OFF(summary_device),
	  "auto", devices, 0, 0, "DEVICE", "SUMMARY_DEVICE", NULL, 0,
	  "where summarization runs" },
	{ "summary_provider", 0, OPT_ENUM, GROUP_SUMMARIES, OFF(summary_provider),
	  "textrank", providers_summary, 0, 0, "ENGINE", NULL, NULL, 0,
	  "summarization engine" },
	{ "summary_sentences", 0, OPT_INT, GROUP_SUMMARIES, OFF(summary_sentences),
	  "5", NULL, 1, 50, "N", NULL, NULL, 0,
	  "sentences in the short summary" },
	{ "threads", 0, OPT_INT, GROUP_ROBUSTNESS, OFF(threads),
	  "1", NULL, 1, 256, "N", NULL, NULL, 0,
	  "threads per worker; sets OMP_NUM_THREADS and MKL_NUM_THREADS unless set" },
	{ "timeout", 0, OPT_INT, GROUP_NETWORK, OFF(timeout),
	  "20", NULL, 1, 3600, "SECONDS", "TIMEOUT", NULL, 0,
	  "connect timeout, and stall timeout for transfers" },
	{ "transcribe_missing", 0, OPT_BOOL, GROUP_TRANSCRIPTION, OFF(transcribe_missing),
	  "true", NULL, 0, 0, NULL, NULL, NULL, 0,
	  "transcribe the audio of episodes without a published transcript" },
	{ "transcription_provider", 0, OPT_ENUM, GROUP_TRANSCRIPTION,
	  OFF(transcription_provider), "pocketsphinx", providers_asr, 0, 0, "ENGINE",
	  NULL, NULL, 0, "speech recognition engine" },
	{ "transcription_timeout", 0, OPT_INT, GROUP_TRANSCRIPTION, OFF(transcription_timeout),
	  "1800", NULL, 1, 86400, "SECONDS", NULL, NULL, 0,
	  "a transcription taking longer is killed and retried" },
	{ "transcription_workers", 0, OPT_INT, GROUP_TRANSCRIPTION, OFF(transcription_workers),
	  "0", NULL, 0, 64, "N", NULL, NULL, 0,
	  "parallel speech decoders (0: one per core)" },
	{ "until", 0, OPT_DATE, GROUP_FEEDS, OFF(until),
	  NULL, NULL, 0, 0, "DATE", NULL, NULL, 0,
	  "only episodes published on or before DATE (YYYY-MM-DD)" },
	{ "user_agent", 0, OPT_STRING, GROUP_NETWORK, OFF(user_agent),
	  "podcast_scraper/" PC_VERSION, NULL, 0, 0, "UA", NULL, NULL, 0,
	  "User-Agent header sent with every request" },
	{ "watch", 0, OPT_STRING, GROUP_FEEDS, OFF(watch),
	  NULL, NULL, 0, 0, "INTERVAL", NULL, NULL, 0,
	  "run, sleep INTERVAL (90s, 30m, 6h), run again, until SIGTERM or SIGINT; "
	  "SIGHUP rereads the config" },
	{ "whisper_device", 0, OPT_ENUM, GROUP_TRANSCRIPTION, OFF(whisper_device),
	  "auto", devices, 0, 0, "DEVICE", "WHISPER_DEVICE", NULL, 0,
	  "where transcription runs" },
	{ "whisper_model", 0, OPT_STRING, GROUP_TRANSCRIPTION, OFF(whisper_model),
	  "base", NULL, 0, 0, "MODEL", NULL, NULL, 0,
	  "kept for compatibility; with transcription_provider openai, a model name "
	  "other than the local sizes (tiny, base, small, medium, large*) picks the remote model" },
	{ "workers", 'w', OPT_INT, GROUP_NETWORK, OFF(workers),
	  "8", NULL, 1, 64, "N", "WORKERS", NULL, 0,
	  "parallel transfers" },
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

const struct opt_def *options_find_flag(const char *flag, bool *negated)
{
	char key[64];
	size_t n = strlen(flag);

	*negated = false;
	if (!strncmp(flag, "no-", 3)) {
		const struct opt_def *d = options_find_flag(flag + 3, negated);

		if (d && d->type == OPT_BOOL) {
			*negated = true;
			return d;
		}
		if (d && d->type == OPT_TRISTATE) {
			*negated = true;
			return d;
		}
	}
	if (n >= sizeof(key))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		key[i] = flag[i] == '-' ? '_' : flag[i];
	return options_find(key);
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
