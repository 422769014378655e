/*
 * test_worker.c - stage pools with real worker processes and real signals.
 *
 *	test_worker WORKER_HOST CASE    runs the cmocka test named CASE
 *
 * Each case runs in its own process, in a fresh directory that is also
 * TMPDIR (config snapshots, the fault counter), crash_dir and the home of
 * the workers' log file.  The workers are worker_host processes serving
 * the "test" engine (test_handler.h), which misbehaves on request.  Where
 * a case must prove that two jobs ran at the same time it makes them wait
 * for each other's files, so the proof cannot depend on timing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crash/crash.h"
#include "log/log.h"
#include "test_handler.h"
#include "util/fs.h"
#include "util/timeutil.h"
#include "worker/internal.h"

static const char *host;
static char dir[PATH_MAX];
static char dumps[PATH_MAX + 16];
static char logfile[PATH_MAX + 16];
static struct config cfg;

/* ---- fixture ---- */

static void cfg_set(const char *key, const char *value)
{
	struct config_origin o = { NULL, 0, NULL, "test" };
	struct sbuf err = SBUF_INIT(4096);

	assert_int_equal(config_set(&cfg, key, value, &o, true, &err), 0);
	sbuf_release(&err);
}

static int setup(void **state)
{
	const char *asan = getenv("ASAN_OPTIONS");
	struct sbuf opts = SBUF_INIT(SBUF_NOLIMIT);

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pc_test_worker_XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dumps, sizeof(dumps), "%s/dumps", dir);
	snprintf(logfile, sizeof(logfile), "%s/workers.log", dir);
	if (mkdir(dumps, 0755) < 0)
		return -1;
	setenv("TMPDIR", dir, 1);
	unsetenv("PODCAST_SCRAPER_INJECT_FAULT");
	unsetenv("PODCAST_SCRAPER_INJECT_FAULT_COUNTER");
	unsetenv("PODCAST_SCRAPER_CRASH_HANDLER");
	unsetenv("OMP_NUM_THREADS");
	unsetenv("MKL_NUM_THREADS");
	/* Under the sanitizers a crashing worker must still die of its signal. */
	if (asan && *asan)
		sbuf_addf(&opts, "%s:", asan);
	sbuf_adds(&opts, "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:"
		  "handle_sigill=0:handle_abort=0");
	setenv("ASAN_OPTIONS", opts.buf, 1);
	sbuf_release(&opts);
	config_init(&cfg);
	cfg_set("crash_dir", dumps);
	cfg_set("log_file", logfile);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_release(&cfg);
	return fs_remove_tree(dir);
}

/* The coordinator's crash handler, after the case chose its fault injection. */
static void coordinator(const char *inject)
{
	struct crash_options co = { true, dumps, "main", NULL };
	struct sbuf err = SBUF_INIT(4096);

	if (inject)
		setenv("PODCAST_SCRAPER_INJECT_FAULT", inject, 1);
	assert_int_equal(crash_install(&co, &err), 0);
	crash_thread_init("main");
	sbuf_release(&err);
}

static struct stage_pool_options opts(int workers, int retries)
{
	return (struct stage_pool_options){
		.handler = "test", .workers = workers, .isolation = ISOLATION_PROCESS,
		.timeout_s = 20, .retries = retries, .model_cleanup = CLEANUP_STAGE,
		.threads = 1, .config = &cfg, .exe = host,
	};
}

static struct stage_pool *pool_new(const struct stage_pool_options *o)
{
	struct sbuf err = SBUF_INIT(4096);
	struct stage_pool *p = stage_pool_new(o, &err);

	if (!p)
		fail_msg("stage_pool_new: %s", err.buf);
	sbuf_release(&err);
	return p;
}

/* ---- collecting results ---- */

struct rec {
	char *episode, *error, *dump, *device;
	const char *signal;
	int code, attempts, crashes, timeouts;
	double started, finished;
	json_t *response;
};

struct results {
	int n;
	struct rec r[64];
};

static void on_done(struct stage_pool *p, struct stage_result *res, void *udata)
{
	struct results *all = udata;
	struct rec *r = &all->r[all->n++];

	(void)p;
	assert_true(all->n <= 64);
	r->episode = pc_strdup(json_string_value(json_object_get(res->response, "episode_id")) ?
			       json_string_value(json_object_get(res->response, "episode_id")) : "");
	r->error = res->error ? pc_strdup(res->error) : NULL;
	r->dump = res->crash_dump ? pc_strdup(res->crash_dump) : NULL;
	r->device = res->device_used ? pc_strdup(res->device_used) : NULL;
	r->signal = res->signal_name;
	r->code = res->code;
	r->attempts = res->attempts;
	r->crashes = res->crashes;
	r->timeouts = res->timeouts;
	r->started = res->started;
	r->finished = res->finished;
	r->response = json_incref(res->response);
}

