/*
 * run.c - what one run did: counters and index rows gathered from every
 * thread of the pipeline, written as runs/<run_id>/{run_manifest, metrics,
 * index, run}.json.
 *
 * One mutex guards the whole struct; the work done under it is a few
 * copies, so contention is not a concern next to downloads and decoding.
 */
#include "store/internal.h"
#include "util/fs.h"
#include "util/timeutil.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define RUN_ID_MAX 100

enum { ENGINE_TRANSCRIPTION, ENGINE_SUMMARIZATION, ENGINE__COUNT };
static const char *const engine_stages[ENGINE__COUNT] = { "transcription", "summarization" };

struct run_row {
	char *episode_id, *stem, *title;
	char *transcript, *text, *segments, *screenplay, *metadata, *media;
	char *error_stage, *error_message;
	enum store_row_status status;
	long position;
	size_t seq;         /* arrival order, breaks position ties */
};

struct engine_info {
	char *engine, *model, *requested, *used;
};

struct store_run {
	pthread_mutex_t lock;
	char *id;
	time_t started, finished;
	double mono_started, elapsed;
	json_t *config;                 /* redacted copy */
	struct engine_info engines[ENGINE__COUNT];
	long long counters[STORE_COUNTER__COUNT];
	double stage_seconds[STAGE__COUNT];
	struct run_row *rows;
	size_t nr_rows, alloc_rows;
};

static const char *const row_status_names[] = { "ok", "skipped", "failed" };

const char *store_row_status_name(enum store_row_status s)
{
	if ((unsigned)s >= ARRAY_SIZE(row_status_names))
		BUG("unknown store_row_status %d", (int)s);
	return row_status_names[s];
}

/* ---- Ids ------------------------------------------------------------------- */

static unsigned random24(void)
{
	unsigned char b[3];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* No entropy source: still unique enough within one second. */
		unsigned long mix = (unsigned long)getpid() * 2654435761UL ^
				    (unsigned long)(time_mono() * 1e9);

		return (unsigned)(mix & 0xFFFFFF);
	}
	return (unsigned)b[0] << 16 | (unsigned)b[1] << 8 | b[2];
}

char *store_run_id_new(void)
{
	char stamp[32];
	char *id = pc_malloc(48);
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(id, 48, "%s-%06x", stamp, random24());
	return id;
}

