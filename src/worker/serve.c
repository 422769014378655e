/*
 * serve.c - the worker side: one job through a handler, and the worker
 * process's main loop (`worker STAGE --config FILE`).
 *
 * A worker's configuration is the coordinator's snapshot file and nothing
 * else, so every worker of a run sees exactly what the coordinator decided;
 * only secrets, which are never written to a file, come from the
 * environment.  Logging and the crash handler get the role "worker:STAGE".
 */
#include "worker/internal.h"
#include "crash/crash.h"
#include "log/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int worker_engine_open(const struct stage_handler *h, const struct config *c,
		       struct worker_engine *e, struct sbuf *err)
{
	double t0 = time_mono();
	int r;

	e->state = NULL;
	r = h->open(c, &e->state, err);
	if (r < 0)
		return r;
	e->open = true;
	log_info(h->name, "model loaded in %.1fs", time_mono() - t0);
	return 0;
}

void worker_engine_close(const struct stage_handler *h, struct worker_engine *e)
{
	if (!e->open)
		return;
	if (h->close)
		h->close(e->state);
	e->state = NULL;
	e->open = false;
	log_info(h->name, "model freed");
}

static json_t *error_envelope(const struct stage_handler *h, int code, const char *msg)
{
	json_t *env = json_object();

	json_object_set_new(env, "ok", json_false());
	json_object_set_new(env, "code", json_integer(code < 0 ? code : -PC_EFAIL));
	if (msg && *msg) {
		json_object_set_new(env, "error", json_string(msg));
	} else {
		struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

		sbuf_addf(&sb, "%s failed: %s", h->name, pc_strerror(code));
		json_object_set_new(env, "error", json_string(sb.buf));
		sbuf_release(&sb);
	}
	return env;
}

static json_t *ok_envelope(json_t *response, const char *device)
{
	json_t *env = json_object();

	json_object_set_new(env, "ok", json_true());
	json_object_set_new(env, "response", response ? response : json_object());
	if (device)
		json_object_set_new(env, "device_used", json_string(device));
	return env;
}

json_t *worker_serve(const struct stage_handler *h, const struct config *c,
		     struct worker_engine *e, int model_cleanup, json_t *request)
{
	const char *episode = json_string_value(json_object_get(request, "episode_id"));
	struct sbuf err = SBUF_INIT(16384);
	json_t *response = NULL, *env;
	int r = 0;

	crash_context_set(h->stage, episode);
	if (!e->open) {
		struct sbuf why = SBUF_INIT(16384);

		r = worker_engine_open(h, c, e, &why);
		if (r < 0)
			sbuf_addf(&err, "cannot load the %s model: %s", h->name, why.buf);
		sbuf_release(&why);
	}
	if (r == 0) {
		crash_stage_enter(h->stage, episode);
		r = h->run(e->state, request, &response, &err);
	}
	if (r < 0) {
		json_decref(response);
		env = error_envelope(h, r, err.buf);
	} else {
		env = ok_envelope(response, h->device_used ? h->device_used(e->state, c) : NULL);
	}
	if (model_cleanup == CLEANUP_EPISODE)
		worker_engine_close(h, e);
	sbuf_release(&err);
	return env;
}

/* The result frame for env; an error envelope when env cannot be one. */
static char *encode_envelope(const struct stage_handler *h, json_t *env)
{
	char *out = json_dumps(env, JSON_COMPACT);
	const char *why = out ? "the response is larger than a frame may be (16 MiB)" :
			  "the response cannot be encoded as JSON";
	int code = out ? -PC_ETOOBIG : -PC_EFAIL;

	if (out && strlen(out) <= WORKER_FRAME_MAX)
		return out;
	free(out);
	env = error_envelope(h, code, why);
	out = json_dumps(env, JSON_COMPACT);
	json_decref(env);
	return out;
}

/* What the worker process was started with (argv), beside the engine's config. */
struct worker_args {
	const char *stage, *config_path;
	int model_cleanup;      /* from the pool, the one source of the policy */
	long long memory_limit; /* bytes; 0: none */
};

static const char *const cleanup_names[] = {
	[CLEANUP_STAGE] = "stage", [CLEANUP_EPISODE] = "episode",
	[CLEANUP_EXIT] = "exit", [CLEANUP_NONE] = "none",
};

const char *worker_cleanup_name(int model_cleanup)
{
	if (model_cleanup < 0 || model_cleanup >= (int)ARRAY_SIZE(cleanup_names))
		BUG("model_cleanup %d", model_cleanup);
	return cleanup_names[model_cleanup];
}

static int cleanup_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cleanup_names); i++)
		if (!strcmp(cleanup_names[i], name))
			return (int)i;
	return -PC_EUSAGE;
}

/* Serves one job frame; returns 0, or -1 after logging a protocol failure. */
static int serve_frame(const struct stage_handler *h, const struct config *c,
		       struct worker_engine *e, const struct sbuf *in, int proto,
		       int model_cleanup)
{
	struct worker_io io = { -1, 0 };
	json_error_t jerr;
	json_t *req = json_loadb(in->buf, in->len, 0, &jerr), *env;
	char *out;
	int r;

	if (!json_is_object(req)) {
		log_error(h->name, "malformed job: %s", req ? "not an object" : jerr.text);
		json_decref(req);
		return -1;
	}
	worker_limit_job(true);
	env = worker_serve(h, c, e, model_cleanup, req);
	worker_limit_job(false);
	json_decref(req);
	out = encode_envelope(h, env);
	json_decref(env);
	r = worker_frame_send(proto, out, strlen(out), &io);
	free(out);
	if (r < 0)
		log_error(h->name, "cannot send a result: %s", pc_strerror(r));
	return r < 0 ? -1 : 0;
}