static void results_release(struct results *all)
{
	for (int i = 0; i < all->n; i++) {
		free(all->r[i].episode);
		free(all->r[i].error);
		free(all->r[i].dump);
		free(all->r[i].device);
		json_decref(all->r[i].response);
	}
	all->n = 0;
}

/* Submits a job for episode ep; fmt/... is a json_pack of the other keys. */
static void submit(struct stage_pool *p, struct results *all, const char *ep,
		   const char *fmt, ...)
{
	json_t *req, *more = NULL;
	va_list ap;

	if (fmt) {
		json_error_t jerr;

		va_start(ap, fmt);
		more = json_vpack_ex(&jerr, 0, fmt, ap);
		va_end(ap);
		assert_non_null(more);
	}
	req = more ? more : json_object();
	json_object_set_new(req, "episode_id", json_string(ep));
	json_object_set_new(req, "echo", json_string(ep));
	assert_int_equal(stage_pool_submit(p, req, on_done, all), 0);
}

static void wait_all(struct stage_pool *p)
{
	while (stage_pool_poll(p, 1000) > 0)
		;
}

/* The record of the job for episode ep (failed jobs have no response: by order). */
static struct rec *rec_ok(struct results *all, const char *ep)
{
	for (int i = 0; i < all->n; i++)
		if (all->r[i].code == 0 && !strcmp(all->r[i].episode, ep))
			return &all->r[i];
	fail_msg("no successful result for %s", ep);
	return NULL;
}

static struct rec *rec_failed(struct results *all, int nth)
{
	for (int i = 0; i < all->n; i++)
		if (all->r[i].code != 0 && nth-- == 0)
			return &all->r[i];
	fail_msg("no failed result #%d", nth);
	return NULL;
}

static long resp_int(const struct rec *r, const char *key)
{
	return (long)json_integer_value(json_object_get(r->response, key));
}

static const char *resp_str(const struct rec *r, const char *key)
{
	return json_string_value(json_object_get(r->response, key));
}

static char *path_in_dir(const char *name)
{
	return fs_join(dir, name);
}

static char *read_text(const char *path)
{
	struct sbuf sb = SBUF_INIT(16 << 20);
	struct sbuf err = SBUF_INIT(4096);

	if (fs_read_file(path, &sb, &err) < 0)
		sbuf_reset(&sb);
	sbuf_release(&err);
	return sbuf_detach(&sb, NULL);
}

/* The process id a "touch" file holds; never 0 or ours, so kill() stays aimed. */
static pid_t pid_in(const char *path)
{
	char *text = read_text(path);
	pid_t pid = (pid_t)strtol(text, NULL, 10);

	free(text);
	assert_true(pid > 1 && pid != getpid());
	return pid;
}