bool store_run_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (!n || n > RUN_ID_MAX || id[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* ---- Lifecycle --------------------------------------------------------------- */

int store_run_new(const char *run_id, json_t *config_snapshot,
		  struct store_run **out, struct sbuf *err)
{
	struct store_run *run;

	if (run_id && !store_run_id_valid(run_id)) {
		sbuf_setf(err, "run id '%s' cannot name a folder: use letters, digits, "
			  "'.', '_' and '-' (at most %d, not starting with '.')",
			  run_id, RUN_ID_MAX);
		return -PC_EUSAGE;
	}
	run = pc_calloc(1, sizeof(*run));
	pthread_mutex_init(&run->lock, NULL);
	run->id = run_id ? pc_strdup(run_id) : store_run_id_new();
	run->started = time(NULL);
	run->mono_started = time_mono();
	run->config = store_config_redact(config_snapshot);
	*out = run;
	return 0;
}

static void free_row(struct run_row *r)
{
	char **fields[] = { &r->episode_id, &r->stem, &r->title, &r->transcript, &r->text,
			    &r->segments, &r->screenplay, &r->metadata, &r->media,
			    &r->error_stage, &r->error_message };

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		free(*fields[i]);
}

static void free_engine(struct engine_info *e)
{
	free(e->engine);
	free(e->model);
	free(e->requested);
	free(e->used);
}

void store_run_free(struct store_run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->nr_rows; i++)
		free_row(&run->rows[i]);
	for (int i = 0; i < ENGINE__COUNT; i++)
		free_engine(&run->engines[i]);
	free(run->rows);
	json_decref(run->config);
	free(run->id);
	pthread_mutex_destroy(&run->lock);
	free(run);
}

const char *store_run_id(const struct store_run *run)
{
	return run->id;
}

/* ---- Accumulation -------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? pc_strdup(s) : NULL;
}

void store_run_set_engine(struct store_run *run, const char *stage,
			  const struct store_engine *e)
{
	int idx = -1;

	for (int i = 0; i < ENGINE__COUNT; i++)
		if (!strcmp(stage, engine_stages[i]))
			idx = i;
	if (idx < 0)
		BUG("unknown engine stage '%s'", stage);
	pthread_mutex_lock(&run->lock);
	free_engine(&run->engines[idx]);
	run->engines[idx] = (struct engine_info) {
		dup_or_null(e->engine), dup_or_null(e->model),
		dup_or_null(e->device.requested), dup_or_null(e->device.used),
	};
	pthread_mutex_unlock(&run->lock);
}

void store_run_count(struct store_run *run, enum store_counter c, long long delta)
{
	if ((unsigned)c >= STORE_COUNTER__COUNT)
		BUG("unknown store_counter %d", (int)c);
	pthread_mutex_lock(&run->lock);
	run->counters[c] += delta;
	pthread_mutex_unlock(&run->lock);
}

void store_run_add_stage_time(struct store_run *run, enum stage s, double seconds)
{
	if ((unsigned)s >= STAGE__COUNT)
		BUG("unknown stage %d", (int)s);
	pthread_mutex_lock(&run->lock);
	run->stage_seconds[s] += seconds;
	pthread_mutex_unlock(&run->lock);
}

void store_run_add_row(struct store_run *run, const struct store_index_row *row)
{
	struct run_row r = {
		dup_or_null(row->episode_id), dup_or_null(row->stem), dup_or_null(row->title),
		dup_or_null(row->transcript), dup_or_null(row->text),
		dup_or_null(row->segments), dup_or_null(row->screenplay),
		dup_or_null(row->metadata), dup_or_null(row->media),
		dup_or_null(row->error_stage), dup_or_null(row->error_message),
		row->status, row->position, 0,
	};

	pthread_mutex_lock(&run->lock);
	r.seq = run->nr_rows;
	PC_GROW(run->rows, run->alloc_rows, run->nr_rows + 1);
	run->rows[run->nr_rows++] = r;
	pthread_mutex_unlock(&run->lock);
}

static void finish_locked(struct store_run *run)
{
	if (run->finished)
		return;
	run->finished = time(NULL);
	run->elapsed = time_mono() - run->mono_started;
}

void store_run_finish(struct store_run *run)
{
	pthread_mutex_lock(&run->lock);
	finish_locked(run);
	pthread_mutex_unlock(&run->lock);
}

/* ---- Documents ----------------------------------------------------------------- */

static void set(json_t *obj, const char *key, json_t *val)
{
	json_object_set_new(obj, key, val);
}

static json_t *host_name(void)
{
	char host[HOST_NAME_MAX + 1];

	if (gethostname(host, sizeof(host)) < 0)
		return json_null();
	host[HOST_NAME_MAX] = '\0';
	return store_jstr(host);
}

static json_t *engines_json(const struct store_run *run, bool devices)
{
	json_t *o = json_object();

	for (int i = 0; i < ENGINE__COUNT; i++) {
		const struct engine_info *e = &run->engines[i];
		json_t *one = json_object();

		set(one, devices ? "requested" : "engine",
		    store_jstr(devices ? e->requested : e->engine));
		set(one, devices ? "used" : "model", store_jstr(devices ? e->used : e->model));
		set(o, engine_stages[i], one);
	}
	return o;
}

json_t *store_run_manifest(struct store_run *run)
{
	json_t *o = json_object();

	pthread_mutex_lock(&run->lock);
	set(o, "run_id", json_string(run->id));
	set(o, "started", store_jtime(run->started));
	set(o, "finished", store_jtime(run->finished));
	set(o, "version", json_string(PC_VERSION));
	set(o, "host", host_name());
	set(o, "config", run->config ? json_deep_copy(run->config) : json_null());
	set(o, "engines", engines_json(run, false));
	set(o, "devices", engines_json(run, true));
	pthread_mutex_unlock(&run->lock);
	return o;
}

static size_t rows_with(const struct store_run *run, enum store_row_status s)
{
	size_t n = 0;

	for (size_t i = 0; i < run->nr_rows; i++)
		n += run->rows[i].status == s;
	return n;
}

/* Episodes selected: the count given, or the rows seen if more were reported. */
static long long selected(const struct store_run *run)
{
	long long n = run->counters[STORE_EPISODES_SELECTED];

	return n > (long long)run->nr_rows ? n : (long long)run->nr_rows;
}

static json_t *episodes_json(const struct store_run *run)
{
	json_t *o = json_object();

	set(o, "selected", json_integer(selected(run)));
	set(o, "ok", json_integer((json_int_t)rows_with(run, STORE_ROW_OK)));
	set(o, "skipped", json_integer((json_int_t)rows_with(run, STORE_ROW_SKIPPED)));
	set(o, "failed", json_integer((json_int_t)rows_with(run, STORE_ROW_FAILED)));
	/* among ok: done by an earlier run, given what this one asks for more */
	set(o, "updated", json_integer(run->counters[STORE_EPISODES_UPDATED]));
	return o;
}

static json_t *stage_seconds_json(const struct store_run *run)
{
	json_t *o = json_object();

	for (int s = 0; s < STAGE__COUNT; s++)
		set(o, stage_name((enum stage)s), json_real(run->stage_seconds[s]));
	return o;
}

static json_t *metrics_locked(struct store_run *run)
{
	const long long *c = run->counters;
	json_t *o = json_object();
	json_t *transcripts = json_object();

	set(transcripts, "downloaded", json_integer(c[STORE_TRANSCRIPTS_DOWNLOADED]));
	set(transcripts, "transcribed", json_integer(c[STORE_TRANSCRIPTS_TRANSCRIBED]));
	set(o, "run_id", json_string(run->id));
	set(o, "started", store_jtime(run->started));
	set(o, "finished", store_jtime(run->finished));
	set(o, "elapsed_seconds", json_real(run->finished ? run->elapsed :
					    time_mono() - run->mono_started));
	set(o, "feeds", json_integer(c[STORE_FEEDS]));
	set(o, "episodes", episodes_json(run));
	set(o, "transcripts", transcripts);
	set(o, "summaries", json_integer(c[STORE_SUMMARIES]));
	set(o, "bytes_downloaded", json_integer(c[STORE_BYTES_DOWNLOADED]));
	set(o, "stage_seconds", stage_seconds_json(run));
	set(o, "retries", json_integer(c[STORE_RETRIES]));
	set(o, "worker_crashes", json_integer(c[STORE_WORKER_CRASHES]));
	return o;
}

json_t *store_run_metrics(struct store_run *run)
{
	json_t *o;

	pthread_mutex_lock(&run->lock);
	o = metrics_locked(run);
	pthread_mutex_unlock(&run->lock);
	return o;
}

static json_t *row_json(const struct run_row *r)
{
	json_t *o = json_object();
	json_t *paths = json_object();

	set(paths, "transcript", store_jstr(r->transcript));
	set(paths, "text", store_jstr(r->text));
	set(paths, "segments", store_jstr(r->segments));
	set(paths, "screenplay", store_jstr(r->screenplay));
	set(paths, "metadata", store_jstr(r->metadata));
	set(paths, "media", store_jstr(r->media));
	set(o, "episode_id", store_jstr(r->episode_id));
	set(o, "stem", store_jstr(r->stem));
	set(o, "title", store_jstr(r->title));
	set(o, "status", json_string(store_row_status_name(r->status)));
	set(o, "paths", paths);
	set(o, "error_stage", store_jstr(r->error_stage));
	set(o, "error_message", store_jstr(r->error_message));
	return o;
}

/* Feed order (unknown positions last), then arrival order: stable across threads. */
static int row_cmp(const void *a, const void *b)
{
	const struct run_row *x = *(const struct run_row *const *)a;
	const struct run_row *y = *(const struct run_row *const *)b;
	bool xu = x->position < 0, yu = y->position < 0;

	if (xu != yu)
		return xu ? 1 : -1;
	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rows in feed order, and how many ended each way. */
static json_t *index_rows(struct store_run *run, long long counts[3])
{
	json_t *a = json_array();
	const struct run_row **order;

	pthread_mutex_lock(&run->lock);
	order = pc_calloc(run->nr_rows, sizeof(*order));
	for (size_t i = 0; i < run->nr_rows; i++)
		order[i] = &run->rows[i];
	qsort(order, run->nr_rows, sizeof(*order), row_cmp);
	for (size_t i = 0; i < run->nr_rows; i++) {
		json_array_append_new(a, row_json(order[i]));
		counts[order[i]->status]++;
	}
	pthread_mutex_unlock(&run->lock);
	free(order);
	return a;
}

/* An object like the Python tool's index: a header, then one row an episode. */
json_t *store_run_index(struct store_run *run)
{
	long long counts[3] = { 0, 0, 0 };
	json_t *rows = index_rows(run, counts);
	json_t *o = json_object();

	set(o, "schema_version", json_string(STORE_INDEX_SCHEMA_VERSION));
	set(o, "run_id", json_string(run->id));
	set(o, "episodes_total", json_integer((json_int_t)json_array_size(rows)));
	set(o, "episodes_ok", json_integer(counts[STORE_ROW_OK]));
	set(o, "episodes_skipped", json_integer(counts[STORE_ROW_SKIPPED]));
	set(o, "episodes_failed", json_integer(counts[STORE_ROW_FAILED]));
	set(o, "episodes", rows);
	return o;
}

/* ---- Output ---------------------------------------------------------------------- */

static int write_doc(const char *dir, const char *name, json_t *doc, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SBUF_NOLIMIT);
	char *path = fs_join(dir, name);
	int r = store_dump(doc, STORE_FORMAT_JSON, &text, err);

	if (!r)
		r = fs_write_atomic(path, text.buf, text.len, err);
	sbuf_release(&text);
	free(path);
	return r;
}

int store_run_write(struct store_run *run, const char *feed_dir, struct sbuf *err)
{
	char *runs = fs_join(feed_dir, "runs");
	char *dir = fs_join(runs, run->id);
	json_t *manifest, *metrics, *index, *merged;
	int r;

	store_run_finish(run);
	manifest = store_run_manifest(run);
	metrics = store_run_metrics(run);
	index = store_run_index(run);
	merged = json_deep_copy(manifest);
	json_object_update_missing(merged, metrics);
	r = fs_mkdir_p(dir, err);
	if (!r)
		r = write_doc(dir, "run_manifest.json", manifest, err);
	if (!r)
		r = write_doc(dir, "metrics.json", metrics, err);
	if (!r)
		r = write_doc(dir, "index.json", index, err);
	if (!r)
		r = write_doc(dir, "run.json", merged, err);
	json_decref(manifest);
	json_decref(metrics);
	json_decref(index);
	json_decref(merged);
	free(runs);
	free(dir);
	return r;
}

static json_t *feeds_metrics(const struct store_feed_run *feeds, size_t n)
{
	json_t *o = json_object(), *list = json_array();

	set(o, "run_id", json_string(store_run_id(feeds[0].run)));
	for (size_t i = 0; i < n; i++) {
		json_t *m = json_object(), *metrics = store_run_metrics(feeds[i].run);

		set(m, "feed_url", json_string(feeds[i].feed_url));
		set(m, "output_dir", json_string(feeds[i].feed_dir));
		json_object_update(m, metrics);
		json_decref(metrics);
		json_array_append_new(list, m);
	}
	set(o, "feeds", list);
	return o;
}

int store_metrics_write(const char *path, const struct store_feed_run *feeds, size_t n,
			struct sbuf *err)
{
	char *copy = pc_strdup(path), *name = strrchr(copy, '/');
	const char *dir = !name ? "." : name == copy ? "/" : copy;
	json_t *doc;
	int r;

	if (name)
		*name++ = '\0';
	r = n ? fs_mkdir_p(dir, err) : 0;
	if (!r && n) {
		doc = n == 1 ? store_run_metrics(feeds[0].run) : feeds_metrics(feeds, n);
		r = write_doc(dir, name ? name : path, doc, err);
		json_decref(doc);
	}
	free(copy);
	return r;
}

void store_run_summary_line(struct store_run *run, struct sbuf *out)
{
	const long long *c = run->counters;

	pthread_mutex_lock(&run->lock);
	sbuf_addf(out, "Done. feeds=%lld episodes=%lld transcripts=%lld (downloaded %lld, "
		  "transcribed %lld) summaries=%lld failed=%zu skipped=%zu in %.1fs",
		  c[STORE_FEEDS], selected(run),
		  c[STORE_TRANSCRIPTS_DOWNLOADED] + c[STORE_TRANSCRIPTS_TRANSCRIBED],
		  c[STORE_TRANSCRIPTS_DOWNLOADED], c[STORE_TRANSCRIPTS_TRANSCRIBED],
		  c[STORE_SUMMARIES], rows_with(run, STORE_ROW_FAILED),
		  rows_with(run, STORE_ROW_SKIPPED),
		  run->finished ? run->elapsed : time_mono() - run->mono_started);
	pthread_mutex_unlock(&run->lock);
}
