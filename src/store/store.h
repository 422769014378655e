/*
 * store.h - everything the pipeline leaves on disk: names, the per-feed
 * state database, metadata documents and run artifacts.
 *
 * Layout of a feed folder (README.md, "Output", shows it to users):
 *
 *	<feed_dir>/transcripts/<stem>.<ext>        original bytes, .txt, .segments.json
 *	<feed_dir>/metadata/<stem>.metadata.json   (or .yaml; the folder is
 *	                                           store_metadata_dir())
 *	<feed_dir>/media/<stem>.<ext>              only with keep_media (made on demand)
 *	<feed_dir>/runs/<run_id>/{run_manifest,metrics,index,run}.json
 *	<feed_dir>/state.sqlite                    what is done, for incremental reruns
 *
 * Invariants:
 *  - Names depend only on what they name: a stem is a function of the
 *    episode (date, title, id), so a feed that grows never renames a file.
 *    Stems are unique within a feed folder: when two episodes would share
 *    one (same date and title, ids whose hashes share their first digits),
 *    the newcomer gets more digits (store_state_reserve_stems()), and the
 *    state records every stem given, so reruns keep it.  Every name is safe
 *    on every common file system.
 *  - Every file goes through an atomic write (temp + rename): a crash or a
 *    kill leaves the old file or the new one, never a torn one.  Each state
 *    update is its own SQLite transaction (WAL), so it survives kill -9.
 *  - Durability (power loss), like a database commit: store_write_file()
 *    does not fsync; recording an episode as STORE_DONE first makes every
 *    file written so far durable, renames included (store_sync(): one
 *    syncfs() per file system).  So a "done" row
 *    that survives a power cut implies its files did; files that did not
 *    survive belong to an episode that is not done and is redone.  State
 *    commits themselves are not fsynced (synchronous=NORMAL): a power cut
 *    may forget the last rows, which again only means redoing episodes.
 *    Run artifacts (store_run_write()) are fsynced as they are written.
 *  - Secrets never reach the disk: every config snapshot written by this
 *    module goes through store_config_redact() first, whatever the caller
 *    did, and every document and state row keeps URLs only with their
 *    credentials hidden (util/redact.h); requests use the caller's URLs.
 *  - Documents always carry every key of their schema; missing values are
 *    JSON null, never an absent key.
 *
 * Ownership: functions returning char * or json_t * hand over a new object
 * (free() / json_decref()).  Structs passed in (struct feed, struct episode,
 * struct store_episode_doc, struct store_index_row) are only read; anything
 * kept is copied.
 *
 * Calling sequence for one feed:
 *
 *	name = store_feed_dir_name(url);  dir = fs_join(output_dir, name);
 *	store_feed_dir_prepare(dir, clean_output, &err);
 *	store_state_open(dir, &st, &err);  store_state_bind_feed(st, url);
 *	store_run_new(run_id_or_NULL, config_json, &run, &err);
 *	ids = store_episode_id(ep, url) of each episode (duplicates dropped);
 *	store_state_reserve_stems(st, plan, n, &err);   (stems, in feed order)
 *	for each episode:
 *		store_state_get(st, id, &es) -> skip when done;
 *		... store_write_file(dir, rel, bytes, len, &err) ...
 *		doc = store_metadata_build(&d);  store_metadata_write(dir, stem, fmt, doc, &err);
 *		store_state_set(st, id, stem, STORE_DONE, NULL, NULL, "direct_download", &err);
 *		store_run_add_row(run, &row);        (any thread)
 *	store_run_write(run, dir, &err);  store_state_record_run(st, run, &err);
 *	store_state_close(st);  store_run_free(run);
 */
#ifndef STORE_H
#define STORE_H

#include "feed/feed.h"
#include "util/pc.h"
#include "util/sbuf.h"
#include "util/stage.h"
#include "util/strlist.h"

#include <jansson.h>
#include <time.h>

/* ---- Names -------------------------------------------------------------- */

/* Longest title part of a stem, in bytes (cut on a UTF-8 boundary). */
#define STORE_TITLE_MAX 80
/* Hex digits of the id's hash ending a stem, unless that stem is taken. */
#define STORE_ID_DIGITS 6

/*
 * Folder name for a feed: "rss_<host>_<sha1(url)[:8]>" for http(s) (and any
 * other scheme://), "file_<name>_<sha1(path)[:8]>" for file:// URLs and
 * local paths, where name is the file name without its extension and path
 * the file:// URL's decoded path or the path as given.  Caller frees.
 */
