/*
 * state.c - state.sqlite: what is done, failed or pending per episode, and
 * one row per run.
 *
 * Durability: WAL journal, and every update is one statement in autocommit
 * mode, i.e. its own transaction; a kill -9 at any point leaves either the
 * update or nothing.  synchronous=NORMAL: a commit does not fsync the WAL
 * (it reaches the disk at the next sync or checkpoint), so a power cut may
 * forget the last rows; a forgotten "done" only means an episode is redone.  Rows are written with
 * INSERT ... ON CONFLICT DO UPDATE so an episode never has two rows.
 * Before a row becomes "done", store_sync() makes the files written for it
 * durable, so the row never outlives its files on a power cut.
 *
 * Schema versions (PRAGMA user_version):
 *   0  empty file, schema created on open
 *   1  episodes + runs tables below
 *   2  + feed_http: the feed's HTTP validators (ETag, Last-Modified) from
 *      the last run that left nothing to do, with the settings it ran with
 *   3  + episodes.outputs: which outputs a done episode has and the settings
 *      they were made with, so a rerun asking for more adds only that; rows
 *      from before stay NULL ("not recorded": the caller looks at the files)
 *   4  episode ids, feed URLs and last_error texts that earlier versions
 *      stored with the credentials of their URLs are rewritten redacted, so
 *      the secret leaves the file and the episode is still found (see
 *      redact_old_rows)
 * A database from a newer program is refused rather than guessed at.
 */
#include "store/internal.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 4
#define BUSY_TIMEOUT_MS 10000

struct store_state {
	sqlite3 *db;
	long version;           /* PRAGMA user_version once open */
	char *path;
	char *feed_url;
	pthread_mutex_t lock;   /* statements of one call must not interleave */
};

static const char schema_v1[] =
	"CREATE TABLE IF NOT EXISTS episodes ("
	" feed_url TEXT NOT NULL,"
	" episode_id TEXT NOT NULL,"
	" stem TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('pending', 'done', 'failed', 'needs_transcription')),"
	" files TEXT,"
	" transcript_source TEXT,"
	" last_error TEXT,"
	" error_stage TEXT,"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" updated_at TEXT NOT NULL,"
	" PRIMARY KEY (feed_url, episode_id));"
	"CREATE TABLE IF NOT EXISTS runs ("
	" run_id TEXT PRIMARY KEY,"
	" started TEXT,"
	" finished TEXT,"
	" counts TEXT);"
	"PRAGMA user_version = 1;";

static const char schema_v2[] =
	"CREATE TABLE IF NOT EXISTS feed_http ("
	" feed_url TEXT PRIMARY KEY,"
	" etag TEXT,"
	" last_modified TEXT,"
	" settings TEXT NOT NULL,"
	" updated_at TEXT NOT NULL);"
	"PRAGMA user_version = 2;";

static const char schema_v3[] =
	"ALTER TABLE episodes ADD COLUMN outputs TEXT;"
	"PRAGMA user_version = 3;";

static const char *const status_names[] = {
	[STORE_PENDING] = "pending",
	[STORE_DONE] = "done",
	[STORE_FAILED] = "failed",
	[STORE_NEEDS_TRANSCRIPTION] = "needs_transcription",
};

const char *store_status_name(enum store_status s)
{
	if ((unsigned)s >= ARRAY_SIZE(status_names))
		BUG("unknown store_status %d", (int)s);
	return status_names[s];
}

int store_status_from_name(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(status_names); i++)
		if (!strcmp(name, status_names[i]))
			return (int)i;
	return -1;
}

/* ---- Plumbing ------------------------------------------------------------- */

static int db_error(struct store_state *st, const char *what, struct sbuf *err)
{
	sbuf_setf(err, "state database '%s': %s: %s", st->path, what, sqlite3_errmsg(st->db));
	return -PC_EFAIL;
}

