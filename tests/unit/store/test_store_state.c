/* Unit tests for state.sqlite: upserts, transitions, persistence, versions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fixture.h"
#include "store/store.h"
#include "util/fs.h"

/* Runs one-integer SQL on the file directly, bypassing the module. */
static long raw_int(struct store_fixture *f, const char *sql)
{
	char *path = fs_join(f->dir, "state.sqlite");
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(path);
	return v;
}

static void failed_then_done_without_duplicates(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_episode_state es;

	assert_int_equal(store_state_set(st, "ep1", "2024-01-15_A_abcdef", STORE_PENDING,
					 NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(store_state_get(st, "ep1", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_PENDING);
	assert_int_equal(es.attempts, 0);
	assert_string_equal(es.stem, "2024-01-15_A_abcdef");
	store_episode_state_release(&es);

	assert_int_equal(store_state_set(st, "ep1", "2024-01-15_A_abcdef", STORE_FAILED,
					 "download", "HTTP 503 from cdn", NULL, &f->err), 0);
	assert_int_equal(store_state_get(st, "ep1", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_FAILED);
	assert_int_equal(es.attempts, 1);
	assert_string_equal(es.last_error, "HTTP 503 from cdn");
	assert_string_equal(es.error_stage, "download");
	store_episode_state_release(&es);

	assert_int_equal(store_state_set(st, "ep1", "2024-01-15_A_abcdef", STORE_DONE,
					 "download", "stale", "direct_download", &f->err), 0);
	assert_int_equal(store_state_get(st, "ep1", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_DONE);
	assert_int_equal(es.attempts, 2);
	assert_null(es.last_error);
	assert_null(es.error_stage);
	assert_string_equal(es.transcript_source, "direct_download");
	assert_non_null(es.updated_at);
	store_episode_state_release(&es);

	assert_int_equal(store_state_count(st, -1, &f->err), 1);
	assert_int_equal(store_state_count(st, STORE_DONE, &f->err), 1);
	assert_int_equal(store_state_count(st, STORE_FAILED, &f->err), 0);
	store_state_close(st);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM episodes"), 1);
}

static void missing_episode_is_not_found(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_episode_state es;

	assert_int_equal(store_state_get(st, "nope", &es, &f->err), -PC_ENOTFOUND);
	assert_int_equal(store_state_set_files(st, "nope", "{}", &f->err), -PC_ENOTFOUND);
	assert_non_null(strstr(f->err.buf, "nope"));
	store_state_close(st);
}

static void reopen_persists_and_schema_is_versioned(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_episode_state es;

	store_state_bind_feed(st, "https://example.com/feed");
	assert_int_equal(store_state_set(st, "ep", "S", STORE_NEEDS_TRANSCRIPTION, "fetch",
					 "transcript 404", "whisper_transcription", &f->err), 0);
	assert_int_equal(store_state_set_files(st, "ep", "{\"text\":\"transcripts/S.txt\"}",
					       &f->err), 0);
	store_state_close(st);

	st = store_fixture_open(f);
	store_state_bind_feed(st, "https://example.com/feed");
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_NEEDS_TRANSCRIPTION);
	assert_string_equal(es.files, "{\"text\":\"transcripts/S.txt\"}");
	store_episode_state_release(&es);
	/* transcript_source NULL keeps what was recorded */
	assert_int_equal(store_state_set(st, "ep", "S", STORE_DONE, NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_string_equal(es.transcript_source, "whisper_transcription");
	store_episode_state_release(&es);
	assert_int_equal(store_state_integrity_check(st, &f->err), 0);
	store_state_close(st);

	assert_int_equal(raw_int(f, "PRAGMA user_version"), 4);
	/* WAL is a property of the file, so a fresh connection sees it. */
	{
		char *path = fs_join(f->dir, "state.sqlite");
		sqlite3 *db;
		sqlite3_stmt *stmt;

		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
		sqlite3_finalize(stmt);
		sqlite3_close(db);
		free(path);
	}
}

static void feeds_are_kept_apart(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_episode_state es;

	store_state_bind_feed(st, "https://a.example/feed");
	assert_int_equal(store_state_set(st, "same-guid", "A", STORE_DONE, NULL, NULL, NULL,
					 &f->err), 0);
	store_state_bind_feed(st, "https://b.example/feed");
	assert_int_equal(store_state_get(st, "same-guid", &es, &f->err), -PC_ENOTFOUND);
	assert_int_equal(store_state_set(st, "same-guid", "B", STORE_FAILED, "parse", "bad",
					 NULL, &f->err), 0);
	store_state_bind_feed(st, "https://a.example/feed");
	assert_int_equal(store_state_get(st, "same-guid", &es, &f->err), 0);
	assert_string_equal(es.stem, "A");
	assert_int_equal(es.status, STORE_DONE);
	store_episode_state_release(&es);
	store_state_close(st);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM episodes"), 2);
}

struct writer {
	struct store_state *st;
	int id;
};

static void *write_many(void *arg)
{
	struct writer *w = arg;
	struct sbuf err = SBUF_INIT(1024);

	for (int i = 0; i < 40; i++) {
		char id[32];

		snprintf(id, sizeof(id), "ep-%d", i);
		if (store_state_set(w->st, id, id, i % 2 ? STORE_DONE : STORE_FAILED, "write",
				    "x", NULL, &err))
			w->id = -1;
	}
	sbuf_release(&err);
	return NULL;
}

static void threads_never_duplicate_rows(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct writer w[4];
	pthread_t th[4];
	struct store_episode_state es;

	for (int i = 0; i < 4; i++) {
		w[i] = (struct writer){ st, i };
		pthread_create(&th[i], NULL, write_many, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].id, i);
	}
	assert_int_equal(store_state_count(st, -1, &f->err), 40);
	assert_int_equal(store_state_count(st, STORE_DONE, &f->err), 20);
	assert_int_equal(store_state_get(st, "ep-7", &es, &f->err), 0);
	assert_int_equal(es.attempts, 4);
	store_episode_state_release(&es);
	assert_int_equal(store_state_integrity_check(st, &f->err), 0);
	store_state_close(st);
}

static void newer_schema_is_refused(void **state)
{
	struct store_fixture *f = *state;
	char *path = fs_join(f->dir, "state.sqlite");
	struct store_state *st = NULL;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_state_open(f->dir, &st, &f->err), -PC_EUSAGE);
	assert_null(st);
	assert_non_null(strstr(f->err.buf, path));
	assert_non_null(strstr(f->err.buf, "version 7"));
	free(path);
}

static void garbage_file_is_refused(void **state)
{
	struct store_fixture *f = *state;
	char *path = fs_join(f->dir, "state.sqlite");
	struct store_state *st = NULL;
	static const char junk[] = "this is certainly not an SQLite database, just text....";

	assert_int_equal(fs_write_atomic(path, junk, sizeof(junk), &f->err), 0);
	assert_true(store_state_open(f->dir, &st, &f->err) < 0);
	assert_null(st);
	assert_non_null(strstr(f->err.buf, path));
	free(path);
}

static void corruption_is_reported(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	char *path = fs_join(f->dir, "state.sqlite");
	char junk[8192];
	FILE *fp;

	for (int i = 0; i < 60; i++) {
		char id[640];

		snprintf(id, sizeof(id), "episode-%04d-%0600d", i, i);
		assert_int_equal(store_state_set(st, id, id, STORE_DONE, NULL, NULL, NULL,
						 &f->err), 0);
	}
	store_state_close(st);     /* the last close checkpoints the WAL into the file */
	memset(junk, 0x5A, sizeof(junk));
	fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 3 * 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
	/* Page 1 (header, schema) is intact, so opening works and the check must see it. */
	assert_int_equal(store_state_open(f->dir, &st, &f->err), 0);
	assert_true(store_state_integrity_check(st, &f->err) < 0);
	assert_non_null(strstr(f->err.buf, "integrity"));
	store_state_close(st);
	free(path);
}

static void run_rows_are_recorded(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_run *run;
	struct store_index_row row = { .episode_id = "e", .stem = "s", .status = STORE_ROW_OK };

	assert_int_equal(store_run_new("run-1", NULL, &run, &f->err), 0);
	store_run_add_row(run, &row);
	store_run_finish(run);
	assert_int_equal(store_state_record_run(st, run, &f->err), 0);
	assert_int_equal(store_state_record_run(st, run, &f->err), 0);
	store_run_free(run);
	store_state_close(st);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(raw_int(f, "SELECT json_extract(counts, '$.episodes.ok') FROM runs"), 1);
	assert_int_equal(raw_int(f, "SELECT finished IS NOT NULL FROM runs"), 1);
}

static void status_names_round_trip(void **state)
{
	(void)state;
	for (int s = STORE_PENDING; s <= STORE_NEEDS_TRANSCRIPTION; s++)
		assert_int_equal(store_status_from_name(store_status_name(s)), s);
	assert_int_equal(store_status_from_name("finished"), -1);
}

/* Puts a UNIX socket at path: it can be stat()ed but not opened, so
 * syncing it fails (whatever our privileges). */
static int socket_at(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof(addr.sun_path));
	memcpy(addr.sun_path, path, strlen(path) + 1);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

/* "done" is recorded only once the episode's files are synced: a file that
 * cannot be synced keeps the row as it was, and is retried by the next
 * attempt. */
static void done_waits_for_files_to_sync(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_episode_state es;
	char *path = fs_join(f->dir, "transcripts/e.txt");
	int sock;

	/* only this test's file pending: one on the same disk would let syncfs pass */
	assert_int_equal(store_sync(&f->err), 0);
	assert_int_equal(store_state_set(st, "e", "stem", STORE_PENDING, NULL, NULL, NULL,
					 &f->err), 0);
	assert_int_equal(store_write_file(f->dir, "transcripts/e.txt", "text", 4, &f->err), 0);
	sock = socket_at(path);
	assert_true(store_state_set(st, "e", "stem", STORE_DONE, NULL, NULL, "direct_download",
				    &f->err) < 0);
	assert_non_null(strstr(f->err.buf, "transcripts/e.txt"));
	assert_int_equal(store_state_get(st, "e", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_PENDING);
	store_episode_state_release(&es);
	assert_true(store_sync(&f->err) < 0);

	/* once the obstacle is gone (a removed file needs no sync) done goes through */
	close(sock);
	unlink(path);
	sbuf_reset(&f->err);
	assert_int_equal(store_state_set(st, "e", "stem", STORE_DONE, NULL, NULL,
					 "direct_download", &f->err), 0);
	assert_int_equal(store_state_get(st, "e", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_DONE);
	store_episode_state_release(&es);
	store_state_close(st);
	free(path);
}

static void written_files_sync_and_stay_whole(void **state)
{
	struct store_fixture *f = *state;
	struct sbuf data = SBUF_INIT(1024);
	char *path = fs_join(f->dir, "metadata/m.json");

	assert_int_equal(store_write_file(f->dir, "metadata/m.json", "{}\n", 3, &f->err), 0);
	assert_int_equal(store_write_file(f->dir, "metadata/m.json", "{\"a\": 1}\n", 9, &f->err),
			 0);
	assert_int_equal(store_sync(&f->err), 0);
	/* nothing pending any more: a second call has nothing to do */
	assert_int_equal(store_sync(&f->err), 0);
	assert_int_equal(fs_read_file(path, &data, &f->err), 0);
	assert_string_equal(data.buf, "{\"a\": 1}\n");
	sbuf_release(&data);
	free(path);
}

/* Validators are kept per feed, replaced, and forgotten on request. */
static void validators_round_trip(void **state)
{
	struct store_fixture *f = *state;
	struct store_state *st = store_fixture_open(f);
	struct store_validators v = { 0 };
	struct store_validators in = { "\"abc\"", "Fri, 04 Dec 2026 10:00:00 GMT", "s1" };

	store_state_bind_feed(st, "https://a.example/feed");
	assert_int_equal(store_state_get_validators(st, &v, &f->err), -PC_ENOTFOUND);
	assert_int_equal(store_state_set_validators(st, &in, &f->err), 0);
	in.etag = NULL;
	in.settings = "s2";
	assert_int_equal(store_state_set_validators(st, &in, &f->err), 0);
	assert_int_equal(store_state_get_validators(st, &v, &f->err), 0);
	assert_null(v.etag);
	assert_string_equal(v.last_modified, "Fri, 04 Dec 2026 10:00:00 GMT");
	assert_string_equal(v.settings, "s2");
	store_validators_release(&v);
	store_state_bind_feed(st, "https://b.example/feed");
	assert_int_equal(store_state_get_validators(st, &v, &f->err), -PC_ENOTFOUND);
	store_state_bind_feed(st, "https://a.example/feed");
	assert_int_equal(store_state_set_validators(st, NULL, &f->err), 0);
	assert_int_equal(store_state_get_validators(st, &v, &f->err), -PC_ENOTFOUND);
	store_state_close(st);
}

/* The episodes table of schema versions 1 and 2. */
#define EPISODES_V1 \
	"CREATE TABLE episodes (feed_url TEXT NOT NULL, episode_id TEXT NOT NULL," \
	" stem TEXT NOT NULL, status TEXT NOT NULL, files TEXT, transcript_source TEXT," \
	" last_error TEXT, error_stage TEXT, attempts INTEGER NOT NULL DEFAULT 0," \
	" updated_at TEXT NOT NULL, PRIMARY KEY (feed_url, episode_id));"

/* A version 1 file gains the validators table and the outputs column and keeps its episodes. */
static void version_1_is_upgraded(void **state)
{
	struct store_fixture *f = *state;
	char *path = fs_join(f->dir, "state.sqlite");
	struct store_episode_state es = STORE_EPISODE_STATE_INIT;
	struct store_validators v = { "\"x\"", NULL, "s" };
	struct store_state *st;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		EPISODES_V1
		"CREATE TABLE runs (run_id TEXT PRIMARY KEY, started TEXT, finished TEXT,"
		" counts TEXT);"
		"INSERT INTO episodes VALUES ('', 'ep', 'S', 'done', NULL, NULL, NULL, NULL, 1,"
		" '2026-01-01T00:00:00Z');"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);
	st = store_fixture_open(f);
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_DONE);
	/* an old row says nothing of its outputs: the caller looks at the files */
	assert_null(es.outputs);
	store_episode_state_release(&es);
	assert_int_equal(store_state_set_validators(st, &v, &f->err), 0);
	assert_int_equal(store_state_set_outputs(st, "ep", "{\"screenplay\":true}", &f->err), 0);
	store_state_close(st);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 4);
}

/* Credentials as an earlier version stored them, raw, in a version 3 file. */
#define OLD_FEED "https://u:fpw-4411@ex.org/feed?token=tok-5522"
#define OLD_ID(n) "https://ex.org/ep/" n "?token=tok-5522"
#define OLD_SECRETS { "fpw-4411", "tok-5522", "tok-7788", "pw-9900" }
#define OLD_ROWS 400

/* Written as SQLite builds without SECURE_DELETE (the default elsewhere) leave files. */
static const char old_state_sql[] =
	"PRAGMA secure_delete = OFF;"
	"PRAGMA journal_mode = WAL;"
	EPISODES_V1
	"ALTER TABLE episodes ADD COLUMN outputs TEXT;"
	"CREATE TABLE runs (run_id TEXT PRIMARY KEY, started TEXT, finished TEXT, counts TEXT);"
	"CREATE TABLE feed_http (feed_url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
	" settings TEXT NOT NULL, updated_at TEXT NOT NULL);"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
	" INSERT INTO episodes SELECT '" OLD_FEED "', 'https://ex.org/ep/' || i ||"
	" '?token=tok-5522', 'S' || i, 'done', NULL, NULL, NULL, NULL, 1,"
	" '2026-01-01T00:00:00Z', NULL FROM n;"
	/* episode 1 once more under another token, failed later: the done row wins */
	"INSERT INTO episodes VALUES ('" OLD_FEED "', 'https://ex.org/ep/1?token=tok-7788',"
	" 'S1b', 'failed', NULL, NULL, 'HTTP 404 from " OLD_FEED "', 'download', 1,"
	" '2026-02-01T00:00:00Z', NULL);"
	"UPDATE episodes SET status = 'failed', error_stage = 'download',"
	" last_error = 'HTTP 404 from https://u:fpw-4411@cdn.ex.org/a.mp3'"
	" WHERE episode_id = '" OLD_ID("2") "';"
	/* a long error, then done: the old text stays in pages the file no longer uses */
	"UPDATE episodes SET status = 'failed', last_error = printf('%.9000c', 'x') ||"
	" ' from https://u:pw-9900@cdn.ex.org/b.mp3' WHERE episode_id = '" OLD_ID("3") "';"
	"UPDATE episodes SET status = 'done', last_error = NULL"
	" WHERE episode_id = '" OLD_ID("3") "';"
	"INSERT INTO feed_http VALUES ('" OLD_FEED "', '\"e1\"', NULL, 's',"
	" '2026-01-01T00:00:00Z');"
	"PRAGMA user_version = 3;";

/* How many of the old secrets are in the bytes of the state's files. */
static int old_secrets_in_files(struct store_fixture *f)
{
	static const char *const secrets[] = OLD_SECRETS;
	static const char *const names[] = { "state.sqlite", "state.sqlite-wal" };
	int found = 0;

	for (size_t i = 0; i < 2; i++) {
		char *path = fs_join(f->dir, names[i]);
		struct sbuf data = SBUF_INIT(SBUF_NOLIMIT);

		if (fs_exists(path))
			assert_int_equal(fs_read_file(path, &data, &f->err), 0);
		for (size_t j = 0; j < ARRAY_SIZE(secrets); j++)
			found += data.len && memmem(data.buf, data.len, secrets[j],
						    strlen(secrets[j])) != NULL;
		sbuf_release(&data);
		free(path);
	}
	return found;
}

/*
 * Version 4 rewrites ids, feed URLs and errors of earlier versions redacted:
 * the secrets leave the file's bytes and the done episodes stay done.
 */
static void old_credentials_are_redacted(void **state)
{
	struct store_fixture *f = *state;
	char *path = fs_join(f->dir, "state.sqlite");
	struct store_episode_state es = STORE_EPISODE_STATE_INIT;
	struct store_validators v = { 0 };
	struct store_state *st;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, old_state_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(path);
	assert_int_equal(old_secrets_in_files(f), 4);
	st = store_fixture_open(f);
	store_state_bind_feed(st, OLD_FEED);
	assert_int_equal(store_state_count(st, -1, &f->err), OLD_ROWS);
	assert_int_equal(store_state_count(st, STORE_DONE, &f->err), OLD_ROWS - 1);
	assert_int_equal(store_state_get(st, OLD_ID("1"), &es, &f->err), 0);
	assert_int_equal(es.status, STORE_DONE);
	assert_string_equal(es.stem, "S1");
	store_episode_state_release(&es);
	assert_int_equal(store_state_get(st, OLD_ID("2"), &es, &f->err), 0);
	assert_string_equal(es.last_error, "HTTP 404 from https://***@cdn.ex.org/a.mp3");
	store_episode_state_release(&es);
	assert_int_equal(store_state_get_validators(st, &v, &f->err), 0);
	assert_string_equal(v.etag, "\"e1\"");
	store_validators_release(&v);
	store_state_close(st);
	assert_int_equal(old_secrets_in_files(f), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM episodes WHERE episode_id ="
				 " 'https://ex.org/ep/400?token=***'"), 1);
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 4);
}

/* A read-only open writes nothing, not even -wal/-shm files, and reads an older schema. */
static void readonly_open_touches_nothing(void **state)
{
	struct store_fixture *f = *state;
	char *path = fs_join(f->dir, "state.sqlite");
	char *wal = fs_join(f->dir, "state.sqlite-wal"), *shm = fs_join(f->dir, "state.sqlite-shm");
	struct store_episode_state es = STORE_EPISODE_STATE_INIT;
	struct store_state *st = NULL;
	sqlite3 *db;

	assert_int_equal(store_state_open_readonly(f->dir, &st, &f->err), -PC_ENOTFOUND);
	assert_null(st);
	assert_false(fs_exists(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		EPISODES_V1
		"INSERT INTO episodes VALUES ('', 'ep', 'S', 'done', '{}', NULL, NULL, NULL, 1,"
		" '2026-01-01T00:00:00Z');"
		"PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_state_open_readonly(f->dir, &st, &f->err), 0);
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_int_equal(es.status, STORE_DONE);
	assert_string_equal(es.files, "{}");
	assert_null(es.outputs);
	store_episode_state_release(&es);
	store_state_close(st);
	assert_false(fs_exists(wal));
	assert_false(fs_exists(shm));
	assert_int_equal(raw_int(f, "PRAGMA user_version"), 2);
	free(path);
	free(wal);
	free(shm);
}

/* The outputs of a row are kept as given, survive a status change, and need a row. */
static void outputs_are_recorded(void **state)
{
	struct store_fixture *f = *state;
	struct store_episode_state es = STORE_EPISODE_STATE_INIT;
	struct store_state *st = store_fixture_open(f);

	assert_int_equal(store_state_set_outputs(st, "nope", "{}", &f->err), -PC_ENOTFOUND);
	assert_non_null(strstr(f->err.buf, "outputs"));
	assert_int_equal(store_state_set(st, "ep", "S", STORE_DONE, NULL, NULL, "direct_download",
					 &f->err), 0);
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_null(es.outputs);
	store_episode_state_release(&es);
	assert_int_equal(store_state_set_outputs(st, "ep", "{\"summary\":\"textrank\"}",
						 &f->err), 0);
	assert_int_equal(store_state_set(st, "ep", "S", STORE_DONE, NULL, NULL, NULL, &f->err), 0);
	store_state_close(st);
	st = store_fixture_open(f);
	assert_int_equal(store_state_get(st, "ep", &es, &f->err), 0);
	assert_string_equal(es.outputs, "{\"summary\":\"textrank\"}");
	store_episode_state_release(&es);
	store_state_close(st);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(failed_then_done_without_duplicates),
		T(missing_episode_is_not_found),
		T(reopen_persists_and_schema_is_versioned),
		T(feeds_are_kept_apart),
		T(threads_never_duplicate_rows),
		T(newer_schema_is_refused),
		T(garbage_file_is_refused),
		T(corruption_is_reported),
		T(run_rows_are_recorded),
		T(validators_round_trip),
		T(version_1_is_upgraded),
		T(old_credentials_are_redacted),
		T(outputs_are_recorded),
		T(readonly_open_touches_nothing),
		T(done_waits_for_files_to_sync),
		T(written_files_sync_and_stay_whole),
		cmocka_unit_test(status_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