char *store_feed_dir_name(const char *feed_url);

/*
 * "sha256:<hex>" of the normalized URL: scheme and host in lower case, the
 * default port and the fragment dropped, an empty path made "/".  Strings
 * that are not URLs are hashed as given.  Caller frees.
 */
char *store_feed_id(const char *feed_url);

/*
 * The shard, 0..n-1, a feed belongs to among n: the first 64 bits of the
 * hash of store_feed_id() modulo n.  Stable across runs, machines and
 * versions, and the same for URLs that differ only in what normalization
 * drops, so N machines split a feed list with no overlap.  n >= 1.
 */
unsigned store_feed_shard(const char *feed_url, unsigned n);

/*
 * The episode's guid when it has one (not blank), with the credentials of
 * any URL in it hidden (redact_text(): a GUID may be a permalink carrying
 * a token), else "sha256:" + hex of "feed_url|title|date|link", date being
 * ISO 8601 UTC or empty when unknown.  This is the one form of an id: logs,
 * documents, stems and the state all get it.  Deterministic.  Caller frees.
 */
char *store_episode_id(const struct episode *ep, const char *feed_url);

/*
 * "<YYYY-MM-DD>_<title>_<id6>": publish date in UTC ("0000-00-00" when
 * unknown), store_safe_name(title, STORE_TITLE_MAX, "untitled") and the
 * first 6 hex digits of sha1(episode_id).  The stem the episode gets when
 * no other episode of its folder has it (store_state_reserve_stems()).
 * Caller frees.
 */
char *store_episode_stem(const struct episode *ep, const char *episode_id);

/* "<YYYY-MM-DD>_<title>", the part of a stem before the id's digits.  Caller frees. */
char *store_stem_prefix(const struct episode *ep);

/*
 * "<prefix>_<hex>", hex being the first `digits` (1..40) hex digits of
 * sha1(episode_id).  Caller frees.
 */
char *store_stem_join(const char *prefix, const char *episode_id, int digits);

/*
 * s made safe as a file-name part: valid UTF-8 letters of every script kept;
 * / \ : * ? " < > |, controls, invalid UTF-8 bytes, bidi controls and
 * leading dots become '_'; whitespace (Unicode too) and '_' runs collapse to
 * one '_'; no '_' at either end; at most max bytes, cut between characters;
 * fallback (copied) when nothing is left or s is NULL.  Caller frees.
 */
char *store_safe_name(const char *s, size_t max, const char *fallback);

/* What a file of the output is. */
enum store_file {
	STORE_TRANSCRIPT,     /* transcripts/<stem>.<ext>, the original bytes */
	STORE_TEXT,           /* transcripts/<stem>.txt */
	STORE_SEGMENTS,       /* transcripts/<stem>.segments.json */
	STORE_SCREENPLAY,     /* transcripts/<stem>.screenplay.txt */
	STORE_METADATA_JSON,  /* <store_metadata_dir()>/<stem>.metadata.json */
	STORE_METADATA_YAML,  /* <store_metadata_dir()>/<stem>.metadata.yaml */
	STORE_MEDIA,          /* media/<stem>.<ext> */
};

/*
 * Path of a file relative to the feed folder; ext (without dot) is used by
 * STORE_TRANSCRIPT and STORE_MEDIA only and is made safe.  Caller frees.
 */
char *store_relpath(enum store_file kind, const char *stem, const char *ext);

/*
 * The folder metadata documents go in, relative to every feed folder:
 * "metadata" unless set (metadata_subdirectory).  rel must already be
 * checked to stay inside the feed folder (config_validate does); NULL or ""
 * restores the default.  Set it before any feed folder is used: the value
 * is read without a lock by every later call of this module.
 */
void store_set_metadata_dir(const char *rel);
const char *store_metadata_dir(void);

/*
 * Writes len bytes to <feed_dir>/<relpath> atomically, creating the parent
 * folder when missing (media/ is made on demand this way).  The file is
 * safe from crashes and kills at once; from power loss after the next
 * store_sync() (which recording the episode as done performs).
 */
int store_write_file(const char *feed_dir, const char *relpath,
		     const void *data, size_t len, struct sbuf *err);

/*
 * Makes every file written by store_write_file() so far, in any feed
 * folder, durable: fsync of each file, then of their folders.  Thread-safe;
 * a call returns only once files written before it are synced, even by a
 * concurrent call.  On failure (err names the file) the files stay pending
 * and the next call retries them.
 */