static int exec(struct store_state *st, const char *sql, struct sbuf *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(st, "cannot run setup statement", err);
	return 0;
}

static int prepare(struct store_state *st, const char *sql, sqlite3_stmt **stmt,
		   struct sbuf *err)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_error(st, "cannot prepare statement", err);
	return 0;
}

static void bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, idx);
}

/*
 * Binds an episode id with the credentials of a URL in it hidden.  Ids from
 * store_episode_id() are hidden already (this changes nothing for them, and
 * rows compare equal to what the pipeline holds); the store still promises
 * that no secret reaches the disk whatever a caller passes (a raw GUID from
 * an older document, a test, a tool).
 */
static void bind_id(sqlite3_stmt *stmt, int idx, const char *id)
{
	char *shown = redact_text(id);

	bind_text(stmt, idx, shown);
	free(shown);
}

/* Steps a write statement to completion and finalizes it. */
static int step_done(struct store_state *st, sqlite3_stmt *stmt, const char *what,
		     struct sbuf *err)
{
	int rc = sqlite3_step(stmt);
	int r = rc == SQLITE_DONE ? 0 : db_error(st, what, err);

	sqlite3_finalize(stmt);
	return r;
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s ? pc_strdup((const char *)s) : NULL;
}

static void now_iso(char out[TIME_ISO_LEN])
{
	time_iso8601(time(NULL), out);
}

/* ---- Open / close ---------------------------------------------------------- */

static int query_int(struct store_state *st, const char *sql, long *out, struct sbuf *err)
{
	sqlite3_stmt *stmt;
	int r = prepare(st, sql, &stmt, err);

	if (r)
		return r;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(stmt, 0);
	else
		r = db_error(st, "cannot read", err);
	sqlite3_finalize(stmt);
	return r;
}

static int set_wal(struct store_state *st, struct sbuf *err)
{
	sqlite3_stmt *stmt;
	int r = prepare(st, "PRAGMA journal_mode = WAL", &stmt, err);

	if (r)
		return r;
	if (sqlite3_step(stmt) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "wal"))
		r = db_error(st, "cannot switch to WAL journal", err);
	sqlite3_finalize(stmt);
	return r;
}

/* pc_redact(text): redact_text() for the SQL of the version 4 migration. */
static void sql_redact(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	if (text)
		sqlite3_result_text(ctx, redact_text(text), -1, free);
	else
		sqlite3_result_null(ctx);
}

/*
 * Only text holding "://" can change, and only rows that do change are
 * written (an untouched file is not compacted).  Rows whose ids become one
 * keep the done one (else the latest): it must not be redone.  Redaction
 * is idempotent, so once the others are gone no update can collide.
 */
static const char redact_v4[] =
	"DELETE FROM episodes WHERE rowid IN (SELECT id FROM (SELECT rowid AS id,"
	" row_number() OVER (PARTITION BY pc_redact(feed_url), pc_redact(episode_id)"
	" ORDER BY status = 'done' DESC, updated_at DESC) AS n FROM episodes"
	" WHERE instr(feed_url, '://') OR instr(episode_id, '://')) WHERE n > 1);"
	"UPDATE episodes SET feed_url = pc_redact(feed_url), episode_id = pc_redact(episode_id),"
	" last_error = pc_redact(last_error)"
	" WHERE feed_url <> pc_redact(feed_url) OR episode_id <> pc_redact(episode_id)"
	" OR last_error <> pc_redact(last_error);"
	"DELETE FROM feed_http WHERE rowid IN (SELECT id FROM (SELECT rowid AS id,"
	" row_number() OVER (PARTITION BY pc_redact(feed_url) ORDER BY updated_at DESC) AS n"
	" FROM feed_http WHERE instr(feed_url, '://')) WHERE n > 1);"
	"UPDATE feed_http SET feed_url = pc_redact(feed_url) WHERE feed_url <> pc_redact(feed_url);"
	"PRAGMA user_version = 4;";