static int count_in(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int count_in_log(const char *needle)
{
	char *text = read_text(logfile);
	int n = count_in(text, needle);

	free(text);
	return n;
}

/* ---- cases ---- */

/* Many jobs over two workers: all succeed, and the two workers serve them all. */
static void test_reuse(void **state)
{
	struct stage_pool_options o = opts(2, 2);
	struct results all = { 0 };
	struct stage_pool_stats st;
	char *a = path_in_dir("a"), *b = path_in_dir("b"), ep[32];
	struct stage_pool *p;
	long served = 0;
	int pids[2] = { 0, 0 };

	(void)state;
	coordinator(NULL);
	cfg_set("language", "de");
	p = pool_new(&o);
	/* The first two wait for each other: both workers must be up at once. */
	submit(p, &all, "ep-a", "{s:s, s:s}", "touch", a, "wait_for", b);
	submit(p, &all, "ep-b", "{s:s, s:s}", "touch", b, "wait_for", a);
	for (int i = 0; i < 18; i++) {
		snprintf(ep, sizeof(ep), "ep-%d", i);
		submit(p, &all, ep, "{s:i}", "sleep_ms", 5);
	}
	wait_all(p);
	assert_int_equal(all.n, 20);
	for (int i = 0; i < all.n; i++) {
		int pid = (int)resp_int(&all.r[i], "pid");

		assert_int_equal(all.r[i].code, 0);
		assert_int_equal(all.r[i].attempts, 1);
		assert_string_equal(resp_str(&all.r[i], "echo"), all.r[i].episode);
		assert_string_equal(resp_str(&all.r[i], "language"), "de");
		assert_string_equal(all.r[i].device, "test-device");
		assert_int_not_equal(pid, getpid());
		if (!pids[0] || pids[0] == pid)
			pids[0] = pid;
		else if (!pids[1] || pids[1] == pid)
			pids[1] = pid;
		else
			fail_msg("a third worker process %d", pid);
	}
	assert_int_not_equal(pids[1], 0);
	for (int w = 0; w < 2; w++) {
		long most = 0;

		for (int i = 0; i < all.n; i++)
			if (resp_int(&all.r[i], "pid") == pids[w] &&
			    resp_int(&all.r[i], "engine_jobs") > most)
				most = resp_int(&all.r[i], "engine_jobs");
		served += most;
	}
	assert_int_equal(served, 20);   /* one engine per worker served every job */
	stage_pool_stats(p, &st);
	assert_int_equal(st.workers_spawned, 2);
	assert_int_equal(st.jobs, 20);
	assert_int_equal(st.ok, 20);
	assert_int_equal(st.crashes + st.timeouts + st.retries + st.failed, 0);
	stage_pool_free(p);
	assert_int_equal(count_in_log("test: model loaded"), 2);
	assert_int_equal(count_in_log("test: model freed"), 2);
	results_release(&all);
	free(a);
	free(b);
}

static void check_one_crash(const char *signame)
{
	struct stage_pool_options o = opts(1, 2);
	struct results all = { 0 };
	struct stage_pool_stats st;
	struct sbuf inject = SBUF_INIT(256);
	struct stage_pool *p;
	struct rec *r;
	char *dump;

	sbuf_addf(&inject, "transcribe:%s", signame);
	coordinator(inject.buf);
	p = pool_new(&o);
	submit(p, &all, "episode-crash-1", NULL);
	submit(p, &all, "episode-after", NULL);
	wait_all(p);
	r = rec_ok(&all, "episode-crash-1");
	assert_int_equal(r->attempts, 2);
	assert_int_equal(r->crashes, 1);
	assert_int_equal(r->timeouts, 0);
	assert_string_equal(r->signal, signame);
	assert_non_null(r->dump);
	assert_true(fs_exists(r->dump));
	assert_non_null(strstr(r->dump, dumps));
	dump = read_text(r->dump);
	assert_non_null(strstr(dump, signame));
	assert_non_null(strstr(dump, "role worker:test"));
	assert_non_null(strstr(dump, "stage=transcribe episode=episode-crash-1"));
	free(dump);
	r = rec_ok(&all, "episode-after");
	assert_int_equal(r->attempts, 1);
	assert_int_equal(r->crashes, 0);
	stage_pool_stats(p, &st);
	assert_int_equal(st.crashes, 1);
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.ok, 2);
	assert_int_equal(st.workers_spawned, 2);
	stage_pool_free(p);
	results_release(&all);
	sbuf_release(&inject);
}

static void test_sigsegv(void **state) { (void)state; check_one_crash("SIGSEGV"); }
static void test_sigabrt(void **state) { (void)state; check_one_crash("SIGABRT"); }
static void test_sigfpe(void **state) { (void)state; check_one_crash("SIGFPE"); }
static void test_sigbus(void **state) { (void)state; check_one_crash("SIGBUS"); }
static void test_sigill(void **state) { (void)state; check_one_crash("SIGILL"); }

/* Five injected crashes, two retries: the first job fails, the others pass. */
static void test_exhausted(void **state)
{
	struct stage_pool_options o = opts(1, 2);
	struct results all = { 0 };
	struct stage_pool_stats st;
	struct sbuf want = SBUF_INIT(SBUF_NOLIMIT);
	struct stage_pool *p;
	struct rec *r;

	(void)state;
	coordinator("transcribe:SIGSEGV:5");
	p = pool_new(&o);
	submit(p, &all, "ep-doomed", NULL);
	submit(p, &all, "ep-second", NULL);
	submit(p, &all, "ep-third", NULL);
	wait_all(p);
	assert_int_equal(all.n, 3);
	r = rec_failed(&all, 0);
	assert_int_equal(r->code, -PC_ECRASH);
	assert_int_equal(r->attempts, 3);
	assert_int_equal(r->crashes, 3);
	assert_string_equal(r->signal, "SIGSEGV");
	assert_non_null(r->dump);
	assert_true(fs_exists(r->dump));
	sbuf_addf(&want, "worker killed by SIGSEGV after 3 attempts (crash dump: %s)", r->dump);
	assert_string_equal(r->error, want.buf);
	assert_null(r->response);
	r = rec_ok(&all, "ep-second");
	assert_int_equal(r->attempts, 3);
	assert_int_equal(r->crashes, 2);
	r = rec_ok(&all, "ep-third");
	assert_int_equal(r->attempts, 1);
	stage_pool_stats(p, &st);
	assert_int_equal(st.crashes, 5);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.ok, 2);
	assert_int_equal(st.retries, 4);
	assert_int_equal(st.workers_spawned, 6);
	stage_pool_free(p);
	results_release(&all);
	sbuf_release(&want);
}

