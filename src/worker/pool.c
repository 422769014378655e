/*
 * pool.c - stage pools: the job queue, the slot threads, completions and
 * the device gate (see worker.h).
 *
 * Locking.  Everything in struct stage_pool below `mu` is guarded by *mu.
 * Pools sharing a device gate share the gate's mutex, so one lock covers
 * "may this pool run now" and "does it have work", and a slot waiting for
 * either waits on its pool's condition variable only.  The slot threads
 * never hold the lock while they talk to a worker.
 *
 * Job life: submit (queue) -> a slot takes it (running) -> done list ->
 * stage_pool_poll() runs the callback and frees it.  `pending` counts jobs
 * from submit until their callback has started.
 */
#include "worker/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_WORKERS 256

struct device_gate {
	pthread_mutex_t mu;
	char *name;
	struct stage_pool *owner;       /* the pool that may run jobs, or NULL */
	struct stage_pool **waiting;    /* pools with queued jobs, in arrival order */
	size_t nr_waiting, alloc_waiting;
};

/* ---- device gate (all under gate->mu, which is the pools' mu) ---- */

struct device_gate *device_gate_new(const char *name)
{
	struct device_gate *g = pc_calloc(1, sizeof(*g));

	pthread_mutex_init(&g->mu, NULL);
	g->name = pc_strdup(name ? name : "");
	return g;
}

void device_gate_free(struct device_gate *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->mu);
	free(g->waiting);
	free(g->name);
	free(g);
}

static void gate_unwait(struct device_gate *g, struct stage_pool *p)
{
	for (size_t i = 0; i < g->nr_waiting; i++) {
		if (g->waiting[i] != p)
			continue;
		memmove(&g->waiting[i], &g->waiting[i + 1],
			(g->nr_waiting - i - 1) * sizeof(*g->waiting));
		g->nr_waiting--;
		return;
	}
}

/* p has queued work: it gets the gate if free, else queues for it once. */
static void gate_want(struct device_gate *g, struct stage_pool *p)
{
	if (!g->owner) {
		g->owner = p;
		return;
	}
	if (g->owner == p)
		return;
	for (size_t i = 0; i < g->nr_waiting; i++)
		if (g->waiting[i] == p)
			return;
	PC_GROW(g->waiting, g->alloc_waiting, g->nr_waiting + 1);
	g->waiting[g->nr_waiting++] = p;
}

/* Hands the gate to the first waiting pool that still has queued work. */
static void gate_pass(struct device_gate *g)
{
	g->owner = NULL;
	while (g->nr_waiting) {
		struct stage_pool *q = g->waiting[0];

		gate_unwait(g, q);
		if (q->queue && !q->stop) {
			g->owner = q;
			log_debug("worker", "device %s: %s jobs may run now", g->name, q->h->name);
			pthread_cond_broadcast(&q->cond);
			return;
		}
	}
}

/* The owner gives the gate up once its queue is empty and its jobs are done. */
static void gate_release_if_done(struct stage_pool *p)
{
	if (p->gate && p->gate->owner == p && !p->queue && !p->running)
		gate_pass(p->gate);
}

static bool gate_allows(struct stage_pool *p)
{
	if (!p->gate)
		return true;
	if (!p->gate->owner)
		p->gate->owner = p;
	return p->gate->owner == p;
}

static bool is_cpu(const char *device)
{
	return !device || !*device || !strcmp(device, "cpu");
}

int stage_pool_set_gate(struct stage_pool *p, struct device_gate *g)
{
	int r = 0;

	if (is_cpu(p->device))
		return 0;
	pthread_mutex_lock(p->mu);
	if (p->submitted || p->gate)
		r = -PC_EUSAGE;
	pthread_mutex_unlock(p->mu);
	if (r == 0) {
		p->gate = g;
		p->mu = &g->mu;  /* nothing waits on the pool yet: no thread exists */
	}
	return r;
}

/* ---- jobs and completions ---- */

static void job_free(struct worker_job *j)
{
	free(j->request);
	free(j->episode_id);
	free(j->timeout_why);
	json_decref(j->res.response);
	free(j->res.error);
	free(j->res.crash_dump);
	free(j->res.device_used);
	free(j);
}