static const char collisions_sql[] =
	"SELECT pc_redact(feed_url), pc_redact(episode_id), count(*) FROM episodes"
	" WHERE instr(feed_url, '://') OR instr(episode_id, '://')"
	" GROUP BY 1, 2 HAVING count(*) > 1";

/* Names each episode id that several recorded ids become once redacted. */
static int warn_collisions(struct store_state *st, struct sbuf *err)
{
	sqlite3_stmt *stmt;
	int rc = SQLITE_DONE, r = prepare(st, collisions_sql, &stmt, err);

	while (!r && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		log_warn("state", "feed '%s': %lld recorded episodes have the id '%s' once the "
			 "credentials in them are hidden; keeping one of them (a done one first)",
			 (const char *)sqlite3_column_text(stmt, 0), sqlite3_column_int64(stmt, 2),
			 (const char *)sqlite3_column_text(stmt, 1));
	if (!r && rc != SQLITE_DONE)
		r = db_error(st, "cannot read the recorded episode ids", err);
	sqlite3_finalize(stmt);
	return r;
}

/* Inside the migration's transaction: rows of earlier versions lose their credentials. */
static int redact_old_rows(struct store_state *st, bool *changed, struct sbuf *err)
{
	sqlite3_int64 before = sqlite3_total_changes64(st->db);
	int r = warn_collisions(st, err);

	if (!r)
		r = exec(st, redact_v4, err);
	*changed = sqlite3_total_changes64(st->db) > before;
	return r;
}

/*
 * The rewritten rows leave their old text in the file: in the unused part
 * of the pages the update rebuilt, which secure_delete (on in Debian's
 * SQLite) does not zero, and in pages freed by a SQLite built without it.
 * VACUUM writes every page anew, and the checkpoint empties the WAL that
 * held the pages in between.  It costs a fraction of the rewrite itself
 * (docs/BENCHMARKS.md).  Best effort: the rows are redacted either way.
 */
static void compact(struct store_state *st)
{
	if (sqlite3_exec(st->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
		log_warn("state", "state database '%s': cannot compact it after hiding old "
			 "credentials (%s): their old text may stay in its free space",
			 st->path, sqlite3_errmsg(st->db));
	sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

static int migrate_steps(struct store_state *st, long version, bool *redacted,
			 struct sbuf *err)
{
	int r = exec(st, "BEGIN IMMEDIATE", err);

	if (!r && version < 1)
		r = exec(st, schema_v1, err);
	if (!r && version < 2)
		r = exec(st, schema_v2, err);
	if (!r && version < 3)
		r = exec(st, schema_v3, err);
	if (!r && version < 4)
		r = redact_old_rows(st, redacted, err);
	if (!r)
		return exec(st, "COMMIT", err);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

static int migrate(struct store_state *st, struct sbuf *err)
{
	long version = 0;
	bool redacted = false;
	int r = query_int(st, "PRAGMA user_version", &version, err);

	if (r)
		return r;
	if (version > SCHEMA_VERSION) {
		sbuf_setf(err, "state database '%s' has schema version %ld, newer than "
			  "this program's %d", st->path, version, SCHEMA_VERSION);
		return -PC_EUSAGE;
	}
	if (version == SCHEMA_VERSION)
		return 0;
	if (sqlite3_create_function(st->db, "pc_redact", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, sql_redact, NULL, NULL) != SQLITE_OK)
		return db_error(st, "cannot add the redaction function", err);
	r = migrate_steps(st, version, &redacted, err);
	if (!r && redacted)
		compact(st);
	return r;
}

static int configure(struct store_state *st, struct sbuf *err)
{
	int r;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	r = set_wal(st, err);
	if (!r)
		r = exec(st, "PRAGMA synchronous = NORMAL", err);
	if (!r)
		r = migrate(st, err);
	st->version = SCHEMA_VERSION;
	return r;
}

int store_state_open(const char *feed_dir, struct store_state **out, struct sbuf *err)
{
	struct store_state *st = pc_calloc(1, sizeof(*st));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
	int r;

	st->path = fs_join(feed_dir, "state.sqlite");
	st->feed_url = pc_strdup("");
	pthread_mutex_init(&st->lock, NULL);
	if (sqlite3_open_v2(st->path, &st->db, flags, NULL) != SQLITE_OK)
		r = db_error(st, "cannot open", err);
	else
		r = configure(st, err);
	if (r) {
		store_state_close(st);
		return r;
	}
	*out = st;
	return 0;
}

/*
 * Rows an earlier version recorded under the URL with its credentials move
 * to the redacted one, best effort: a failure leaves them to be redone.
 */
static void move_raw_rows(struct store_state *st, const char *raw)
{
	static const char *const sql[] = {
		"UPDATE OR IGNORE episodes SET feed_url = ?1 WHERE feed_url = ?2",
		"UPDATE OR IGNORE feed_http SET feed_url = ?1 WHERE feed_url = ?2",
	};
	struct sbuf err = SBUF_INIT(1024);
	sqlite3_stmt *stmt;

	for (size_t i = 0; i < ARRAY_SIZE(sql); i++) {
		if (prepare(st, sql[i], &stmt, &err) < 0)
			break;
		bind_text(stmt, 1, st->feed_url);
		bind_text(stmt, 2, raw);
		step_done(st, stmt, "cannot rename feed rows", &err);
	}
	sbuf_release(&err);
}

/* "file:" URI of path, with every byte a URI could misread percent-encoded. */
static char *file_uri(const char *path, const char *query)
{
	struct sbuf u = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_adds(&u, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("/._-~", *p))
			sbuf_addch(&u, (char)*p);
		else
			sbuf_addf(&u, "%%%02X", *p);
	}
	sbuf_adds(&u, query);
	return sbuf_detach(&u, NULL);
}

int store_state_open_readonly(const char *feed_dir, struct store_state **out, struct sbuf *err)
{
	struct store_state *st = pc_calloc(1, sizeof(*st));
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX;
	char *uri;
	int r = 0;

	st->path = fs_join(feed_dir, "state.sqlite");
	st->feed_url = pc_strdup("");
	pthread_mutex_init(&st->lock, NULL);
	uri = file_uri(st->path, "?immutable=1");
	if (!fs_exists(st->path)) {
		sbuf_setf(err, "state database '%s' does not exist", st->path);
		r = -PC_ENOTFOUND;
	} else if (sqlite3_open_v2(uri, &st->db, flags, NULL) != SQLITE_OK) {
		r = db_error(st, "cannot open", err);
	} else if (!(r = query_int(st, "PRAGMA user_version", &st->version, err)) &&
		   (st->version < 1 || st->version > SCHEMA_VERSION)) {
		sbuf_setf(err, "state database '%s' has schema version %ld, not one this "
			  "program reads", st->path, st->version);
		r = -PC_EUSAGE;
	}
	free(uri);
	if (r) {
		store_state_close(st);
		return r;
	}
	*out = st;
	return 0;
}

void store_state_bind_feed(struct store_state *st, const char *feed_url)
{
	const char *raw = feed_url ? feed_url : "";

	pthread_mutex_lock(&st->lock);
	free(st->feed_url);
	st->feed_url = redact_text(raw);
	if (strcmp(st->feed_url, raw))
		move_raw_rows(st, raw);
	pthread_mutex_unlock(&st->lock);
}

void store_state_close(struct store_state *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st->path);
	free(st->feed_url);
	free(st);
}

/* ---- Episodes --------------------------------------------------------------- */

void store_episode_state_release(struct store_episode_state *es)
{
	free(es->stem);
	free(es->last_error);
	free(es->error_stage);
	free(es->transcript_source);
	free(es->files);
	free(es->outputs);
	free(es->updated_at);
	*es = (struct store_episode_state)STORE_EPISODE_STATE_INIT;
}

static void read_row(sqlite3_stmt *stmt, struct store_episode_state *out)
{
	int status = store_status_from_name((const char *)sqlite3_column_text(stmt, 0));

	/* The CHECK constraint keeps unknown names out; treat one as not done. */
	out->status = status < 0 ? STORE_PENDING : (enum store_status)status;
	out->stem = column_dup(stmt, 1);
	out->last_error = column_dup(stmt, 2);
	out->error_stage = column_dup(stmt, 3);
	out->transcript_source = column_dup(stmt, 4);
	out->files = column_dup(stmt, 5);
	out->attempts = (long)sqlite3_column_int64(stmt, 6);
	out->updated_at = column_dup(stmt, 7);
	out->outputs = column_dup(stmt, 8);
}

static int get_locked(struct store_state *st, const char *episode_id,
		      struct store_episode_state *out, struct sbuf *err)
{
	static const char sql[] =
		"SELECT status, stem, last_error, error_stage, transcript_source, files,"
		" attempts, updated_at, outputs FROM episodes WHERE feed_url = ?1 AND episode_id = ?2";
	/* a file opened read-only keeps its older schema */
	static const char sql_v2[] =
		"SELECT status, stem, last_error, error_stage, transcript_source, files,"
		" attempts, updated_at, NULL FROM episodes WHERE feed_url = ?1 AND episode_id = ?2";
	sqlite3_stmt *stmt;
	int rc, r = prepare(st, st->version >= 3 ? sql : sql_v2, &stmt, err);

	if (r)
		return r;
	bind_text(stmt, 1, st->feed_url);
	bind_id(stmt, 2, episode_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		read_row(stmt, out);
	else if (rc == SQLITE_DONE)
		r = -PC_ENOTFOUND;
	else
		r = db_error(st, "cannot read episode", err);
	sqlite3_finalize(stmt);
	return r;
}

int store_state_get(struct store_state *st, const char *episode_id,
		    struct store_episode_state *out, struct sbuf *err)
{
	int r;

	*out = (struct store_episode_state)STORE_EPISODE_STATE_INIT;
	pthread_mutex_lock(&st->lock);
	r = get_locked(st, episode_id, out, err);
	pthread_mutex_unlock(&st->lock);
	return r;
}

static const char upsert_sql[] =
	"INSERT INTO episodes (feed_url, episode_id, stem, status, transcript_source,"
	" last_error, error_stage, attempts, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	" ON CONFLICT (feed_url, episode_id) DO UPDATE SET"
	" stem = excluded.stem, status = excluded.status,"
	" transcript_source = COALESCE(excluded.transcript_source, transcript_source),"
	" last_error = excluded.last_error, error_stage = excluded.error_stage,"
	" attempts = attempts + excluded.attempts, updated_at = excluded.updated_at";

int store_state_set(struct store_state *st, const char *episode_id, const char *stem,
		    enum store_status status, const char *error_stage,
		    const char *error_message, const char *transcript_source,
		    struct sbuf *err)
{
	bool done = status == STORE_DONE;
	bool finished = done || status == STORE_FAILED;
	char *message;
	char now[TIME_ISO_LEN];
	sqlite3_stmt *stmt;
	int r;

	if (done && (r = store_sync(err)) < 0)
		return r;
	message = done ? NULL : redact_text(error_message);
	now_iso(now);
	pthread_mutex_lock(&st->lock);
	r = prepare(st, upsert_sql, &stmt, err);
	if (!r) {
		bind_text(stmt, 1, st->feed_url);
		bind_id(stmt, 2, episode_id);
		bind_text(stmt, 3, stem);
		bind_text(stmt, 4, store_status_name(status));
		bind_text(stmt, 5, transcript_source);
		bind_text(stmt, 6, message);
		bind_text(stmt, 7, done ? NULL : error_stage);
		sqlite3_bind_int(stmt, 8, finished ? 1 : 0);
		bind_text(stmt, 9, now);
		r = step_done(st, stmt, "cannot record episode", err);
	}
	pthread_mutex_unlock(&st->lock);
	free(message);
	return r;
}

/* Sets one column (named by noun in errors) of an existing episode row. */
static int set_column(struct store_state *st, const char *sql, const char *episode_id,
		      const char *value, const char *noun, struct sbuf *err)
{
	char what[64];
	sqlite3_stmt *stmt;
	int r;

	snprintf(what, sizeof(what), "cannot record episode %s", noun);
	pthread_mutex_lock(&st->lock);
	r = prepare(st, sql, &stmt, err);
	if (!r) {
		bind_text(stmt, 1, value);
		bind_text(stmt, 2, st->feed_url);
		bind_id(stmt, 3, episode_id);
		r = step_done(st, stmt, what, err);
	}
	if (!r && !sqlite3_changes(st->db)) {
		sbuf_setf(err, "state database '%s': no episode '%s' to attach %s to",
			  st->path, episode_id, noun);
		r = -PC_ENOTFOUND;
	}
	pthread_mutex_unlock(&st->lock);
	return r;
}

int store_state_set_files(struct store_state *st, const char *episode_id,
			  const char *files_json, struct sbuf *err)
{
	return set_column(st, "UPDATE episodes SET files = ?1 WHERE feed_url = ?2 AND episode_id = ?3",
			  episode_id, files_json, "files", err);
}

int store_state_set_outputs(struct store_state *st, const char *episode_id,
			    const char *outputs_json, struct sbuf *err)
{
	return set_column(st, "UPDATE episodes SET outputs = ?1 WHERE feed_url = ?2 AND episode_id = ?3",
			  episode_id, outputs_json, "outputs", err);
}

long store_state_count(struct store_state *st, int status, struct sbuf *err)
{
	static const char sql[] =
		"SELECT count(*) FROM episodes WHERE feed_url = ?1 AND (?2 IS NULL OR status = ?2)";
	sqlite3_stmt *stmt;
	long n = -PC_EFAIL;

	pthread_mutex_lock(&st->lock);
	if (!prepare(st, sql, &stmt, err)) {
		bind_text(stmt, 1, st->feed_url);
		bind_text(stmt, 2, status < 0 ? NULL : store_status_name((enum store_status)status));
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(stmt, 0);
		else
			db_error(st, "cannot count episodes", err);
		sqlite3_finalize(stmt);
	}
	pthread_mutex_unlock(&st->lock);
	return n;
}

long store_state_shared_stems(struct store_state *st, struct sbuf *err)
{
	long n = 0;
	int r;

	pthread_mutex_lock(&st->lock);
	r = query_int(st, "SELECT count(*) FROM (SELECT stem FROM episodes"
		      " GROUP BY stem HAVING count(*) > 1)", &n, err);
	pthread_mutex_unlock(&st->lock);
	return r ? r : n;
}

/* ---- Checks and runs ----------------------------------------------------------- */

static int integrity_locked(struct store_state *st, struct sbuf *err)
{
	sqlite3_stmt *stmt;
	int r = prepare(st, "PRAGMA integrity_check", &stmt, err);
	bool ok = false;

	if (r)
		return r;
	sbuf_reset(err);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(stmt, 0);

		ok = line && !strcmp(line, "ok");
		sbuf_addf(err, "%s%s", err->len ? "; " : "", line ? line : "");
	}
	sqlite3_finalize(stmt);
	if (ok)
		return 0;
	sbuf_addf(err, " (state database '%s' failed its integrity check)", st->path);
	return -PC_EFAIL;
}

int store_state_integrity_check(struct store_state *st, struct sbuf *err)
{
	int r;

	pthread_mutex_lock(&st->lock);
	r = integrity_locked(st, err);
	pthread_mutex_unlock(&st->lock);
	if (!r)
		sbuf_reset(err);
	return r;
}

int store_state_record_run(struct store_state *st, struct store_run *run, struct sbuf *err)
{
	static const char sql[] =
		"INSERT INTO runs (run_id, started, finished, counts) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (run_id) DO UPDATE SET started = excluded.started,"
		" finished = excluded.finished, counts = excluded.counts";
	json_t *metrics = store_run_metrics(run);
	char *counts = json_dumps(metrics, JSON_COMPACT | JSON_PRESERVE_ORDER);
	sqlite3_stmt *stmt;
	int r;

	pthread_mutex_lock(&st->lock);
	r = prepare(st, sql, &stmt, err);
	if (!r) {
		bind_text(stmt, 1, store_run_id(run));
		bind_text(stmt, 2, json_string_value(json_object_get(metrics, "started")));
		bind_text(stmt, 3, json_string_value(json_object_get(metrics, "finished")));
		bind_text(stmt, 4, counts);
		r = step_done(st, stmt, "cannot record run", err);
	}
	pthread_mutex_unlock(&st->lock);
	free(counts);
	json_decref(metrics);
	return r;
}

/* ---- feed validators ---- */

void store_validators_release(struct store_validators *v)
{
	free(v->etag);
	free(v->last_modified);
	free(v->settings);
	memset(v, 0, sizeof(*v));
}

static int get_validators_locked(struct store_state *st, struct store_validators *out,
				 struct sbuf *err)
{
	sqlite3_stmt *stmt;
	int r = prepare(st, "SELECT etag, last_modified, settings FROM feed_http "
			"WHERE feed_url = ?", &stmt, err);
	int rc;

	if (r)
		return r;
	bind_text(stmt, 1, st->feed_url);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->etag = column_dup(stmt, 0);
		out->last_modified = column_dup(stmt, 1);
		out->settings = column_dup(stmt, 2);
	} else {
		r = rc == SQLITE_DONE ? -PC_ENOTFOUND : db_error(st, "cannot read validators", err);
	}
	sqlite3_finalize(stmt);
	return r;
}

int store_state_get_validators(struct store_state *st, struct store_validators *out,
			       struct sbuf *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&st->lock);
	r = get_validators_locked(st, out, err);
	pthread_mutex_unlock(&st->lock);
	return r;
}

static const char set_validators_sql[] =
	"INSERT INTO feed_http (feed_url, etag, last_modified, settings, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (feed_url) DO UPDATE SET "
	"etag = ?2, last_modified = ?3, settings = ?4, updated_at = ?5";

int store_state_set_validators(struct store_state *st, const struct store_validators *v,
			       struct sbuf *err)
{
	char now[TIME_ISO_LEN];
	sqlite3_stmt *stmt;
	bool forget = !v || (!v->etag && !v->last_modified);
	int r;

	now_iso(now);
	pthread_mutex_lock(&st->lock);
	r = prepare(st, forget ? "DELETE FROM feed_http WHERE feed_url = ?1" :
		    set_validators_sql, &stmt, err);
	if (!r) {
		bind_text(stmt, 1, st->feed_url);
		if (!forget) {
			bind_text(stmt, 2, v->etag);
			bind_text(stmt, 3, v->last_modified);
			bind_text(stmt, 4, v->settings ? v->settings : "");
			bind_text(stmt, 5, now);
		}
		r = step_done(st, stmt, "cannot write validators", err);
	}
	pthread_mutex_unlock(&st->lock);
	return r;
}

/* ---- Ownership marker ------------------------------------------------------- */

/* Our schema: a user_version this program wrote, with its episodes table. */
static bool has_our_schema(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	long version = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		version = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return version >= 1 && version <= SCHEMA_VERSION;
}

int store_state_stems(const char *feed_dir, struct strlist *stems)
{
	char *path = fs_join(feed_dir, "state.sqlite");
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int r = -PC_ENOTFOUND;

	if (fs_exists(path) && sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    has_our_schema(db) &&
	    sqlite3_prepare_v2(db, "SELECT DISTINCT stem FROM episodes", -1, &stmt, NULL) == SQLITE_OK) {
		while (sqlite3_step(stmt) == SQLITE_ROW)
			strlist_push(stems, (const char *)sqlite3_column_text(stmt, 0));
		r = 0;   /* a damaged table still carries the marker: clean what was read */
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(path);
	return r;
}

/* ---- Stems ------------------------------------------------------------------ */

void store_stem_rows_free(struct store_stem_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].feed_url);
		free(rows[i].episode_id);
		free(rows[i].stem);
	}
	free(rows);
}