/* A hanging worker is killed at the timeout, the job retried, then failed. */
static void test_timeout(void **state)
{
	struct stage_pool_options o = opts(1, 1);
	struct results all = { 0 };
	struct stage_pool_stats st;
	struct stage_pool *p;
	struct rec *r;

	(void)state;
	coordinator(NULL);
	o.timeout_s = 1;
	p = pool_new(&o);
	submit(p, &all, "ep-hang", "{s:b}", "hang", 1);
	submit(p, &all, "ep-fine", NULL);
	wait_all(p);
	r = rec_failed(&all, 0);
	assert_int_equal(r->code, -PC_ETIMEOUT);
	assert_int_equal(r->attempts, 2);
	assert_int_equal(r->timeouts, 2);
	assert_int_equal(r->crashes, 0);
	assert_string_equal(r->error, "worker timed out after 1 s and was killed after 2 attempts");
	assert_int_equal(rec_ok(&all, "ep-fine")->attempts, 1);
	stage_pool_stats(p, &st);
	assert_int_equal(st.timeouts, 2);
	assert_int_equal(st.failed, 1);
	stage_pool_free(p);
	results_release(&all);
}

static void submit_limited(struct stage_pool *p, struct results *all, const char *ep,
			   double seconds, const char *why, json_t *req)
{
	struct stage_limit limit = { seconds, why };

	json_object_set_new(req, "episode_id", json_string(ep));
	json_object_set_new(req, "echo", json_string(ep));
	assert_int_equal(stage_pool_submit_limited(p, req, &limit, on_done, all), 0);
}

/*
 * A job's own limit replaces the pool's: a job given 20 s outlives the
 * pool's 1 s, and a hanging one is killed at its own 2 s, the message
 * saying how that limit was worked out.
 */
static void test_timeout_own(void **state)
{
	struct stage_pool_options o = opts(2, 0);
	struct results all = { 0 };
	struct rec *r;
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	o.timeout_s = 1;
	p = pool_new(&o);
	submit_limited(p, &all, "ep-long", 20, "1 s + 1 s per audio second for 19 s of audio",
		       json_pack("{s:i}", "sleep_ms", 1500));
	submit_limited(p, &all, "ep-hang", 2, "the test's own", json_pack("{s:b}", "hang", 1));
	wait_all(p);
	assert_int_equal(rec_ok(&all, "ep-long")->attempts, 1);
	r = rec_failed(&all, 0);
	assert_int_equal(r->code, -PC_ETIMEOUT);
	assert_int_equal(r->timeouts, 1);
	assert_string_equal(r->error, "worker timed out after 2 s (limit: the test's own) and "
			    "was killed after 1 attempt");
	stage_pool_free(p);
	results_release(&all);
}

/* A worker that ignores SIGTERM is killed with SIGKILL after the grace period. */
static void test_timeout_kill(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	char *pidfile = path_in_dir("pid");
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	o.timeout_s = 1;
	p = pool_new(&o);
	submit(p, &all, "ep-stubborn", "{s:s, s:b, s:b}", "touch", pidfile, "hang", 1,
	       "ignore_term", 1);
	wait_all(p);
	assert_int_equal(all.n, 1);
	assert_int_equal(all.r[0].code, -PC_ETIMEOUT);
	assert_int_equal(all.r[0].timeouts, 1);
	assert_int_equal(kill(pid_in(pidfile), 0), -1);
	assert_int_equal(errno, ESRCH);
	stage_pool_free(p);
	results_release(&all);
	free(pidfile);
}

/* Bad exits are retried; an engine's own error is final. */
static void test_exit_status(void **state)
{
	struct stage_pool_options o = opts(1, 1);
	struct results all = { 0 };
	struct stage_pool_stats st;
	struct stage_pool *p;
	struct rec *r;

	(void)state;
	coordinator(NULL);
	p = pool_new(&o);
	submit(p, &all, "ep-exit", "{s:i}", "exit", 3);
	submit(p, &all, "ep-refused", "{s:s}", "fail", "audio 'x.wav': not audio");
	submit(p, &all, "ep-fine", NULL);
	wait_all(p);
	r = rec_failed(&all, 0);
	assert_int_equal(r->code, -PC_ECRASH);
	assert_string_equal(r->error, "worker exited with status 3 after 2 attempts");
	assert_int_equal(r->crashes, 2);
	assert_null(r->signal);
	assert_null(r->dump);
	r = rec_failed(&all, 1);
	assert_int_equal(r->code, -PC_EFAIL);
	assert_string_equal(r->error, "audio 'x.wav': not audio");
	assert_int_equal(r->attempts, 1);
	assert_int_equal(r->crashes, 0);
	assert_int_equal(rec_ok(&all, "ep-fine")->attempts, 1);
	stage_pool_stats(p, &st);
	/* two for the bad exits; the engine error kept its worker */
	assert_int_equal(st.workers_spawned, 3);
	stage_pool_free(p);
	results_release(&all);
}

