/*
 * test_handler.c - the "test" stage engine; see test_handler.h.
 */
#include "test_handler.h"
#include "crash/crash.h"
#include "util/fs.h"
#include "util/timeutil.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct test_engine {
	long jobs;
	const struct config *c;
};

static int t_open(const struct config *c, void **engine, struct sbuf *err)
{
	struct test_engine *e = pc_calloc(1, sizeof(*e));

	(void)err;
	e->c = c;
	*engine = e;
	return 0;
}

static void t_close(void *engine)
{
	free(engine);
}

static void touch(const char *path)
{
	struct sbuf err = SBUF_INIT(4096);
	char pid[32];

	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	fs_write_atomic(path, pid, strlen(pid), &err);
	sbuf_release(&err);
}

static int wait_for(const char *path, struct sbuf *err)
{
	for (int i = 0; i < 2000; i++) {
		if (fs_exists(path))
			return 0;
		time_sleep_ms(5);
	}
	sbuf_addf(err, "'%s' never appeared", path);
	return -PC_ETIMEOUT;
}

/* The requests that end the process or never return. */
static void misbehave(json_t *req)
{
	const char *sig = json_string_value(json_object_get(req, "crash"));

	if (json_is_true(json_object_get(req, "close_pipe")))
		close_range(3, ~0U, 0);
	if (json_integer_value(json_object_get(req, "sleep_ms")) > 0)
		time_sleep_ms((long)json_integer_value(json_object_get(req, "sleep_ms")));
	if (sig)
		crash_trigger(crash_signal_from_name(sig));
	if (json_is_integer(json_object_get(req, "exit")))
		_exit((int)json_integer_value(json_object_get(req, "exit")));
	if (json_is_true(json_object_get(req, "exit_enomem"))) {
		errno = ENOMEM;     /* as a library that gives up after a failed calloc */
		exit(255);
	}
	if (json_is_true(json_object_get(req, "ignore_term")))
		signal(SIGTERM, SIG_IGN);
	while (json_is_true(json_object_get(req, "hang")))
		pause();
}

static int t_run(void *engine, json_t *req, json_t **resp, struct sbuf *err)
{
	struct test_engine *e = engine;
	const char *s;

	if (json_integer_value(json_object_get(req, "allocate")) > 0) {
		size_t n = (size_t)json_integer_value(json_object_get(req, "allocate"));

		free(pc_malloc(n));
	}
	if ((s = json_string_value(json_object_get(req, "touch"))))
		touch(s);
	if ((s = json_string_value(json_object_get(req, "wait_for"))) && wait_for(s, err) < 0)
		return -PC_ETIMEOUT;
	misbehave(req);
	if ((s = json_string_value(json_object_get(req, "fail")))) {
		sbuf_adds(err, s);
		return -PC_EFAIL;
	}
	e->jobs++;
	*resp = json_pack("{s:O, s:i, s:I, s:O?, s:s?, s:s?, s:s?, s:b}",
			  "episode_id", json_object_get(req, "episode_id"),
			  "pid", (int)getpid(), "engine_jobs", (json_int_t)e->jobs,
			  "echo", json_object_get(req, "echo"),
			  "env_omp", getenv("OMP_NUM_THREADS"),
			  "env_mkl", getenv("MKL_NUM_THREADS"),
			  "language", e->c->language,
			  "api_key_set", e->c->openai_api_key != NULL);
	return *resp ? 0 : -PC_EFAIL;
}

static const char *t_device(void *engine, const struct config *c)
{
	(void)engine;
	(void)c;
	return "test-device";
}

const struct stage_handler test_stage_handler = {
	"test", STAGE_TRANSCRIBE, t_open, t_run, t_close, t_device,
};
