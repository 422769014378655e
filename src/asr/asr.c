/*
 * asr.c - engines, and the parallel decode of one file.
 *
 * The calling thread decodes the audio and runs the VAD; each utterance goes
 * into a bounded queue (the producer waits when it is full, so memory stays
 * flat); one thread per backend instance takes utterances, recognizes them
 * and files the segments under the utterance's index.  When all is done the
 * per-utterance results are appended to the output in index order, so the
 * result never depends on which thread was faster.
 *
 * Failure: the first error (a worker's or the decoder's) wins; the others
 * stop at the next utterance and the queue is drained and freed.
 */
#include "asr/asr_backend.h"
#include "log/log.h"
#include "transcript/transcript.h"
#include "util/strlist.h"
#include "util/timeutil.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_PER_WORKER 2
#define MAX_WORKERS 64

static const struct asr_backend *const backends[] = {
	&asr_pocketsphinx,
	&asr_openai,
};

struct asr_engine {
	const struct asr_backend *be;
	void **inst;
	int n;
	char *model;
	char *context;             /* the show text last set, or NULL */
	char *names;               /* words of the names last added, or NULL */
	bool names_pending;        /* added since the model was last built */
};

/* Show text kept ahead of the first pass's words in a second pass. */
#define PASS2_CONTEXT_HEAD ((size_t)16 << 10)

/* ---- engines ------------------------------------------------------------- */

static const struct asr_backend *find_backend(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

/* One instance per core, as many as ASR_MEMORY_MB holds, at least one. */
static int default_workers(const struct asr_backend *be)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	long fit = be->instance_mb > 0 ? (long)(ASR_MEMORY_MB / be->instance_mb) : n;

	if (fit < n)
		n = fit;
	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

int asr_instances(const char *engine, int workers)
{
	const struct asr_backend *be = find_backend(engine ? engine : ASR_DEFAULT_ENGINE);

	if (workers <= 0)
		return be ? default_workers(be) : 1;
	return workers > MAX_WORKERS ? MAX_WORKERS : workers;
}

typedef int (*inst_fn)(struct asr_engine *e, int i, const void *arg, struct sbuf *err);

struct each {
	struct asr_engine *e;
	inst_fn fn;
	const void *arg;
	int i;
	int rc;
	struct sbuf err;
	pthread_t tid;
	bool threaded;
};

static void *run_one(void *p)
{
	struct each *x = p;

	x->rc = x->fn(x->e, x->i, x->arg, &x->err);
	return NULL;
}

/*
 * fn on every instance side by side (loading a model or rebuilding a search
 * takes seconds each); the first error wins.
 */
static int for_each_instance(struct asr_engine *e, inst_fn fn, const void *arg,
			     struct sbuf *err)
{
	struct each *xs = pc_calloc((size_t)e->n, sizeof(*xs));
	int rc = 0;

	for (int i = 0; i < e->n; i++) {
		xs[i] = (struct each){ .e = e, .fn = fn, .arg = arg, .i = i };
		sbuf_init(&xs[i].err, 4096);
		xs[i].threaded = i && !pthread_create(&xs[i].tid, NULL, run_one, &xs[i]);
	}
	for (int i = 0; i < e->n; i++) {
		if (xs[i].threaded)
			pthread_join(xs[i].tid, NULL);
		else
			run_one(&xs[i]);
		if (xs[i].rc && !rc) {
			rc = xs[i].rc;
			sbuf_adds(err, xs[i].err.buf);
		}
		sbuf_release(&xs[i].err);
	}
	free(xs);
	return rc;
}

static int open_one(struct asr_engine *e, int i, const void *arg, struct sbuf *err)
{
	return e->be->open(&e->inst[i], arg, err);
}

int asr_engine_open(struct asr_engine **out, const struct asr_options *o,
		    struct sbuf *err)
{
	const char *name = o->engine ? o->engine : ASR_DEFAULT_ENGINE;
	const struct asr_backend *be = find_backend(name);
	struct asr_engine *e;
	int rc;

	if (!be) {
		sbuf_addf(err, "speech engine '%s' is not known (use pocketsphinx or openai)",
			  name);
		return -PC_EUSAGE;
	}
	e = pc_calloc(1, sizeof(*e));
	e->be = be;
	e->n = asr_instances(name, o->workers);
	e->inst = pc_calloc((size_t)e->n, sizeof(*e->inst));
	e->model = pc_strdup(be->model_name ? be->model_name(o)
			     : o->model_dir ? o->model_dir : ASR_DEFAULT_MODEL_DIR);
	/* each instance reads its own model copy */
	rc = for_each_instance(e, open_one, o, err);
	if (rc) {
		asr_engine_close(e);
		return rc;
	}
	log_debug("asr", "engine %s: %d instance(s), model %s", be->name, e->n, e->model);
	*out = e;
	return 0;
}

void asr_engine_close(struct asr_engine *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->n; i++)
		if (e->inst[i])
			e->be->close(e->inst[i]);
	free(e->inst);
	free(e->model);
	free(e->context);
	free(e->names);
	free(e);
}