/*
 * worker_memory_limit: past the limit, our allocator and a library that
 * exits with ENOMEM both end the worker as out of memory, which fails the
 * job at once (no retry) naming the limit; below it a worker works.
 */
static void test_oom(void **state)
{
	struct stage_pool_options o = opts(1, 2);
	struct results all = { 0 };
	const char *why = "test worker ran out of memory (address-space limit 512 MiB; "
			  "raise worker_memory_limit)";
	struct stage_pool *p;
	struct rec *r;

	(void)state;
	coordinator(NULL);
	o.memory_limit = 512LL << 20;
	p = pool_new(&o);
	submit(p, &all, "ep-small", "{s:I}", "allocate", (json_int_t)(64 << 20));
	submit(p, &all, "ep-big", "{s:I}", "allocate", (json_int_t)1 << 30);
	submit(p, &all, "ep-lib", "{s:b}", "exit_enomem", 1);
	wait_all(p);
	assert_int_equal(rec_ok(&all, "ep-small")->attempts, 1);
	for (int i = 0; i < 2; i++) {
		r = rec_failed(&all, i);
		assert_int_equal(r->code, -PC_ECRASH);
		assert_string_equal(r->error, why);
		assert_int_equal(r->attempts, 1);
		assert_int_equal(r->crashes, 1);
	}
	stage_pool_free(p);
	results_release(&all);
}

/* A worker closes its result pipe mid-job: once exiting, once staying alive. */
static void test_closed_pipe(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	p = pool_new(&o);
	submit(p, &all, "ep-close-exit", "{s:b, s:i, s:i}", "close_pipe", 1, "sleep_ms", 100,
	       "exit", 0);
	submit(p, &all, "ep-close-hang", "{s:b, s:b}", "close_pipe", 1, "hang", 1);
	submit(p, &all, "ep-fine", NULL);
	wait_all(p);
	assert_int_equal(all.n, 3);
	assert_string_equal(rec_failed(&all, 0)->error,
			    "worker exited in the middle of the job after 1 attempt");
	assert_string_equal(rec_failed(&all, 1)->error,
			    "worker closed its result pipe in the middle of the job after 1 attempt");
	assert_int_equal(rec_failed(&all, 1)->crashes, 1);
	assert_int_equal(rec_ok(&all, "ep-fine")->attempts, 1);
	stage_pool_free(p);
	results_release(&all);
}

/* Dead but not reaped yet (state Z in /proc/PID/stat). */
/*
 * Dead and waitable: a zombie whose other threads are gone too (the leader
 * shows 'Z' while its threads still exit, and only then can it be reaped).
 */
static bool is_zombie(pid_t pid)
{
	struct sbuf path = SBUF_INIT(SBUF_NOLIMIT);
	char *stat, *paren;
	char state = 0;
	long threads = 0;

	sbuf_addf(&path, "/proc/%d/stat", (int)pid);
	stat = read_text(path.buf);
	paren = strrchr(stat, ')');
	if (paren && sscanf(paren + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
			    "%*d %*d %*d %*d %ld", &state, &threads) != 2)
		state = 0;
	free(stat);
	sbuf_release(&path);
	return state == 'Z' && threads <= 1;
}

/* An idle worker killed from outside is replaced without costing the next job. */
static void test_idle_killed(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	struct stage_pool *p;
	pid_t first;

	(void)state;
	coordinator(NULL);
	p = pool_new(&o);
	submit(p, &all, "ep-1", NULL);
	wait_all(p);
	first = (pid_t)resp_int(&all.r[0], "pid");
	assert_true(first > 1 && first != getpid());
	assert_int_equal(kill(first, SIGKILL), 0);
	while (!is_zombie(first))
		time_sleep_ms(5);
	submit(p, &all, "ep-2", NULL);
	wait_all(p);
	assert_int_equal(all.n, 2);
	/* retries are 0: the dead worker must be noticed before the job is sent */
	assert_int_equal(all.r[1].code, 0);
	assert_int_equal(all.r[1].crashes, 0);
	assert_int_not_equal(resp_int(&all.r[1], "pid"), first);
	stage_pool_free(p);
	results_release(&all);
}

static void cleanup_case(int policy, int loads, int frees_before_free, int frees_after)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	struct stage_pool *p;

	coordinator(NULL);
	/* the pool's option alone decides, whatever the config says */
	o.model_cleanup = policy;
	cfg_set("model_cleanup", policy == CLEANUP_EPISODE ? "none" : "episode");
	p = pool_new(&o);
	for (int i = 0; i < 4; i++)
		submit(p, &all, "ep", NULL);
	wait_all(p);
	assert_int_equal(all.n, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(all.r[i].code, 0);
	stage_pool_drain_hint(p);
	if (frees_before_free) {
		/* stage: the idle worker is told to stop now, not at pool_free */
		for (int i = 0; i < 1000 && count_in_log("test: model freed") < frees_before_free; i++)
			time_sleep_ms(10);
	} else {
		time_sleep_ms(200);     /* room for a wrong free to show up */
	}
	assert_int_equal(count_in_log("test: model loaded"), loads);
	assert_int_equal(count_in_log("test: model freed"), frees_before_free);
	stage_pool_free(p);
	assert_int_equal(count_in_log("test: model loaded"), loads);
	assert_int_equal(count_in_log("test: model freed"), frees_after);
	results_release(&all);
}

