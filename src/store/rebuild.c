/*
 * rebuild.c - a state.sqlite with corrupted pages is found when the feed
 * folder is opened, before anything is downloaded, not at the end of a run
 * that then fails every episode with "malformed".  --rebuild-state moves the
 * bad file aside (kept for inspection) and rebuilds the state from the
 * metadata documents on disk, JSON or YAML (metadata_format): an episode
 * whose metadata exists is done.  A YAML document is read with libyaml's
 * document API, which keeps an alias as a reference to its anchor's node
 * rather than a copy, so a hostile file cannot expand past its size cap.
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
#include <yaml.h>

#define META_MAX_BYTES (16 << 20)

/*
 * Why the database could not be checked: the system's reason when there is
 * one ("disk I/O error (No space left on device)"), else SQLite's.
 */
static void unreadable(sqlite3 *db, int rc, struct sbuf *err)
{
	int e = db ? sqlite3_system_errno(db) : 0;

	sbuf_setf(err, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	if (e)
		sbuf_addf(err, " (%s)", strerror(e));
}

/*
 * 0 when quick_check says ok; -PC_EPARSE when the file is damaged (err holds
 * its first complaint); -PC_EFAIL when it cannot be read at all (a full
 * disk, no permission: err says why), which no rebuild would mend.
 */
static int quick_check(const char *path, struct sbuf *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	const char *line = NULL;
	int r = 0;

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		line = (const char *)sqlite3_column_text(stmt, 0);
	if (line && strcmp(line, "ok")) {
		sbuf_setf(err, "%s", line);
		r = -PC_EPARSE;
	} else if (!line) {
		bool damaged = (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;

		unreadable(db, rc, err);
		r = damaged ? -PC_EPARSE : -PC_EFAIL;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return r;
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

/* The metadata file names the store writes, in either format. */
static const char *const meta_suffixes[] = { ".metadata.json", ".metadata.yaml" };

/* What a metadata document says about its episode (owned strings, or NULL). */
struct meta_ids {
	char *feed, *id;
};

static void meta_ids_from_json(const struct sbuf *text, struct meta_ids *m)
{
	json_t *doc = json_loadb(text->buf, text->len, 0, NULL);
	const char *feed = NULL, *id = NULL;

	if (doc && json_unpack(doc, "{s:{s:s}, s:{s:s}}", "feed", "url", &feed,
			       "episode", "episode_id", &id) == 0) {
		m->feed = pc_strdup(feed);
		m->id = pc_strdup(id);
	}
	json_decref(doc);
}

/* The value of key in mapping node map, or NULL. */
static yaml_node_t *ymap_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* The string at root[outer][inner], or NULL when it is missing or not a scalar. */
static char *yaml_string_at(yaml_document_t *doc, const char *outer, const char *inner)
{
	yaml_node_t *n = ymap_get(doc, ymap_get(doc, yaml_document_get_root_node(doc), outer),
				  inner);

	if (!n || n->type != YAML_SCALAR_NODE || !n->data.scalar.length)
		return NULL;
	return pc_strndup((const char *)n->data.scalar.value, n->data.scalar.length);
}

static void meta_ids_from_yaml(const struct sbuf *text, struct meta_ids *m)
{
	yaml_parser_t parser;
	yaml_document_t doc;

	if (!yaml_parser_initialize(&parser))
		return;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text->buf, text->len);
	if (yaml_parser_load(&parser, &doc)) {
		m->feed = yaml_string_at(&doc, "feed", "url");
		m->id = yaml_string_at(&doc, "episode", "episode_id");
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
}

/* The length of name's metadata suffix (0: not a metadata file); *yaml says which format. */
static size_t meta_suffix(const char *name, bool *yaml)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < ARRAY_SIZE(meta_suffixes); i++) {
		size_t n = strlen(meta_suffixes[i]);

		if (name[0] != '.' && len > n && !strcmp(name + len - n, meta_suffixes[i])) {
			*yaml = i == 1;
			return n;
		}
	}
	return 0;
}

/*
 * Marks the episode of one metadata document done: 1, or 0 when the document
 * does not parse or names no episode (skipped with a warning), or an error.
 */
static int restore_one(struct store_state *st, const char *meta_dir, const char *name,
		       bool yaml, size_t suffix_len, struct sbuf *err)
{
	char *path = fs_join(meta_dir, name), *stem = pc_strndup(name, strlen(name) - suffix_len);
	struct sbuf text = SBUF_INIT(META_MAX_BYTES);
	struct meta_ids m = { NULL, NULL };
	int r = 0;

	if (fs_read_file(path, &text, err) == 0)
		(yaml ? meta_ids_from_yaml : meta_ids_from_json)(&text, &m);
	if (m.feed && m.id) {
		store_state_bind_feed(st, m.feed);
		r = store_state_set(st, m.id, stem, STORE_DONE, NULL, NULL, NULL, err);
		r = r < 0 ? r : 1;
	} else {
		log_warn("write", "'%s' names no feed and episode: not restored", path);
	}
	free(m.feed);
	free(m.id);
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
		bool yaml = false;
		size_t suffix_len = meta_suffix(de->d_name, &yaml);

		if (!suffix_len)
			continue;
		r = restore_one(st, meta_dir, de->d_name, yaml, suffix_len, err);
		n += r > 0;
		r = r < 0 ? r : 0;
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

	if (r == -PC_EFAIL)
		sbuf_setf(err, "cannot check state database '%s': %s; nothing was downloaded",
			  path, why.buf);
	else if (r && !rebuild)
		sbuf_setf(err, "state database '%s' is corrupted (%s); nothing was downloaded. "
			  "Rerun with --rebuild-state to move it aside and rebuild it from the "
			  "files on disk", path, why.buf);
	else if (r && !(r = move_aside(path, err)))
		r = restore(feed_dir, err);
	sbuf_release(&why);
	free(path);
	return r;
}