static void notify(int fd)
{
	uint64_t one = 1;
	ssize_t w = write(fd, &one, sizeof(one));

	(void)w;  /* the counter cannot overflow at one write per job */
}

static void drain_notify(int fd)
{
	uint64_t n;
	ssize_t r = read(fd, &n, sizeof(n));

	(void)r;  /* EAGAIN: nothing to drain */
}

void worker_pool_count(struct stage_pool *p, long *field, long n)
{
	pthread_mutex_lock(p->mu);
	*field += n;
	pthread_mutex_unlock(p->mu);
}

/* Called with the lock held, after the job ran. */
static void job_finished(struct stage_pool *p, struct worker_job *j)
{
	p->running--;
	if (j->res.code == 0)
		p->stats.ok++;
	else
		p->stats.failed++;
	p->stats.crashes += j->res.crashes;
	p->stats.timeouts += j->res.timeouts;
	p->stats.retries += j->res.attempts > 1 ? j->res.attempts - 1 : 0;
	j->next = NULL;
	*p->done_tail = j;
	p->done_tail = &j->next;
	notify(p->notify_fd);
	gate_release_if_done(p);
}

/* ---- slot threads ---- */

static void run_inline(struct worker_slot *s, struct worker_job *j)
{
	struct stage_pool *p = s->pool;
	json_t *req = json_loadb(j->request, j->request_len, 0, NULL);
	json_t *env = worker_serve(p->h, p->config, &s->engine, p->model_cleanup, req);

	json_decref(req);
	j->res.attempts = 1;
	worker_result_from_envelope(&j->res, env);
	json_decref(env);
}

/* Runs j on s; called and returns with the lock held. */
static void run_job(struct worker_slot *s, struct worker_job *j)
{
	struct stage_pool *p = s->pool;

	p->running++;
	pthread_mutex_unlock(p->mu);
	j->res.started = time_mono();
	if (p->isolation == ISOLATION_PROCESS)
		worker_attempt_job(s, j);
	else
		run_inline(s, j);
	j->res.finished = time_mono();
	j->res.seconds = j->res.finished - j->res.started;
	if (!j->res.device_used && !is_cpu(p->device))
		j->res.device_used = pc_strdup(p->device);
	else if (!j->res.device_used)
		j->res.device_used = pc_strdup("cpu");
	pthread_mutex_lock(p->mu);
	job_finished(p, j);
}

static struct worker_job *take_job(struct stage_pool *p)
{
	struct worker_job *j = p->queue;

	if (!j || !gate_allows(p))
		return NULL;
	p->queue = j->next;
	if (!p->queue)
		p->queue_tail = &p->queue;
	p->queued--;
	return j;
}

/* Frees the slot's model now, as model_cleanup stage asks once the stage drains. */
static bool idle_cleanup_due(const struct worker_slot *s)
{
	const struct stage_pool *p = s->pool;

	return p->draining && p->model_cleanup == CLEANUP_STAGE && !p->queue &&
	       (s->proc.pid || s->engine.open);
}

static void finish_worker(struct worker_slot *s)
{
	pid_t pid = s->proc.pid;
	int status = 0;

	worker_proc_finish(&s->proc, WORKER_EXIT_GRACE_S, &status);
	if (status)
		log_warn(s->pool->h->name, "worker %d did not exit cleanly (status 0x%x)",
			 (int)pid, (unsigned)status);
}

/* Stops the slot's worker or frees its inline engine, per model_cleanup. */
static void slot_release(struct worker_slot *s, bool at_exit)
{
	struct stage_pool *p = s->pool;

	if (s->proc.pid)
		finish_worker(s);
	if (s->engine.open && (!at_exit || p->model_cleanup != CLEANUP_NONE))
		worker_engine_close(p->h, &s->engine);
}

