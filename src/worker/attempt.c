/*
 * attempt.c - one job in process isolation, on one slot: start the slot's
 * worker if it has none, send the request, wait for the result within the
 * timeout, and when the worker fails, find out how (signal, exit status,
 * closed pipe, timeout, garbage), reap it and try again on a new one.
 *
 * Every failure ends with the worker reaped and the slot empty, so the next
 * attempt (or job) starts a fresh process: a worker that failed once is
 * never trusted with another job.  An engine's own error (a result frame
 * with "ok": false) is not a worker failure and is never retried; nor is a
 * worker that ran out of memory (exit status WORKER_EXIT_OOM, see limit.c):
 * the same input would exhaust the same limit again.
 */
#include "worker/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/fs.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

/* What the attempts of one job found out. */
struct attempts {
	struct sbuf why;        /* the last failure, one sentence */
	bool fatal;             /* retrying cannot help (the worker cannot start) */
	bool oom;               /* the worker ran out of memory: retrying cannot help */
	bool dumped;            /* the last failure left a crash dump */
	time_t started;         /* wall clock at the attempt's start, to spot stale dumps */
};

void worker_result_from_envelope(struct stage_result *res, json_t *env)
{
	const char *s;

	if (json_is_true(json_object_get(env, "ok"))) {
		res->code = 0;
		res->response = json_incref(json_object_get(env, "response"));
		s = json_string_value(json_object_get(env, "device_used"));
		if (s)
			res->device_used = pc_strdup(s);
		return;
	}
	res->code = (int)json_integer_value(json_object_get(env, "code"));
	if (res->code >= 0)
		res->code = -PC_EFAIL;
	s = json_string_value(json_object_get(env, "error"));
	res->error = pc_strdup(s ? s : "the engine failed without saying why");
}

/* Clears the SIGPIPE a write to a dead worker left pending on this thread. */
static void clear_sigpipe(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	while (sigtimedwait(&set, NULL, &zero) == SIGPIPE)
		;
}

/* Starts the slot's worker unless a live one is there. */
static int ensure_worker(struct worker_slot *s, struct sbuf *why)
{
	struct stage_pool *p = s->pool;
	struct strlist argv = STRLIST_INIT, env = STRLIST_INIT;
	int status, r;

	if (s->proc.pid && worker_proc_reaped(&s->proc, &status))
		log_warn(p->h->name, "an idle worker ended (status 0x%x); starting another",
			 (unsigned)status);
	if (s->proc.pid)
		return 0;
	strlist_push(&argv, p->exe);
	strlist_push(&argv, "worker");
	strlist_push(&argv, p->h->name);
	if (p->config_fd >= 0) {
		strlist_push(&argv, "--config-fd");
		strlist_pushf(&argv, "%d", p->config_fd);
	} else {
		strlist_push(&argv, "--config");
		strlist_push(&argv, p->config_path);
	}
	/* the pool's policy is the only one: the worker never reads it from the config */
	strlist_push(&argv, "--model-cleanup");
	strlist_push(&argv, worker_cleanup_name(p->model_cleanup));
	strlist_push(&argv, "--memory-limit");
	strlist_pushf(&argv, "%lld", p->memory_limit);
	worker_env(&env, p->threads);
	r = worker_proc_start(&s->proc, argv.items, env.items, p->config_fd, why);
	strlist_release(&argv);
	strlist_release(&env);
	if (r == 0) {
		worker_pool_count(p, &p->stats.workers_spawned, 1);
		log_debug(p->h->name, "worker %d started", (int)s->proc.pid);
	}
	return r;
}

/* The crash dump of worker pid, if it wrote one during this attempt. */
static char *find_dump(pid_t pid, time_t since)
{
	struct sbuf path = SBUF_INIT(SBUF_NOLIMIT);
	struct stat st;
	char *res = NULL;

	if (crash_dump_path_for(pid, &path) == 0 && stat(path.buf, &st) == 0 &&
	    st.st_mtime >= since)
		res = sbuf_detach(&path, NULL);
	sbuf_release(&path);
	return res;
}

/* "transcription worker ran out of memory (address-space limit 64 MiB; raise ...)" */
static void describe_oom(const struct stage_pool *p, struct attempts *a)
{
	const char *name = p->h->name;

	if (!strcmp(name, "transcribe"))
		name = "transcription";
	else if (!strcmp(name, "summarize"))
		name = "summarization";
	sbuf_addf(&a->why, "%s worker ran out of memory (", name);
	if (p->memory_limit > 0) {
		sbuf_adds(&a->why, "address-space limit ");
		worker_limit_text(&a->why, p->memory_limit);
		sbuf_adds(&a->why, "; raise worker_memory_limit)");
	} else {
		sbuf_adds(&a->why, "no address-space limit was set)");
	}
	a->oom = true;
}