/* Serves frames from stdin until it ends; returns the exit code. */
static int serve_loop(const struct stage_handler *h, const struct config *c, int proto,
		      int model_cleanup)
{
	struct sbuf in = SBUF_INIT(WORKER_FRAME_MAX);
	struct worker_io io = { -1, 0 };
	struct worker_engine e = { NULL, false };
	int code = 0, r;

	while ((r = worker_frame_recv(STDIN_FILENO, &in, &io)) == 0)
		if (serve_frame(h, c, &e, &in, proto, model_cleanup) < 0)
			break;
	if (r != -ENODATA) {
		if (r < 0)
			log_error(h->name, "cannot read a job: %s", pc_strerror(r));
		code = 1;
	}
	sbuf_release(&in);
	if (model_cleanup == CLEANUP_NONE && code == 0)
		_exit(0);       /* no teardown at all, as asked */
	worker_engine_close(h, &e);
	return code;
}

/* Secrets never reach the snapshot file: take them from the environment. */
static int load_secrets(struct config *c, struct sbuf *err)
{
	static const char *const names[] = { "PODCAST_SCRAPER_OPENAI_API_KEY", "OPENAI_API_KEY" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *v = getenv(names[i]);
		struct config_origin o = { NULL, 0, names[i], NULL };

		if (v && *v)
			return config_set(c, "openai_api_key", v, &o, true, err);
	}
	return 0;
}

static int setup_process(const struct config *c, const char *role, struct sbuf *err)
{
	struct crash_options co = { c->crash_handler, c->crash_dir, role, PC_VERSION };
	struct log_options lo;
	int r;

	config_log_options(c, role, &lo);
	r = log_setup(&lo, err);

	log_progress_enable(false);
	return r < 0 ? r : crash_install(&co, err);
}

/* The value of option name at argv[*i] ("--name VALUE" or "--name=VALUE"), or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!argv[*i][n] && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* A --memory-limit value: bytes as digits; -1 when it is not one. */
static long long limit_from_text(const char *v)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	return errno || end == v || *end || n < 0 ? -1 : n;
}

/* "worker STAGE --config FILE [--model-cleanup POLICY] [--memory-limit BYTES]" into *a. */
static int parse_args(int argc, char **argv, struct worker_args *a)
{
	const char *v;

	*a = (struct worker_args){ NULL, NULL, CLEANUP_EXIT, 0 };
	for (int i = 1; i < argc; i++) {
		if ((v = option_value(argc, argv, &i, "--config")))
			a->config_path = v;
		else if ((v = option_value(argc, argv, &i, "--model-cleanup")))
			a->model_cleanup = cleanup_from_name(v);
		else if ((v = option_value(argc, argv, &i, "--memory-limit")))
			a->memory_limit = limit_from_text(v);
		else if (argv[i][0] != '-' && !a->stage)
			a->stage = argv[i];
		else
			return -PC_EUSAGE;
	}
	return a->stage && a->config_path && a->model_cleanup >= 0 && a->memory_limit >= 0 ?
	       0 : -PC_EUSAGE;
}

/* Moves the protocol off fd 1 and points fd 1 at stderr; returns the protocol fd. */
static int take_stdout(void)
{
	int proto = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);

	if (proto >= 0 && dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		close(proto);
		return -1;
	}
	return proto;
}

static int run_worker(const struct stage_handler *h, const struct worker_args *a)
{
	struct sbuf err = SBUF_INIT(8192), role = SBUF_INIT(256);
	struct config c;
	int code = 1, proto;

	config_init(&c);
	/* started as /proc/self/exe, the kernel named us "exe": let ps and top say "podcast_scraper" */
	prctl(PR_SET_NAME, program_invocation_short_name);
	sbuf_addf(&role, "worker:%s", h->name);
	crash_context_set(STAGE_CONFIG, NULL);
	if (config_load_file(&c, a->config_path, &err) < 0 || load_secrets(&c, &err) < 0 ||
	    setup_process(&c, role.buf, &err) < 0 ||
	    worker_limit_apply(role.buf, a->memory_limit, &err) < 0) {
		log_error(role.buf, "%s", err.buf);
	} else if ((proto = take_stdout()) < 0) {
		log_error(role.buf, "cannot set up the result pipe: %s", strerror(errno));
	} else {
		code = serve_loop(h, &c, proto, a->model_cleanup);
		close(proto);
	}
	config_release(&c);
	sbuf_release(&role);
	sbuf_release(&err);
	return code;
}

int worker_main(int argc, char **argv)
{
	const struct stage_handler *h;
	struct worker_args a;

	if (parse_args(argc, argv, &a) < 0) {
		log_error("worker", "usage: podcast_scraper worker STAGE --config FILE "
			  "[--model-cleanup stage|episode|exit|none] [--memory-limit BYTES] "
			  "(internal: started by the pipeline)");
		return PC_EXIT_USAGE;
	}
	h = worker_find_handler(a.stage);
	if (!h) {
		log_error("worker", "no engine for stage '%s' in this build", a.stage);
		return PC_EXIT_USAGE;
	}
	/*
	 * Ctrl-C at the terminal reaches the whole process group; the coordinator
	 * decides what stops, and closes our stdin (or kills us) when it does.
	 */
	signal(SIGINT, SIG_IGN);
	return run_worker(h, &a);
}
