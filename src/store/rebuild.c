/*
 * rebuild.c - a state.sqlite with corrupted pages is found when the feed
 * folder is opened, before anything is downloaded, not at the end of a run
 * that then fails every episode with "malformed".  --rebuild-state moves the
 * bad file aside (kept for inspection) and rebuilds the state from the
 * metadata documents on disk: an episode whose metadata exists is done.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "log/log.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define META_SUFFIX ".metadata.json"
#define META_MAX_BYTES (16 << 20)

/* 0 when quick_check says ok; otherwise err holds its first complaint. */
static int quick_check(const char *path, struct sbuf *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	const char *line = NULL;

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		line = (const char *)sqlite3_column_text(stmt, 0);
	if (line && !strcmp(line, "ok"))
		rc = 0;
	else
		sbuf_setf(err, "%s", line ? line : sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc ? -PC_EFAIL : 0;
}

static char *concat(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = pc_malloc(n);

	snprintf(s, n, "%s%s", a, b);
	return s;
}

/* Renames state.sqlite (and its -wal/-shm) to state.sqlite.corrupt-<time>[-wal|-shm]. */
static int move_aside(const char *path, struct sbuf *err)
{
	static const char *const tails[] = { "-wal", "-shm" };
	char stamp[48], *to;
	time_t now = time(NULL);
	struct tm tm;
	int r = 0;

	strftime(stamp, sizeof(stamp), ".corrupt-%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	to = concat(path, stamp);
	if (rename(path, to) < 0) {
		r = -errno;
		sbuf_setf(err, "cannot move '%s' aside: %s", path, strerror(errno));
	}
	for (size_t i = 0; !r && i < ARRAY_SIZE(tails); i++) {
		char *from = concat(path, tails[i]), *dst = concat(to, tails[i]);

		if (fs_exists(from) && rename(from, dst) < 0)
			log_warn("write", "cannot move '%s' aside: %s", from, strerror(errno));
		free(from);
		free(dst);
	}
	if (!r)
		log_warn("write", "moved the corrupted state database to '%s'", to);
	free(to);
	return r;
}

/* Marks the episode of one metadata document done; documents that do not parse are skipped. */
static int restore_one(struct store_state *st, const char *meta_dir, const char *name,
		       struct sbuf *err)
{
	char *path = fs_join(meta_dir, name), *stem = pc_strndup(name, strlen(name) - strlen(META_SUFFIX));
	struct sbuf text = SBUF_INIT(META_MAX_BYTES);
	json_t *doc = NULL;
	const char *feed = NULL, *id = NULL;
	int r = 0;

	if (fs_read_file(path, &text, err) == 0 && (doc = json_loadb(text.buf, text.len, 0, NULL)))
		json_unpack(doc, "{s:{s:s}, s:{s:s}}", "feed", "url", &feed, "episode", "episode_id", &id);
	if (feed && id) {
		store_state_bind_feed(st, feed);
		r = store_state_set(st, id, stem, STORE_DONE, NULL, NULL, NULL, err);
	} else {
		log_warn("write", "'%s' names no feed and episode: not restored", path);
	}
	json_decref(doc);
	sbuf_release(&text);
	free(stem);
	free(path);
	return r;
}

static int restore(const char *feed_dir, struct sbuf *err)
{
	struct store_state *st;
	char *meta_dir = fs_join(feed_dir, store_metadata_dir());
	DIR *d = opendir(meta_dir);
	struct dirent *de;
	long n = 0;
	int r = store_state_open(feed_dir, &st, err);

	while (!r && d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= strlen(META_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(META_SUFFIX), META_SUFFIX))
			continue;
		r = restore_one(st, meta_dir, de->d_name, err);
		n += !r;
	}
	if (d)
		closedir(d);
	if (!r)
		log_info("write", "rebuilt '%s/state.sqlite': %ld episodes done from %s/",
			 feed_dir, n, store_metadata_dir());
	store_state_close(st);
	free(meta_dir);
	return r;
}

int store_state_check(const char *feed_dir, bool rebuild, struct sbuf *err)
{
	char *path = fs_join(feed_dir, "state.sqlite");
	struct sbuf why = SBUF_INIT(1024);
	int r = fs_exists(path) ? quick_check(path, &why) : 0;

	if (r && !rebuild)
		sbuf_setf(err, "state database '%s' is corrupted (%s); nothing was downloaded. "
			  "Rerun with --rebuild-state to move it aside and rebuild it from the "
			  "files on disk", path, why.buf);
	else if (r && !(r = move_aside(path, err)))
		r = restore(feed_dir, err);
	sbuf_release(&why);
	free(path);
	return r;
}