int store_sync(struct sbuf *err);

/* ---- Output folder ----------------------------------------------------- */

/*
 * Makes feed_dir and its transcripts/, metadata/ (store_metadata_dir()) and runs/ folders and
 * sweeps atomic-write temps left by a killed run.  With clean_output it
 * first deletes earlier outputs (transcripts/, metadata/, runs/, the state
 * files, media/<stem>.* of the stems state.sqlite records) and *.part
 * downloads, but refuses (-PC_EUSAGE, deleting nothing) a folder that is
 * neither empty nor marked ours by a state.sqlite with our schema.
 */
int store_feed_dir_prepare(const char *feed_dir, bool clean_output, struct sbuf *err);

/*
 * Makes feed_dir and takes the exclusive flock on feed_dir/podcast_scraper.lock,
 * writing our pid into it; *fd_out holds the lock until closed (or the process
 * dies: a kill -9 leaves no stale lock).  When another process holds it, fails
 * with -PC_EUSAGE naming the holder's pid, or with wait blocks until it is free.
 */
int store_feed_dir_lock(const char *feed_dir, bool wait, int *fd_out, struct sbuf *err);

/* ---- State: <feed_dir>/state.sqlite ------------------------------------ */

enum store_status {
	STORE_PENDING,
	STORE_DONE,
	STORE_FAILED,
	STORE_NEEDS_TRANSCRIPTION,
};

/* "pending", "done", "failed", "needs_transcription". */
const char *store_status_name(enum store_status s);
/* Inverse of store_status_name(); -1 when unknown. */
int store_status_from_name(const char *name);

/* What the database knows of one episode; strings owned, may be NULL. */
struct store_episode_state {
	enum store_status status;
	char *stem;
	char *last_error;
	char *error_stage;
	char *transcript_source;
	char *files;          /* JSON text given to store_state_set_files() */
	char *outputs;        /* JSON text given to store_state_set_outputs(); NULL:
	                         never recorded (a row from before schema 3) */
	long attempts;        /* finished attempts: times set to done or failed */
	char *updated_at;     /* ISO 8601 UTC */
};

#define STORE_EPISODE_STATE_INIT { STORE_PENDING, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL }

void store_episode_state_release(struct store_episode_state *es);

struct store_state;

/*
 * Opens (creating) <feed_dir>/state.sqlite in WAL mode with a busy timeout
 * and brings its schema to the current PRAGMA user_version.  Fails with err
 * naming the file when it is not a database or is from a newer version.
 * The handle may be shared by threads (calls are serialised).
 */
int store_state_open(const char *feed_dir, struct store_state **out, struct sbuf *err);

/*
 * Opens an existing <feed_dir>/state.sqlite only to read it: nothing is
 * written, not even a lock or journal file, and an older schema is read as
 * it is (rows then have no outputs).  For a dry run, which must leave the
 * folder as it was.  -PC_ENOTFOUND when there is no such file.  Rows
 * committed to the write-ahead log of a run still going may not be seen.
 */
int store_state_open_readonly(const char *feed_dir, struct store_state **out, struct sbuf *err);

/*
 * Runs PRAGMA quick_check on an existing <feed_dir>/state.sqlite.  A corrupted
 * one fails (-PC_EFAIL, err naming the file and --rebuild-state) unless
 * rebuild: then it is renamed state.sqlite.corrupt-<time> and a new one is
 * made from the metadata/<stem>.metadata.json documents (each episode found
 * there is done).
 */
int store_state_check(const char *feed_dir, bool rebuild, struct sbuf *err);

/*
 * Rows are keyed by (feed_url, episode_id); this sets the feed_url used by
 * every later call (default "", for a folder holding one feed).  The URL
 * is kept with its credentials hidden (util/redact.h); rows an earlier
 * version recorded under the URL as given are moved to that form.  Episode
 * ids (a GUID may be a URL) are likewise kept, and looked up, redacted;
 * store_episode_id() makes them so already, so the ids a caller holds
 * compare equal to the rows (store_state_reserve_stems() relies on it).
 */
void store_state_bind_feed(struct store_state *st, const char *feed_url);
/* Closes and frees st (NULL is fine). */
void store_state_close(struct store_state *st);

/*
 * Fills out (release it) with the episode's row; -PC_ENOTFOUND when the
 * episode was never recorded, another negative code with err on failure.
 */
int store_state_get(struct store_state *st, const char *episode_id,
		    struct store_episode_state *out, struct sbuf *err);