static void *slot_main(void *arg)
{
	struct worker_slot *s = arg;
	struct stage_pool *p = s->pool;
	char name[32];

	snprintf(name, sizeof(name), "%s-%d", p->h->name, s->index + 1);
	crash_thread_init(name);
	pthread_mutex_lock(p->mu);
	while (!p->stop) {
		struct worker_job *j = take_job(p);

		if (j) {
			run_job(s, j);
		} else if (idle_cleanup_due(s)) {
			pthread_mutex_unlock(p->mu);
			slot_release(s, false);
			pthread_mutex_lock(p->mu);
		} else {
			p->idle++;
			pthread_cond_wait(&p->cond, p->mu);
			p->idle--;
		}
	}
	pthread_mutex_unlock(p->mu);
	slot_release(s, true);
	crash_thread_exit();
	return NULL;
}

/*
 * Starts one more slot thread; called with the lock held.  The thread
 * inherits a mask blocking SIGPIPE (a dead worker's pipe is an EPIPE to
 * handle, not a reason to die) and the signals that ask the program to
 * stop, which belong to the coordinator's main thread.
 */
static int start_slot(struct stage_pool *p)
{
	struct worker_slot *s = &p->slots[p->nr_threads];
	sigset_t block, old;
	int r;

	sigemptyset(&block);
	sigaddset(&block, SIGPIPE);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	r = pthread_create(&s->thread, NULL, slot_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return -r;
	p->nr_threads++;
	return 0;
}

/* ---- the pool ---- */

/* A string value, or each string of a list, with the credentials of its URLs hidden. */
static void redact_value(json_t *v)
{
	json_t *item;
	size_t i;
	char *shown;

	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			redact_value(item);
	} else if (json_is_string(v)) {
		shown = redact_text(json_string_value(v));
		json_string_set(v, shown);
		free(shown);
	}
}

/*
 * The config as JSON without unset (null) keys: the worker starts from the
 * same defaults.  Only the engines' server URL keeps its credentials (they
 * are how a remote engine gets in); feed URLs and the rest lose theirs.
 */
static json_t *snapshot_json(const struct config *c)
{
	json_t *j = config_to_json(c), *v;
	const char *key;
	void *tmp;

	json_object_foreach_safe(j, tmp, key, v) {
		if (json_is_null(v))
			json_object_del(j, key);
		else if (strcmp(key, "openai_api_base"))
			redact_value(v);
	}
	return j;
}

/*
 * A file with no name: a memfd, or where memfds are missing an O_TMPFILE
 * file in TMPDIR.  Either way nothing is left behind when every process
 * holding it ends, even by kill -9.  Close-on-exec and above 2, so only the
 * workers that are handed it (spawn.c) inherit it.
 */
static int anonymous_file(void)
{
	const char *tmp = getenv("TMPDIR");
	int fd = memfd_create("podcast_scraper_config", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int hi;

	if (fd < 0)
		fd = open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 || fd > 2)
		return fd < 0 ? -errno : fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return hi < 0 ? -errno : hi;
}

static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The snapshot the workers read from their inherited descriptor.  It keeps
 * the settings the engines need (the API base too, credentials and all:
 * a remote engine must reach its server), never the secrets the options
 * table marks, which workers take from the environment.
 */
static int write_snapshot(struct stage_pool *p, const struct config *c, struct sbuf *err)
{
	json_t *j = snapshot_json(c);
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_SORT_KEYS);
	int fd = anonymous_file(), r = fd < 0 ? fd : 0;

	json_decref(j);
	if (!r)
		r = write_all(fd, text, strlen(text));
	if (r < 0) {
		sbuf_addf(err, "cannot make the worker config snapshot: %s", strerror(-r));
		if (fd >= 0)
			close(fd);
	} else {
		/* sealed where possible: no worker can change what the next one reads */
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
		p->config_fd = fd;
	}
	free(text);
	return r;
}

static int setup_config(struct stage_pool *p, const struct stage_pool_options *o,
			struct sbuf *err)
{
	if (!o->config && !o->config_path) {
		sbuf_addf(err, "stage %s: no configuration for the workers", o->handler);
		return -PC_EUSAGE;
	}
	if (p->isolation == ISOLATION_PROCESS) {
		if (!o->config_path)
			return write_snapshot(p, o->config, err);
		p->config_path = pc_strdup(o->config_path);
		return 0;
	}
	if (o->config) {
		p->config = o->config;
		return 0;
	}
	config_init(&p->own_config);
	p->config = &p->own_config;
	return config_load_file(&p->own_config, o->config_path, err);
}