static void test_cleanup_episode(void **state) { (void)state; cleanup_case(CLEANUP_EPISODE, 4, 4, 4); }
static void test_cleanup_stage(void **state) { (void)state; cleanup_case(CLEANUP_STAGE, 1, 1, 1); }
static void test_cleanup_exit(void **state) { (void)state; cleanup_case(CLEANUP_EXIT, 1, 0, 1); }
static void test_cleanup_none(void **state) { (void)state; cleanup_case(CLEANUP_NONE, 1, 0, 0); }

/* Inline isolation: the jobs run in threads of this process, at the same time. */
static void test_inline(void **state)
{
	struct stage_pool_options o = opts(2, 0);
	struct log_options lo = { LOG_INFO, logfile, false, true, "main" };
	struct results all = { 0 };
	struct sbuf err = SBUF_INIT(4096);
	char *a = path_in_dir("a"), *b = path_in_dir("b");
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	assert_int_equal(log_setup(&lo, &err), 0);
	o.isolation = ISOLATION_INLINE;
	o.model_cleanup = CLEANUP_EPISODE;
	p = pool_new(&o);
	submit(p, &all, "ep-a", "{s:s, s:s}", "touch", a, "wait_for", b);
	submit(p, &all, "ep-b", "{s:s, s:s}", "touch", b, "wait_for", a);
	submit(p, &all, "ep-c", NULL);
	wait_all(p);
	assert_int_equal(all.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(all.r[i].code, 0);
		assert_int_equal(resp_int(&all.r[i], "pid"), getpid());
		assert_int_equal(resp_int(&all.r[i], "engine_jobs"), 1);
	}
	stage_pool_free(p);
	assert_int_equal(count_in_log("test: model loaded"), 3);
	assert_int_equal(count_in_log("test: model freed"), 3);
	log_close();
	results_release(&all);
	sbuf_release(&err);
	free(a);
	free(b);
}

/* Workers get OMP/MKL_NUM_THREADS unless the user set them, and secrets by env. */
static void test_env(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	struct stage_pool *p;
	char *snapshot, *snap_path, link[256];

	(void)state;
	coordinator(NULL);
	o.threads = 3;
	setenv("OPENAI_API_KEY", "sk-test-secret", 1);
	cfg_set("openai_api_key", "sk-test-secret");
	cfg_set("rss", "http://reader:feed-pw@127.0.0.1/feed.xml?token=feed-token");
	cfg_set("openai_api_base", "http://engine:api-pw@127.0.0.1/v1");
	p = pool_new(&o);
	/* the snapshot is a file without a name, handed to workers by descriptor */
	assert_null(p->config_path);
	assert_true(p->config_fd > 2);
	snap_path = pc_calloc(1, 64);
	snprintf(snap_path, 64, "/proc/self/fd/%d", p->config_fd);
	snapshot = read_text(snap_path);
	assert_null(strstr(snapshot, "sk-test-secret"));
	assert_non_null(strstr(snapshot, "\"transcription_provider\""));
	/* feed credentials stay behind; the engine's server keeps its own */
	assert_null(strstr(snapshot, "feed-pw"));
	assert_null(strstr(snapshot, "feed-token"));
	assert_non_null(strstr(snapshot, "http://***@127.0.0.1/feed.xml?token=***"));
	assert_non_null(strstr(snapshot, "http://engine:api-pw@127.0.0.1/v1"));
	memset(link, 0, sizeof(link));
	assert_true(readlink(snap_path, link, sizeof(link) - 1) > 0);
	assert_true(!strncmp(link, "/memfd:", 7) || strstr(link, "(deleted)"));
	submit(p, &all, "ep-1", NULL);
	wait_all(p);
	assert_string_equal(resp_str(&all.r[0], "env_omp"), "3");
	assert_string_equal(resp_str(&all.r[0], "env_mkl"), "3");
	assert_true(json_is_true(json_object_get(all.r[0].response, "api_key_set")));
	stage_pool_free(p);

	setenv("OMP_NUM_THREADS", "7", 1);
	unsetenv("OPENAI_API_KEY");
	p = pool_new(&o);
	submit(p, &all, "ep-2", NULL);
	wait_all(p);
	assert_string_equal(resp_str(&all.r[1], "env_omp"), "7");
	assert_string_equal(resp_str(&all.r[1], "env_mkl"), "3");
	assert_false(json_is_true(json_object_get(all.r[1].response, "api_key_set")));
	stage_pool_free(p);
	results_release(&all);
	free(snapshot);
	free(snap_path);
}