const char *store_state_feed(const struct store_state *st)
{
	return st->feed_url;
}

static int stem_rows_locked(struct store_state *st, struct store_stem_row **rows_out,
			    size_t *n_out, struct sbuf *err)
{
	static const char sql[] = "SELECT feed_url, episode_id, stem FROM episodes"
				  " ORDER BY stem, feed_url, episode_id";
	struct store_stem_row *rows = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *stmt;
	int rc, r = prepare(st, sql, &stmt, err);

	while (!r && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		PC_GROW(rows, alloc, n + 1);
		rows[n].feed_url = column_dup(stmt, 0);
		rows[n].episode_id = column_dup(stmt, 1);
		rows[n++].stem = column_dup(stmt, 2);
	}
	if (!r && rc != SQLITE_DONE)
		r = db_error(st, "cannot read the episodes' stems", err);
	sqlite3_finalize(stmt);
	if (r) {
		store_stem_rows_free(rows, n);
		return r;
	}
	*rows_out = rows;
	*n_out = n;
	return 0;
}

int store_state_stem_rows(struct store_state *st, struct store_stem_row **rows_out,
			  size_t *n_out, struct sbuf *err)
{
	int r;

	*rows_out = NULL;
	*n_out = 0;
	pthread_mutex_lock(&st->lock);
	r = stem_rows_locked(st, rows_out, n_out, err);
	pthread_mutex_unlock(&st->lock);
	return r;
}