static int check_options(const struct stage_pool_options *o, struct sbuf *err)
{
	if (!o->handler || !worker_find_handler(o->handler)) {
		sbuf_addf(err, "no engine for stage '%s'", o->handler ? o->handler : "(null)");
		return -PC_EUSAGE;
	}
	if (o->workers < 1 || o->workers > MAX_WORKERS || o->retries < 0 ||
	    (o->isolation != ISOLATION_PROCESS && o->isolation != ISOLATION_INLINE) ||
	    o->model_cleanup < CLEANUP_STAGE || o->model_cleanup > CLEANUP_NONE) {
		sbuf_addf(err, "stage %s: invalid pool options (workers %d, retries %d)",
			  o->handler, o->workers, o->retries);
		return -PC_EUSAGE;
	}
	return 0;
}

/* Threads of one process cannot have address spaces of their own: say so, once. */
static void warn_inline_limit(const struct stage_pool_options *o)
{
	static bool warned;

	if (o->isolation != ISOLATION_INLINE || o->memory_limit <= 0 || warned)
		return;
	warned = true;
	log_warn("main", "worker_memory_limit is not applied with isolation inline: the "
		 "engines run in threads of this process");
}

static struct stage_pool *pool_alloc(const struct stage_pool_options *o)
{
	struct stage_pool *p = pc_calloc(1, sizeof(*p));

	p->h = worker_find_handler(o->handler);
	p->workers = o->workers;
	p->isolation = o->isolation;
	p->retries = o->retries;
	p->model_cleanup = o->model_cleanup;
	p->threads = o->threads;
	p->memory_limit = o->isolation == ISOLATION_PROCESS ? o->memory_limit : 0;
	p->timeout_s = o->timeout_s;
	p->exe = pc_strdup(o->exe ? o->exe : "/proc/self/exe");
	p->device = o->device ? pc_strdup(o->device) : NULL;
	p->config_fd = -1;
	pthread_mutex_init(&p->own_mu, NULL);
	p->mu = &p->own_mu;
	pthread_cond_init(&p->cond, NULL);
	p->queue_tail = &p->queue;
	p->done_tail = &p->done;
	p->slots = pc_calloc((size_t)o->workers, sizeof(*p->slots));
	for (int i = 0; i < o->workers; i++)
		p->slots[i] = (struct worker_slot){ .pool = p, .index = i,
						    .proc = WORKER_PROC_INIT };
	p->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return p;
}

static void pool_release(struct stage_pool *p)
{
	if (p->config_fd >= 0)
		close(p->config_fd);
	if (p->config == &p->own_config)
		config_release(&p->own_config);
	if (p->notify_fd >= 0)
		close(p->notify_fd);
	if (p->stop_fd >= 0)
		close(p->stop_fd);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->own_mu);
	free(p->slots);
	free(p->config_path);
	free(p->exe);
	free(p->device);
	free(p);
}

struct stage_pool *stage_pool_new(const struct stage_pool_options *o, struct sbuf *err)
{
	struct stage_pool *p;

	if (check_options(o, err) < 0)
		return NULL;
	warn_inline_limit(o);
	p = pool_alloc(o);
	if (p->notify_fd < 0 || p->stop_fd < 0) {
		sbuf_addf(err, "stage %s: cannot make an eventfd: %s", o->handler,
			  strerror(errno));
		pool_release(p);
		return NULL;
	}
	if (setup_config(p, o, err) < 0) {
		pool_release(p);
		return NULL;
	}
	return p;
}

static struct worker_job *job_new(json_t *request, stage_done_fn done, void *udata)
{
	const char *ep = json_string_value(json_object_get(request, "episode_id"));
	struct worker_job *j;
	char *text;

	if (!ep || !json_is_object(request))
		return NULL;
	text = json_dumps(request, JSON_COMPACT);
	if (!text)
		return NULL;
	j = pc_calloc(1, sizeof(*j));
	j->request = text;
	j->request_len = strlen(text);
	j->episode_id = pc_strdup(ep);
	j->done = done;
	j->udata = udata;
	return j;
}