static bool overlap(const struct rec *x, const struct rec *y)
{
	return x->started < y->finished && y->started < x->finished;
}

/* Two pools on one accelerator never overlap, and the first keeps it until done. */
static void test_gate(void **state)
{
	struct stage_pool_options o = opts(2, 0);
	struct results ra = { 0 }, rb = { 0 };
	struct device_gate *g = device_gate_new("cuda");
	struct stage_pool *pa, *pb;

	(void)state;
	coordinator(NULL);
	o.device = "cuda";
	pa = pool_new(&o);
	pb = pool_new(&o);
	assert_int_equal(stage_pool_set_gate(pa, g), 0);
	assert_int_equal(stage_pool_set_gate(pb, g), 0);
	for (int i = 0; i < 4; i++) {
		submit(pa, &ra, "ep-a", "{s:i}", "sleep_ms", 30);
		submit(pb, &rb, "ep-b", "{s:i}", "sleep_ms", 30);
	}
	while (stage_pool_poll(pa, 50) + stage_pool_poll(pb, 50) > 0)
		;
	assert_int_equal(ra.n, 4);
	assert_int_equal(rb.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ra.r[i].code, 0);
		assert_int_equal(rb.r[i].code, 0);
		for (int k = 0; k < 4; k++) {
			assert_false(overlap(&ra.r[i], &rb.r[k]));
			/* a submitted first: all its queued jobs run before any of b's */
			assert_true(ra.r[i].finished <= rb.r[k].started);
		}
	}
	assert_int_equal(stage_pool_set_gate(pa, g), -PC_EUSAGE);
	stage_pool_free(pa);
	stage_pool_free(pb);
	device_gate_free(g);
	results_release(&ra);
	results_release(&rb);
}

/* CPU pools are never gated: jobs of two pools wait for each other and both finish. */
static void test_cpu_overlap(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results ra = { 0 }, rb = { 0 };
	struct device_gate *g = device_gate_new("cpu");
	char *a = path_in_dir("a"), *b = path_in_dir("b");
	struct stage_pool *pa, *pb;

	(void)state;
	coordinator(NULL);
	o.device = "cpu";
	pa = pool_new(&o);
	pb = pool_new(&o);
	assert_int_equal(stage_pool_set_gate(pa, g), 0);
	assert_int_equal(stage_pool_set_gate(pb, g), 0);
	submit(pa, &ra, "ep-a", "{s:s, s:s}", "touch", a, "wait_for", b);
	submit(pb, &rb, "ep-b", "{s:s, s:s}", "touch", b, "wait_for", a);
	while (stage_pool_poll(pa, 50) + stage_pool_poll(pb, 50) > 0)
		;
	assert_int_equal(ra.r[0].code, 0);
	assert_int_equal(rb.r[0].code, 0);
	assert_true(overlap(&ra.r[0], &rb.r[0]));
	stage_pool_free(pa);
	stage_pool_free(pb);
	device_gate_free(g);
	results_release(&ra);
	results_release(&rb);
	free(a);
	free(b);
}

/* The coordinator never waits: poll(0) returns while the job is still running. */
static void test_nonblocking(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	char *go = path_in_dir("go"), *started = path_in_dir("started");
	struct sbuf err = SBUF_INIT(4096);
	struct pollfd pf;
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	p = pool_new(&o);
	submit(p, &all, "ep-1", "{s:s, s:s}", "touch", started, "wait_for", go);
	assert_int_equal(stage_pool_pending(p), 1);
	while (!fs_exists(started))
		assert_int_equal(stage_pool_poll(p, 0), 1);
	/* The job cannot end before go exists, so a blocking poll would hang here. */
	assert_int_equal(stage_pool_poll(p, 0), 1);
	assert_int_equal(all.n, 0);
	assert_int_equal(fs_write_atomic(go, "", 0, &err), 0);
	pf = (struct pollfd){ stage_pool_fd(p), POLLIN, 0 };
	assert_int_equal(poll(&pf, 1, 10000), 1);
	assert_int_equal(stage_pool_poll(p, 0), 0);
	assert_int_equal(all.n, 1);
	assert_int_equal(all.r[0].code, 0);
	assert_int_equal(stage_pool_poll(p, -1), 0);  /* nothing pending: returns */
	stage_pool_free(p);
	results_release(&all);
	sbuf_release(&err);
	free(go);
	free(started);
}