static const char claim_sql[] =
	"INSERT INTO episodes (feed_url, episode_id, stem, status, updated_at)"
	" VALUES (?1, ?2, ?3, 'pending', ?4)"
	" ON CONFLICT (feed_url, episode_id) DO UPDATE SET"
	" stem = excluded.stem, status = 'pending', updated_at = excluded.updated_at";

static int claim_locked(struct store_state *st, const struct store_stem_row *rows, size_t n,
			struct sbuf *err)
{
	char now[TIME_ISO_LEN];
	sqlite3_stmt *stmt;
	int r = prepare(st, claim_sql, &stmt, err);

	now_iso(now);
	for (size_t i = 0; !r && i < n; i++) {
		sqlite3_reset(stmt);
		bind_id(stmt, 1, rows[i].feed_url);
		bind_id(stmt, 2, rows[i].episode_id);
		bind_text(stmt, 3, rows[i].stem);
		bind_text(stmt, 4, now);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			r = db_error(st, "cannot record the episodes' stems", err);
	}
	sqlite3_finalize(stmt);
	return r;
}

int store_state_claim_stems(struct store_state *st, const struct store_stem_row *rows,
			    size_t n, struct sbuf *err)
{
	int r;

	if (!n)
		return 0;
	pthread_mutex_lock(&st->lock);
	r = exec(st, "BEGIN IMMEDIATE", err);
	if (!r)
		r = claim_locked(st, rows, n, err);
	if (!r)
		r = exec(st, "COMMIT", err);
	if (r)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&st->lock);
	return r;
}