/*
 * Inserts or updates the episode's row in one transaction (UPSERT: never a
 * duplicate).  With STORE_DONE it first calls store_sync(), and fails
 * without touching the row when the files cannot be synced.
 * error_stage/error_message are cleared when status is STORE_DONE; the
 * message is kept with the credentials of its URLs hidden;
 * transcript_source NULL keeps the recorded one.  attempts grows
 * by one when status is STORE_DONE or STORE_FAILED.  A caller that finds an
 * episode already recorded should reuse its stem, so that an edited title
 * never renames files.
 */
int store_state_set(struct store_state *st, const char *episode_id, const char *stem,
		    enum store_status status, const char *error_stage,
		    const char *error_message, const char *transcript_source,
		    struct sbuf *err);

/* Records the episode's files (a JSON text, e.g. index paths) on an existing row. */
int store_state_set_files(struct store_state *st, const char *episode_id,
			  const char *files_json, struct sbuf *err);
/*
 * Records which outputs a done episode has and the settings they were made
 * with (a JSON text the caller defines) on an existing row; kept until the
 * next call, so a rerun can tell what it still has to add.
 */
int store_state_set_outputs(struct store_state *st, const char *episode_id,
			    const char *outputs_json, struct sbuf *err);

/*
 * HTTP validators of the bound feed, for conditional requests: kept only
 * from a run that left the feed with nothing to do, together with a
 * fingerprint of the settings that run used, so a 304 may be taken to mean
 * "nothing to do" only under the same settings.
 */
struct store_validators {
	char *etag;             /* NULL when the server sent none */
	char *last_modified;    /* NULL when the server sent none */
	char *settings;         /* the caller's fingerprint of its settings */
};

void store_validators_release(struct store_validators *v);
/* Fills out (release it); -PC_ENOTFOUND when none are kept. */
int store_state_get_validators(struct store_state *st, struct store_validators *out,
			       struct sbuf *err);
/* Keeps v (copied); v NULL, or without etag and last_modified, forgets them. */
int store_state_set_validators(struct store_state *st, const struct store_validators *v,
			       struct sbuf *err);

/* One episode of a feed's plan, for store_state_reserve_stems(). */
struct store_stem_plan {
	const struct episode *ep;   /* in: its date and title */
	const char *episode_id;     /* in: unique within the plan */
	char *stem;                 /* out: its stem (caller frees) */
	bool lengthened;            /* out: newly given, longer than its
	                               store_episode_stem() which is taken */
	bool redo;                  /* out: recorded with a stem another episode
	                               also had: its files must be made again */
};

/*
 * Gives each of the n episodes (in feed order) a stem no other episode of
 * the feed folder has, and records it, before any work starts, so episodes
 * processed at once never share one and reruns keep it:
 *  - an episode the state knows keeps its recorded stem;
 *  - a newcomer gets store_episode_stem(), or, when that is taken (by any
 *    row of the state, whatever its feed, or by an earlier episode of the
 *    plan), the same with 7, 8, ... 40 hex digits, then "-2", "-3", ...
 *    appended: the first one free.  It is recorded as pending.
 *  - a stem that several recorded episodes share (written by a version
 *    that did not check) stays with one of them (the first in the plan,
 *    else the least (feed, id)); the others get fresh stems as newcomers
 *    do, and all of them are set pending with redo, since its files hold
 *    only one of them.
 * st NULL: the plan's own episodes only, nothing recorded.  All rows are
 * written in one transaction.
 */
int store_state_reserve_stems(struct store_state *st, struct store_stem_plan *plan, size_t n,
			      struct sbuf *err);
/*
 * The stems store_state_reserve_stems() would give, the same way, with
 * nothing written: for a dry run, which must show the names a real run will
 * use.  st may be read-only, or NULL (no state yet: the plan's own episodes
 * only).
 */
int store_state_preview_stems(struct store_state *st, struct store_stem_plan *plan, size_t n,
			      struct sbuf *err);

/*
 * How many stems more than one episode of the database holds (written by a
 * version that did not keep stems unique; store_state_reserve_stems() repairs
 * them); negative on error.
 */
long store_state_shared_stems(struct store_state *st, struct sbuf *err);

/* Rows of the bound feed with this status (status < 0: all); negative on error. */
long store_state_count(struct store_state *st, int status, struct sbuf *err);

/* Runs "PRAGMA integrity_check": 0 when "ok", else -PC_EFAIL with the report in err. */
int store_state_integrity_check(struct store_state *st, struct sbuf *err);