const char *asr_engine_name(const struct asr_engine *e)
{
	return e->be->name;
}

const char *asr_engine_model(const struct asr_engine *e)
{
	return e->model;
}

unsigned asr_engine_devices(const struct asr_engine *e)
{
	return e->be->devices;
}

int asr_engine_workers(const struct asr_engine *e)
{
	return e->n;
}

int asr_add_words(struct asr_engine *e, const char *const *words, size_t n,
		  struct sbuf *err)
{
	struct strlist list = STRLIST_INIT;
	int rc = 0;

	if (!e->be->add_words)
		return 0;
	/* whole-file (remote) engines take the names as they are, per episode */
	if (e->be->transcribe_file)
		return e->be->add_words(e->inst[0], words, n, err);
	if (!n)
		return 0;
	asr_name_words(words, n, &list);
	for (int i = 0; i < e->n && !rc && list.nr; i++)
		rc = e->be->add_words(e->inst[i], (const char *const *)list.items,
				      list.nr, err);
	/* the dictionary has them; the language model gets them in the show text */
	if (!rc && list.nr && e->be->set_context) {
		struct sbuf t = SBUF_INIT(ASR_CONTEXT_MAX);

		for (size_t i = 0; i < list.nr; i++)
			sbuf_addf(&t, "%s%s", i ? " " : "", list.items[i]);
		free(e->names);
		e->names = sbuf_detach(&t, NULL);
		e->names_pending = true;
	}
	strlist_release(&list);
	return rc;
}

/* The ARPA text in a private temporary file; its path, or NULL. */
static char *write_temp(const struct sbuf *arpa, struct sbuf *err)
{
	const char *dir = getenv("TMPDIR");
	struct sbuf path = SBUF_INIT(SBUF_NOLIMIT);
	int fd;

	sbuf_addf(&path, "%s/podcast_scraper-lm-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path.buf);
	if (fd < 0 || write(fd, arpa->buf, arpa->len) != (ssize_t)arpa->len) {
		sbuf_addf(err, "show language model: cannot write '%s': %s", path.buf,
			  strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path.buf);
		}
		sbuf_release(&path);
		return NULL;
	}
	close(fd);
	return sbuf_detach(&path, NULL);
}

struct context_arg {
	const char *path;
	const struct strlist *words;
};

static int context_one(struct asr_engine *e, int i, const void *arg, struct sbuf *err)
{
	const struct context_arg *c = arg;

	return e->be->set_context(e->inst[i], c->path, c->words, err);
}

static int set_context_all(struct asr_engine *e, const char *path,
			   const struct strlist *words, struct sbuf *err)
{
	struct context_arg c = { path, words };

	return for_each_instance(e, context_one, &c, err);
}

/* The names added last, then text, within the cap. */
static char *with_names(const struct asr_engine *e, const char *text)
{
	struct sbuf t = SBUF_INIT(ASR_CONTEXT_MAX);

	if (e->names)
		sbuf_addf(&t, "%s\n", e->names);
	if (text)
		sbuf_add(&t, text, strnlen(text, ASR_CONTEXT_MAX));
	return sbuf_detach(&t, NULL);
}