/* The worker ended (status) in the middle of job j. */
static int describe_end(struct worker_slot *s, struct worker_job *j, pid_t pid, int status,
			struct attempts *a)
{
	j->res.crashes++;
	if (WIFEXITED(status) && WEXITSTATUS(status) == WORKER_EXIT_OOM) {
		describe_oom(s->pool, a);
	} else if (WIFSIGNALED(status)) {
		char *dump = find_dump(pid, a->started);

		j->res.signal_name = worker_signal_name(WTERMSIG(status));
		sbuf_addf(&a->why, "worker killed by %s", j->res.signal_name);
		if (dump) {
			free(j->res.crash_dump);
			j->res.crash_dump = dump;
			a->dumped = true;
		}
	} else if (WEXITSTATUS(status)) {
		sbuf_addf(&a->why, "worker exited with status %d", WEXITSTATUS(status));
	} else {
		sbuf_adds(&a->why, "worker exited in the middle of the job");
	}
	return -PC_ECRASH;
}

/* An attempt failed with r: end the worker, record how, return the job's code. */
static int diagnose(struct worker_slot *s, struct worker_job *j, int r, struct attempts *a)
{
	pid_t pid = s->proc.pid;
	int status = 0;

	switch (r) {
	case -PC_ETIMEOUT:
		worker_proc_kill(&s->proc, &status);
		j->res.timeouts++;
		sbuf_addf(&a->why, "worker timed out after %g s", j->timeout_s);
		if (j->timeout_why)
			sbuf_addf(&a->why, " (limit: %s)", j->timeout_why);
		sbuf_adds(&a->why, " and was killed");
		return -PC_ETIMEOUT;
	case -PC_EINTR:
		worker_proc_kill(&s->proc, &status);
		sbuf_adds(&a->why, "the stage was stopped");
		return -PC_EINTR;
	case -EPIPE:
	case -ENODATA:
		/* It closed a pipe: normally because it is dying.  Give it a moment. */
		if (worker_proc_wait(&s->proc, time_mono() + WORKER_KILL_GRACE_S, &status) == 0)
			return describe_end(s, j, pid, status, a);
		worker_proc_kill(&s->proc, &status);
		j->res.crashes++;
		sbuf_adds(&a->why, "worker closed its result pipe in the middle of the job");
		return -PC_ECRASH;
	default:
		kill(pid, SIGKILL);
		worker_proc_wait(&s->proc, 0, &status);
		j->res.crashes++;
		sbuf_addf(&a->why, "worker sent a malformed result (%s)", pc_strerror(r));
		return -PC_ECRASH;
	}
}

static json_t *parse_envelope(const struct sbuf *frame)
{
	json_t *env = json_loadb(frame->buf, frame->len, 0, NULL);

	if (json_is_object(env) && json_is_boolean(json_object_get(env, "ok")))
		return env;
	json_decref(env);
	return NULL;
}

/* One attempt: 0 with *env set, or the job's failure code with a->why set. */
static int attempt(struct worker_slot *s, struct worker_job *j, json_t **env,
		   struct attempts *a)
{
	struct stage_pool *p = s->pool;
	struct worker_io io = { p->stop_fd, 0 };
	struct sbuf frame = SBUF_INIT(WORKER_FRAME_MAX);
	int r;

	sbuf_reset(&a->why);
	a->dumped = false;
	a->started = time(NULL) - 1;
	r = ensure_worker(s, &a->why);
	if (r < 0) {
		a->fatal = true;
		return r;
	}
	/* The clock starts once the worker exists: starting it is not its time. */
	if (j->timeout_s > 0)
		io.deadline = time_mono() + j->timeout_s;
	r = worker_frame_send(s->proc.in_fd, j->request, j->request_len, &io);
	if (r == -EPIPE)
		clear_sigpipe();
	if (r == 0)
		r = worker_frame_recv(s->proc.out_fd, &frame, &io);
	if (r == 0 && !(*env = parse_envelope(&frame)))
		r = -PC_EPARSE;
	sbuf_release(&frame);
	return r == 0 ? 0 : diagnose(s, j, r, a);
}

static void set_failure(struct worker_job *j, int code, struct attempts *a)
{
	struct sbuf msg = SBUF_INIT(SBUF_NOLIMIT);

	sbuf_adds(&msg, a->why.buf);
	if (!a->fatal && !a->oom)
		sbuf_addf(&msg, " after %d attempt%s", j->res.attempts,
			  j->res.attempts == 1 ? "" : "s");
	if (a->dumped)
		sbuf_addf(&msg, " (crash dump: %s)", j->res.crash_dump);
	j->res.code = code;
	j->res.error = sbuf_detach(&msg, NULL);
}

void worker_attempt_job(struct worker_slot *s, struct worker_job *j)
{
	struct stage_pool *p = s->pool;
	struct attempts a = { SBUF_INIT(4096), false, false, false, 0 };
	int code;

	for (j->res.attempts = 1;; j->res.attempts++) {
		json_t *env = NULL;

		code = attempt(s, j, &env, &a);
		if (code == 0) {
			worker_result_from_envelope(&j->res, env);
			json_decref(env);
			break;
		}
		if (a.fatal || a.oom || code == -PC_EINTR || j->res.attempts > p->retries ||
		    worker_pool_stopping(p))
			break;
		log_warn(p->h->name, "episode %s: %s%s%s; retrying (attempt %d of %d)",
			 j->episode_id, a.why.buf, a.dumped ? ", crash dump " : "",
			 a.dumped ? j->res.crash_dump : "", j->res.attempts + 1, p->retries + 1);
	}
	if (code < 0)
		set_failure(j, code, &a);
	sbuf_release(&a.why);
}