struct store_run;
/* Inserts or updates the run's row (id, start, finish, metrics JSON). */
int store_state_record_run(struct store_state *st, struct store_run *run,
			   struct sbuf *err);

/* ---- Metadata documents ------------------------------------------------- */

#define STORE_SCHEMA_VERSION "1.1.0"
/* index.json: an object with a header and its episodes rows */
#define STORE_INDEX_SCHEMA_VERSION "1.0.0"

enum store_format { STORE_FORMAT_JSON, STORE_FORMAT_YAML };

struct store_speaker {
	const char *id;
	const char *name;
	const char *role;     /* "host", "guest", ... */
	const char *source;   /* where the name came from: "feed", "vtt", "title", ... */
};

struct store_summary {
	const char *short_summary;
	const char *const *key_points;
	size_t nr_key_points;
	time_t generated_at;  /* 0: null */
	const char *provider;
	long word_count;      /* of the summary; < 0: null */
	long transcript_word_count;
};

/* Seconds per stage; a negative value is written as null. */
struct store_stage_timings {
	double download, decode, transcribe, speakers, summarize, total;
};

#define STORE_TIMINGS_NONE { -1, -1, -1, -1, -1, -1 }

/* A device asked for and the one actually used ("cpu", "cuda", ...). */
struct store_device {
	const char *requested;
	const char *used;
};

/*
 * Everything a metadata document says, borrowed from the caller.  NULL
 * strings are written as null.  transcript_urls come from
 * episode->transcripts; media_url/media_type from the episode.
 */
struct store_episode_doc {
	const struct feed *feed;              /* required */
	const char *feed_url;                 /* required */
	const struct episode *episode;        /* required */
	const char *episode_id;               /* NULL: store_episode_id() */

	const char *media_id;                 /* NULL: "sha256:" of media_url */
	const char *transcript_file_path;     /* relative to the feed folder */
	/* the Python model's values: direct_download | whisper_transcription (any engine) */
	const char *transcript_source;
	const char *asr_engine;
	const char *asr_model;
	json_t *diarization;                  /* borrowed {method, voices,
	                                         seconds_by_speaker}; NULL: null */
	const struct store_speaker *speakers;
	size_t nr_speakers;
	const struct strlist *detected_hosts; /* NULL: [] */
	const struct strlist *detected_guests;

	time_t processing_timestamp;          /* 0: now */
	const char *output_directory;
	const char *run_id;
	json_t *config_snapshot;              /* borrowed; redacted again on output */
	struct store_stage_timings timings;
	struct store_device transcription_device;
	struct store_device summarization_device;
	int attempts;
	int worker_crashes;

	const struct store_summary *summary;  /* NULL: "summary": null */
};

/* The document as a jansson tree in schema order (caller decrefs). */
json_t *store_metadata_build(const struct store_episode_doc *doc);

/*
 * Writes doc to <feed_dir>/metadata/<stem>.metadata.<json|yaml> atomically.
 * If rel_out is not NULL it gets the path relative to feed_dir (caller frees).
 */
int store_metadata_write(const char *feed_dir, const char *stem, enum store_format fmt,
			 json_t *doc, char **rel_out, struct sbuf *err);

/*
 * Reads <feed_dir>/<rel> back into *out (caller decrefs): JSON, or YAML when
 * rel ends in .yaml/.yml, as store_dump() wrote it (quoted YAML scalars are
 * strings; plain ones null, booleans or numbers when they read so).  The
 * file must be an object of at most 16 MiB; -PC_EPARSE (err naming the file
 * and why) for anything else, -PC_ETOOBIG or -errno from reading.
 */
int store_metadata_read(const char *feed_dir, const char *rel, json_t **out, struct sbuf *err);

/*
 * Renders doc into out: JSON pretty-printed with 2-space indents in the
 * tree's key order, or YAML (libyaml emitter; every string double-quoted so
 * "true", "1.0" or "null" stay strings).  Both end with a newline.  Every
 * URL in every string is rendered with its credentials hidden
 * (store_doc_redact()), so feed, media and transcript URLs, error messages
 * and config values never put a password or token on disk.
 */
int store_dump(json_t *doc, enum store_format fmt, struct sbuf *out, struct sbuf *err);

/* ---- Secrets ----------------------------------------------------------- */

/*
 * A deep copy of snapshot (caller decrefs; NULL gives NULL) where every
 * value under a key whose name looks secret (redact_secret_name(): "key",
 * "token", "secret", "password"... any case, at any depth) is "***" when it
 * was non-empty, else null, and every URL in a string value has its
 * credentials hidden.
 */