static int set_context_text(struct asr_engine *e, const char *show, struct sbuf *err)
{
	struct sbuf arpa = SBUF_INIT(SBUF_NOLIMIT);
	struct strlist words = STRLIST_INIT;
	char *text, *path = NULL;
	size_t len;
	int rc;

	if (!e->be->set_context)
		return 0;
	e->names_pending = false;
	text = with_names(e, show);
	len = strlen(text);
	if (!len || asr_lm_arpa(text, len, &arpa, &words) < 0) {
		free(text);
		return set_context_all(e, NULL, NULL, err);
	}
	path = write_temp(&arpa, err);
	rc = path ? set_context_all(e, path, &words, err) : -PC_EFAIL;
	if (path)
		unlink(path);
	free(path);
	free(text);
	sbuf_release(&arpa);
	strlist_release(&words);
	return rc;
}

int asr_set_context(struct asr_engine *e, const char *text, struct sbuf *err)
{
	free(e->context);
	e->context = text && *text ? pc_strndup(text, strnlen(text, ASR_CONTEXT_MAX)) : NULL;
	return set_context_text(e, e->context, err);
}

bool asr_lookup_word(struct asr_engine *e, const char *word, struct sbuf *phones)
{
	return e->be->lookup && e->be->lookup(e->inst[0], word, phones);
}

/* ---- one file, in parallel ----------------------------------------------- */

struct run {
	struct asr_engine *e;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct audio_utterance **queue;   /* ring */
	size_t cap, head, len;
	bool closed;                      /* no more utterances will come */
	bool failed;
	int rc;
	struct sbuf err;
	struct segment_list *results;     /* by utterance index */
	size_t results_alloc;
	size_t results_nr;
	double recognize;
	double waited;                    /* producer time spent on a full queue */
	double produced;                  /* producer time in all */
	double speech;
};

struct worker {
	struct run *r;
	int i;
	pthread_t tid;
};

static void store_result(struct run *r, size_t index, struct segment_list *segs)
{
	if (index >= r->results_alloc) {
		size_t old = r->results_alloc;

		PC_GROW(r->results, r->results_alloc, index + 1);
		memset(r->results + old, 0, (r->results_alloc - old) * sizeof(*r->results));
	}
	r->results[index] = *segs;
	if (index + 1 > r->results_nr)
		r->results_nr = index + 1;
}

static void fail(struct run *r, int rc, const struct sbuf *err)
{
	if (!r->failed) {
		r->failed = true;
		r->rc = rc;
		sbuf_adds(&r->err, err->buf);
	}
	pthread_cond_broadcast(&r->changed);
}

static struct audio_utterance *take(struct run *r)
{
	struct audio_utterance *u = NULL;

	while (!r->len && !r->closed && !r->failed)
		pthread_cond_wait(&r->changed, &r->mu);
	if (r->len && !r->failed) {
		u = r->queue[r->head];
		r->head = (r->head + 1) % r->cap;
		r->len--;
		pthread_cond_broadcast(&r->changed);
	}
	return u;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->r;
	struct sbuf err = SBUF_INIT(4096);
	struct audio_utterance *u;

	pthread_mutex_lock(&r->mu);
	while ((u = take(r))) {
		struct segment_list segs = SEGMENT_LIST_INIT;
		double t0 = time_mono();
		int rc;

		pthread_mutex_unlock(&r->mu);
		rc = r->e->be->transcribe(r->e->inst[w->i], u, &segs, &err);
		/*
		 * An utterance's search leaves megabytes of freed lattice and
		 * feature buffers scattered in this thread's heap; without this
		 * the worker's memory creeps up over a long episode.
		 */
		malloc_trim(0);
		pthread_mutex_lock(&r->mu);
		r->recognize += time_mono() - t0;
		store_result(r, u->index, &segs);
		if (rc)
			fail(r, rc, &err);
		audio_utterance_free(u);
	}
	pthread_mutex_unlock(&r->mu);
	sbuf_release(&err);
	return NULL;
}