/* Freeing a pool with a job running kills its worker, without a callback. */
static void test_free_busy(void **state)
{
	struct stage_pool_options o = opts(1, 0);
	struct results all = { 0 };
	char *pidfile = path_in_dir("pid");
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	p = pool_new(&o);
	submit(p, &all, "ep-1", "{s:s, s:b}", "touch", pidfile, "hang", 1);
	submit(p, &all, "ep-2", NULL);
	while (!fs_exists(pidfile))
		time_sleep_ms(5);
	stage_pool_free(p);
	assert_int_equal(all.n, 0);
	assert_int_equal(kill(pid_in(pidfile), 0), -1);
	assert_int_equal(errno, ESRCH);
	free(pidfile);
}

/* Errors: an executable that cannot start fails at once; bad requests and options. */
static void test_errors(void **state)
{
	struct stage_pool_options o = opts(1, 2);
	struct results all = { 0 };
	struct sbuf err = SBUF_INIT(4096);
	struct stage_pool *p;

	(void)state;
	coordinator(NULL);
	o.exe = "/nonexistent/worker_host";
	p = pool_new(&o);
	submit(p, &all, "ep-1", NULL);
	wait_all(p);
	assert_int_equal(all.r[0].attempts, 1);
	assert_int_equal(all.r[0].code, -ENOENT);
	assert_string_equal(all.r[0].error, "cannot start worker '/nonexistent/worker_host': "
			    "No such file or directory");
	assert_int_equal(stage_pool_submit(p, json_pack("{s:i}", "x", 1), on_done, &all),
			 -PC_EUSAGE);
	assert_int_equal(stage_pool_pending(p), 0);
	stage_pool_free(p);
	o.handler = "no-such-stage";
	assert_null(stage_pool_new(&o, &err));
	assert_string_equal(err.buf, "no engine for stage 'no-such-stage'");
	results_release(&all);
	sbuf_release(&err);
}

/* The frame layer: round trip, caps, ends, a dead reader, a deadline. */
static void test_frames(void **state)
{
	struct worker_io io = { -1, 0 };
	struct sbuf in = SBUF_INIT(WORKER_FRAME_MAX);
	sigset_t pipe_set;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(worker_frame_send(fds[1], "{\"a\":1}", 7, &io), 0);
	assert_int_equal(worker_frame_recv(fds[0], &in, &io), 0);
	assert_string_equal(in.buf, "{\"a\":1}");
	/* a header announcing more than the cap */
	assert_int_equal(write(fds[1], "\x7f\0\0\0", 4), 4);
	assert_int_equal(worker_frame_recv(fds[0], &in, &io), -PC_ETOOBIG);
	/* nothing arrives: the deadline ends the wait */
	io.deadline = time_mono() + 0.1;
	assert_int_equal(worker_frame_recv(fds[0], &in, &io), -PC_ETIMEOUT);
	io.deadline = 0;
	/* the writer goes away inside a frame, then at a frame boundary */
	assert_int_equal(write(fds[1], "\0\0\0\x09{\"a\"", 8), 8);
	close(fds[1]);
	assert_int_equal(worker_frame_recv(fds[0], &in, &io), -EPIPE);
	close(fds[0]);
	assert_int_equal(pipe(fds), 0);
	close(fds[1]);
	assert_int_equal(worker_frame_recv(fds[0], &in, &io), -ENODATA);
	close(fds[0]);
	/* the reader is gone: EPIPE, and with SIGPIPE blocked this process lives */
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	assert_int_equal(worker_frame_send(fds[1], "{}", 2, &io), -EPIPE);
	close(fds[1]);
	sbuf_release(&in);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define CASE(name) cmocka_unit_test_setup_teardown(test_##name, setup, teardown)
		CASE(reuse), CASE(sigsegv), CASE(sigabrt), CASE(sigfpe), CASE(sigbus),
		CASE(sigill), CASE(exhausted), CASE(timeout), CASE(timeout_own), CASE(timeout_kill),
		CASE(exit_status), CASE(oom), CASE(closed_pipe), CASE(idle_killed),
		CASE(cleanup_episode), CASE(cleanup_stage), CASE(cleanup_exit),
		CASE(cleanup_none), CASE(inline), CASE(env), CASE(gate), CASE(cpu_overlap),
		CASE(nonblocking), CASE(free_busy), CASE(errors), CASE(frames),
#undef CASE
	};
	char filter[64];

	if (argc != 3) {
		fprintf(stderr, "usage: test_worker WORKER_HOST CASE\n");
		return 2;
	}
	host = argv[1];
	if (!strcmp(argv[2], "oom") && !worker_memory_limit_enforced()) {
		/* 77: meson's "skipped"; such builds never apply the limit (limit.c) */
		printf("SKIP: worker_memory_limit is not enforced in this build\n");
		return 77;
	}
	worker_register_handler(&test_stage_handler);
	snprintf(filter, sizeof(filter), "test_%s", argv[2]);
	cmocka_set_test_filter(filter);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