json_t *store_config_redact(json_t *snapshot);

/* A deep copy of doc (caller decrefs) with the credentials of every URL in its strings hidden. */
json_t *store_doc_redact(json_t *doc);

/* ---- Run artifacts ------------------------------------------------------ */

/* Counters a run accumulates; episode ok/skipped/failed come from the rows. */
enum store_counter {
	STORE_FEEDS,
	STORE_EPISODES_SELECTED,
	STORE_EPISODES_UPDATED,      /* done earlier, given outputs asked now */
	STORE_TRANSCRIPTS_DOWNLOADED,
	STORE_TRANSCRIPTS_TRANSCRIBED,
	STORE_SUMMARIES,
	STORE_BYTES_DOWNLOADED,
	STORE_RETRIES,
	STORE_WORKER_CRASHES,
	STORE_COUNTER__COUNT
};

enum store_row_status { STORE_ROW_OK, STORE_ROW_SKIPPED, STORE_ROW_FAILED };

/* "ok", "skipped", "failed". */
const char *store_row_status_name(enum store_row_status s);

/* One line of index.json; paths are relative to the feed folder, NULL: null. */
struct store_index_row {
	const char *episode_id;
	const char *stem;
	const char *title;
	enum store_row_status status;
	long position;                /* episode's place in the feed: rows sort by it */
	const char *transcript;
	const char *text;
	const char *segments;
	const char *screenplay;
	const char *metadata;
	const char *media;
	const char *error_stage;
	const char *error_message;
};

/* Engine, model and devices of a stage, for the manifest. */
struct store_engine {
	const char *engine;           /* "pocketsphinx", "openai", "textrank" */
	const char *model;
	struct store_device device;
};

/* A new run id "YYYYMMDD-HHMMSS-<6 random hex>" (UTC now).  Caller frees. */
char *store_run_id_new(void);
/* True when id can name a folder: [A-Za-z0-9._-], 1-100 bytes, no leading dot. */
bool store_run_id_valid(const char *id);

/*
 * Starts a run: run_id NULL makes one; an invalid one is -PC_EUSAGE.  The
 * start time is now; config_snapshot (may be NULL) is redacted and copied.
 * Free with store_run_free().  Every store_run_* call below is thread-safe.
 */
int store_run_new(const char *run_id, json_t *config_snapshot,
		  struct store_run **out, struct sbuf *err);
void store_run_free(struct store_run *run);

/* The run's id (owned by run). */
const char *store_run_id(const struct store_run *run);
/* stage is "transcription" or "summarization"; strings copied. */
void store_run_set_engine(struct store_run *run, const char *stage,
			  const struct store_engine *e);
void store_run_count(struct store_run *run, enum store_counter c, long long delta);
void store_run_add_stage_time(struct store_run *run, enum stage s, double seconds);
/* Copies the row. */
void store_run_add_row(struct store_run *run, const struct store_index_row *row);
/* Stamps the finish time (first call wins; store_run_write() calls it). */
void store_run_finish(struct store_run *run);

/* Documents (caller decrefs). */
json_t *store_run_manifest(struct store_run *run);
json_t *store_run_metrics(struct store_run *run);
json_t *store_run_index(struct store_run *run);

/*
 * Writes <feed_dir>/runs/<run_id>/{run_manifest,metrics,index,run}.json,
 * run.json being the manifest with the metrics' keys added.
 */
int store_run_write(struct store_run *run, const char *feed_dir, struct sbuf *err);

/* One feed's run, for store_metrics_write(). */
struct store_feed_run {
	const char *feed_url;
	const char *feed_dir;
	struct store_run *run;
};

/*
 * metrics_output: writes the metrics of the n feeds of a run to path
 * (relative to the current folder; its parent folder is made), atomically.
 * With one feed the document is that feed's runs/<run_id>/metrics.json; with
 * several it is {"run_id", "feeds": [{"feed_url", "output_dir", ...its
 * metrics}, ...]}.
 */
int store_metrics_write(const char *path, const struct store_feed_run *feeds, size_t n,
			struct sbuf *err);

/*
 * The last line of a run, without newline, into out:
 * "Done. feeds=1 episodes=12 transcripts=12 (downloaded 9, transcribed 3)
 * summaries=12 failed=0 skipped=0 in 41.2s".
 */
void store_run_summary_line(struct store_run *run, struct sbuf *out);

#endif