/* VAD callback: queue the utterance, waiting while the queue is full. */
static int enqueue(struct audio_utterance *u, void *udata)
{
	struct run *r = udata;
	double t0 = time_mono();
	int rc = 0;

	pthread_mutex_lock(&r->mu);
	while (r->len == r->cap && !r->failed)
		pthread_cond_wait(&r->changed, &r->mu);
	if (r->failed) {
		rc = r->rc;
		audio_utterance_free(u);
	} else {
		r->speech += (double)u->n / AUDIO_RATE;
		r->queue[(r->head + r->len) % r->cap] = u;
		r->len++;
		pthread_cond_broadcast(&r->changed);
	}
	r->waited += time_mono() - t0;
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static void run_init(struct run *r, struct asr_engine *e)
{
	memset(r, 0, sizeof(*r));
	r->e = e;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->changed, NULL);
	r->cap = (size_t)e->n * QUEUE_PER_WORKER;
	r->queue = pc_calloc(r->cap, sizeof(*r->queue));
	sbuf_init(&r->err, 4096);
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->len; i++)
		audio_utterance_free(r->queue[(r->head + i) % r->cap]);
	for (size_t i = 0; i < r->results_nr; i++)
		segment_list_release(&r->results[i]);
	free(r->results);
	free(r->queue);
	sbuf_release(&r->err);
	pthread_cond_destroy(&r->changed);
	pthread_mutex_destroy(&r->mu);
}

/* Decodes and segments the file on this thread, feeding the queue. */
static int produce(struct run *r, const char *path, const struct asr_options *o,
		   struct audio_info *info, struct sbuf *err)
{
	struct audio_vad_options vo = ASR_VAD_OPTIONS_INIT;
	struct audio_options ao = AUDIO_OPTIONS_INIT;
	struct audio_vad *vad;
	int rc;

	if (o->vad)
		vo = *o->vad;
	vo.max_utterance = r->e->be->max_utterance;
	ao.preprocess = o->preprocess;
	audio_options_trim(&ao, o->max_silence, o->silence_db);
	ao.max_seconds = o->max_seconds;
	ao.info = info;
	vad = audio_vad_new(&vo, enqueue, r);
	rc = audio_decode(path, &ao, audio_vad_feed_chunk, vad, err);
	if (!rc)
		rc = audio_vad_finish(vad);
	audio_vad_free(vad);
	if (!rc && ao.preprocess)
		log_debug("asr", "'%s': %.2f s of audio, %.2f s after cutting silences longer "
			  "than %.2f s below %.1f dBFS", path, info->duration, info->delivered,
			  ao.max_silence, ao.silence_db);
	return rc;
}

static void merge(struct run *r, struct segment_list *out, struct asr_stats *st)
{
	for (size_t i = 0; i < r->results_nr; i++) {
		const struct segment_list *l = &r->results[i];

		for (size_t j = 0; j < l->nr; j++)
			segment_list_push_copy(out, &l->items[j]);
		st->segments += l->nr;
	}
}

static int run_workers(struct run *r, const char *path, const struct asr_options *o,
		       struct audio_info *info, struct sbuf *err)
{
	struct worker *ws = pc_calloc((size_t)r->e->n, sizeof(*ws));
	int started = 0, rc;
	double t0;

	for (int i = 0; i < r->e->n; i++) {
		ws[i] = (struct worker){ .r = r, .i = i };
		if (pthread_create(&ws[i].tid, NULL, work, &ws[i]))
			break;
		started++;
	}
	if (!started) {
		sbuf_addf(err, "audio file '%s': cannot start recognition threads", path);
		free(ws);
		return -PC_EFAIL;
	}
	t0 = time_mono();
	rc = produce(r, path, o, info, err);
	r->produced = time_mono() - t0;
	pthread_mutex_lock(&r->mu);
	r->closed = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->mu);
	for (int i = 0; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	free(ws);
	return rc;
}

static int one_pass(struct asr_engine *e, const char *path,
		    const struct asr_options *o, struct segment_list *out,
		    struct asr_stats *stats, struct sbuf *err)
{
	struct asr_stats st = { 0 };
	struct audio_info info = { 0 };
	struct run r;
	double t0 = time_mono();
	int rc;