int stage_pool_submit(struct stage_pool *p, json_t *request, stage_done_fn done, void *udata)
{
	struct stage_limit pools = { p->timeout_s, NULL };

	return stage_pool_submit_limited(p, request, &pools, done, udata);
}

int stage_pool_submit_limited(struct stage_pool *p, json_t *request,
			      const struct stage_limit *limit, stage_done_fn done, void *udata)
{
	struct worker_job *j = job_new(request, done, udata);
	int r = 0;

	json_decref(request);
	if (!j)
		return -PC_EUSAGE;
	j->timeout_s = limit->seconds;
	j->timeout_why = limit->why ? pc_strdup(limit->why) : NULL;
	pthread_mutex_lock(p->mu);
	p->submitted = true;
	*p->queue_tail = j;
	p->queue_tail = &j->next;
	p->queued++;
	p->pending++;
	p->stats.jobs++;
	if (p->gate)
		gate_want(p->gate, p);
	while (r == 0 && p->nr_threads < p->workers && p->queued > p->idle)
		r = start_slot(p);
	if (r < 0 && p->nr_threads > 0)
		r = 0;          /* the slots we have will get to it */
	if (r < 0)
		log_error(p->h->name, "cannot start a worker thread: %s", strerror(-r));
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(p->mu);
	return r;
}

int stage_pool_pending(const struct stage_pool *p)
{
	int n;

	pthread_mutex_lock(p->mu);
	n = p->pending;
	pthread_mutex_unlock(p->mu);
	return n;
}

int stage_pool_fd(const struct stage_pool *p)
{
	return p->notify_fd;
}

static struct worker_job *take_done(struct stage_pool *p, int *pending)
{
	struct worker_job *list;

	pthread_mutex_lock(p->mu);
	list = p->done;
	p->done = NULL;
	p->done_tail = &p->done;
	*pending = p->pending;
	pthread_mutex_unlock(p->mu);
	return list;
}

int stage_pool_poll(struct stage_pool *p, int timeout_ms)
{
	struct worker_job *list;
	int pending;

	drain_notify(p->notify_fd);
	list = take_done(p, &pending);
	if (!list && pending > 0 && timeout_ms != 0) {
		struct pollfd pf = { p->notify_fd, POLLIN, 0 };

		if (poll(&pf, 1, timeout_ms) > 0)
			drain_notify(p->notify_fd);
		list = take_done(p, &pending);
	}
	while (list) {
		struct worker_job *j = list;

		list = j->next;
		pthread_mutex_lock(p->mu);
		p->pending--;
		pthread_mutex_unlock(p->mu);
		if (j->done)
			j->done(p, &j->res, j->udata);
		job_free(j);
	}
	return stage_pool_pending(p);
}

void stage_pool_drain_hint(struct stage_pool *p)
{
	pthread_mutex_lock(p->mu);
	p->draining = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(p->mu);
}

void stage_pool_stats(const struct stage_pool *p, struct stage_pool_stats *out)
{
	pthread_mutex_lock(p->mu);
	*out = p->stats;
	pthread_mutex_unlock(p->mu);
}

static void free_list(struct worker_job *j)
{
	while (j) {
		struct worker_job *next = j->next;

		job_free(j);
		j = next;
	}
}

void stage_pool_free(struct stage_pool *p)
{
	struct worker_job *queued;

	if (!p)
		return;
	pthread_mutex_lock(p->mu);
	p->stop = true;
	queued = p->queue;
	p->queue = NULL;
	p->queue_tail = &p->queue;
	p->queued = 0;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(p->mu);
	notify(p->stop_fd);
	for (int i = 0; i < p->nr_threads; i++)
		pthread_join(p->slots[i].thread, NULL);
	pthread_mutex_lock(p->mu);
	if (p->gate) {
		gate_unwait(p->gate, p);
		if (p->gate->owner == p)
			gate_pass(p->gate);
	}
	pthread_mutex_unlock(p->mu);
	free_list(queued);
	free_list(p->done);
	pool_release(p);
}

bool worker_pool_stopping(struct stage_pool *p)
{
	bool stop;

	pthread_mutex_lock(p->mu);
	stop = p->stop;
	pthread_mutex_unlock(p->mu);
	return stop;
}