	if (e->be->transcribe_file) {
		rc = e->be->transcribe_file(e->inst[0], path, o, out, &st, err);
		st.wall_seconds = time_mono() - t0;
		st.workers = 1;
		if (stats)
			*stats = st;
		return rc;
	}
	run_init(&r, e);
	rc = run_workers(&r, path, o, &info, err);
	if (r.failed) {
		/* A worker's error explains why decoding stopped. */
		rc = r.rc;
		sbuf_adds(err, r.err.buf);
	}
	if (!rc)
		merge(&r, out, &st);
	st.audio_seconds = info.duration;
	st.speech_seconds = r.speech;
	st.recognize_seconds = r.recognize;
	st.wall_seconds = time_mono() - t0;
	st.decode_seconds = r.produced - r.waited;
	st.utterances = r.results_nr;
	st.workers = e->n;
	run_release(&r);
	if (stats)
		*stats = st;
	return rc;
}

/* The show text, then what the first pass heard, within the cap. */
static char *pass2_context(const struct asr_engine *e, const struct segment_list *l)
{
	struct sbuf t = SBUF_INIT(ASR_CONTEXT_MAX);

	if (e->context)
		sbuf_add(&t, e->context, strnlen(e->context, PASS2_CONTEXT_HEAD));
	for (size_t i = 0; i < l->nr; i++)
		if (sbuf_addf(&t, "\n%s", l->items[i].text) < 0)
			break;
	return sbuf_detach(&t, NULL);
}

static void add_stats(struct asr_stats *a, const struct asr_stats *b)
{
	a->decode_seconds += b->decode_seconds;
	a->recognize_seconds += b->recognize_seconds;
	a->wall_seconds += b->wall_seconds;
	a->segments = b->segments;   /* the output is the second pass's */
}

/*
 * Second pass: the episode's own words, as the first pass heard them, join
 * the show text; the model then favours the episode's topic and phrasing
 * and a word the first pass got right in one place helps in others.
 */
static int two_passes(struct asr_engine *e, const char *path, const struct asr_options *o,
		      struct segment_list *out, struct asr_stats *st, struct sbuf *err)
{
	struct segment_list first = SEGMENT_LIST_INIT;
	struct asr_stats st2 = { 0 };
	char *keep = e->context ? pc_strdup(e->context) : NULL, *text;
	double t0 = time_mono();
	int rc = one_pass(e, path, o, &first, st, err);

	if (!rc) {
		text = pass2_context(e, &first);
		rc = asr_set_context(e, text, err);
		free(text);
	}
	if (!rc)
		rc = one_pass(e, path, o, out, &st2, err);
	if (!rc)
		rc = asr_set_context(e, keep, err);
	add_stats(st, &st2);
	st->wall_seconds = time_mono() - t0;
	segment_list_release(&first);
	free(keep);
	return rc;
}

int asr_engine_transcribe(struct asr_engine *e, const char *path,
			  const struct asr_options *o, struct segment_list *out,
			  struct asr_stats *stats, struct sbuf *err)
{
	struct asr_stats st = { 0 };
	int rc;

	/* names added with no show text since: their model is built now */
	if (e->names_pending && (rc = set_context_text(e, e->context, err)) < 0)
		return rc;
	if (o->passes < 2 || !e->be->set_context)
		return one_pass(e, path, o, out, stats, err);
	rc = two_passes(e, path, o, out, &st, err);
	if (stats)
		*stats = st;
	return rc;
}

int asr_transcribe_file(const char *path, const struct asr_options *o,
			struct segment_list *out, struct asr_stats *stats,
			struct sbuf *err)
{
	struct asr_engine *e;
	int rc = asr_engine_open(&e, o, err);

	if (rc)
		return rc;
	rc = asr_add_words(e, o->words, o->nwords, err);
	if (!rc)
		rc = asr_engine_transcribe(e, path, o, out, stats, err);
	asr_engine_close(e);
	return rc;
}
