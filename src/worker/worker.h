/*
 * worker.h - supervised stage execution: engines run in worker processes
 * (or threads) that the coordinator watches, retries and replaces
 * (docs/CRASH_MITIGATION.md tells users how to tune it).
 *
 * Purpose.  A native engine (speech recognition, summarization) may crash,
 * hang or leak.  The coordinator never runs one itself: it submits jobs to a
 * stage pool, and the pool runs each job in one of `workers` long-lived
 * worker processes of the same binary (`<exe> worker <stage> --config-fd
 * <N>`, N an inherited descriptor of the config snapshot), each of which
 * loads its engine once and serves many jobs.  A worker that dies by a
 * signal, exits badly, closes its result pipe mid-job or passes timeout_s
 * is reaped and replaced, and the job is retried
 * up to `retries` more times; after that the job fails with a message naming
 * the signal and the worker's crash dump.  The coordinator itself is never
 * taken down: it blocks SIGPIPE in the threads that talk to workers and
 * treats EPIPE as a dead worker.
 *
 * Engines.  An engine implements struct stage_handler and is registered with
 * worker_register_handler() (stages/ registers the program's engines; tests
 * add their own).
 *
 * Protocol (process isolation).  Jobs go to the worker's stdin, results come
 * back on its original stdout, which the worker duplicates before pointing
 * fd 1 at stderr, so stray prints of a library can never corrupt a frame.
 * A frame is a 4-byte big-endian length and that many bytes of compact JSON
 * (at most WORKER_FRAME_MAX).  Request frame: the request object, which
 * always has a string "episode_id"; large data travels by file path inside
 * it.  Result frame: {"ok":true,"response":{...},"device_used":"cpu"} or
 * {"ok":false,"code":-1000,"error":"..."} for an engine's own failure, which
 * is final (not retried: it would fail the same way again).  End of stdin
 * tells the worker to stop.
 *
 * Model cleanup (enum model_cleanup from config.h).  episode: the engine is
 * closed after every job and opened again for the next; stage: closed when
 * the stage has no more work (stage_pool_drain_hint() with an empty queue,
 * or stage_pool_free()); exit: closed when the pool is freed; none: never
 * closed (a worker process _exit()s at end of input; an inline engine is
 * left allocated).  Every load and free is logged with its stage name:
 * "transcribe: model loaded in 0.8s", "transcribe: model freed".
 *
 * Inline isolation runs the same handlers in threads of this process, one
 * engine per thread, with the same cleanup policy: for debugging and to
 * measure what isolation costs.  A crash there is a crash of the whole
 * process (the crash handler still writes its dump), and timeout_s is not
 * enforced (a thread cannot be killed).
 *
 * Device gate.  Pools whose engines share an accelerator (with
 * mps_exclusive) share one struct device_gate: at most one of them runs jobs
 * at a time, the gate goes to pools in the order their first queued job
 * arrived, and a pool keeps it until its queue is empty and its jobs are
 * done, so the transcription of the queued episodes finishes before
 * summarization starts on the same device.  CPU pools are never gated.
 *
 * Threads.  One supervisor thread per worker slot, started lazily; it does
 * the blocking work (spawn, pipe I/O with poll() deadlines, waitpid).  The
 * coordinator's calls (submit, poll with timeout 0, pending, drain_hint)
 * never wait for a worker.  Completion callbacks run only inside
 * stage_pool_poll(), on the caller's thread, in completion order.  A pool is
 * used from one coordinator thread.
 *
 * Calling sequence.
 *	pool = stage_pool_new(&opts, &err);
 *	stage_pool_set_gate(pool, gate);             optional, before any submit
 *	stage_pool_submit(pool, request, done, udata);   any number of times
 *	while (stage_pool_poll(pool, 100) > 0)       or add stage_pool_fd() to
 *		...;                                 a poll set and poll(pool, 0)
 *	stage_pool_drain_hint(pool);                 no more submissions
 *	stage_pool_free(pool);
 *
 * In a worker process, main() calls worker_main() (the `worker`
 * subcommand), which serves jobs until its stdin ends.
 */
#ifndef WORKER_H
#define WORKER_H

#include "config/config.h"
#include "util/pc.h"
#include "util/sbuf.h"
#include "util/stage.h"

#include <jansson.h>

/* Largest frame accepted either way; bigger payloads travel as files. */
#define WORKER_FRAME_MAX (16u << 20)

/*
 * An engine.  open() loads the model (*engine is its private state); run()
 * serves one request and sets *response (a new reference, which the worker
 * takes) or returns a negative code with err set; close() frees the
 * engine.  device_used (optional) names where the engine really runs
 * ("cpu" when cuda was asked but is not available).  The functions may be
 * called from any thread, but one engine from one thread at a time.
 */
struct stage_handler {
	const char *name;      /* "transcribe", "summarize", "test" */
	enum stage stage;      /* for the crash context and the fault injector */
	int (*open)(const struct config *c, void **engine, struct sbuf *err);
	int (*run)(void *engine, json_t *request, json_t **response, struct sbuf *err);
	void (*close)(void *engine);
	const char *(*device_used)(void *engine, const struct config *c);
};

/*
 * Adds h (not copied: it must outlive its use) to the handlers found by
 * name, ahead of any registered earlier under the same name.  Call before
 * creating pools or running worker_main(); not thread-safe.
 */
void worker_register_handler(const struct stage_handler *h);
/* The handler called name, or NULL. */
const struct stage_handler *worker_find_handler(const char *name);

/*
 * The worker process: `worker STAGE --config FILE|--config-fd N
 * --model-cleanup POLICY --memory-limit BYTES` (argv[0] is "worker").
 * Loads the config from FILE or from descriptor N (read from its start,
 * then closed) only (plus secrets such as OPENAI_API_KEY from the
 * environment), sets logging and the crash handler with role
 * "worker:STAGE", limits its address space, then serves jobs on stdin until
 * it ends.  The cleanup policy and the memory limit come from the pool's
 * options by these arguments only (the config's model_cleanup and
 * worker_memory_limit are not read here; defaults exit and no limit).
 * Returns the exit code: 0 after a clean end of input, 1 on a protocol or
 * setup error, 2 on a usage error, 12 when it ran out of memory.  With
 * --model-cleanup none it _exit(0)s at end of input.
 */
int worker_main(int argc, char **argv);

/*
 * False in builds where worker_memory_limit cannot be applied: AddressSanitizer
 * reserves terabytes of address space, so any limit would stop every worker.
 */
bool worker_memory_limit_enforced(void);
/* A limit as people read it into sb: "64 MiB", "2 GiB", "1000 bytes". */
void worker_limit_text(struct sbuf *sb, long long bytes);

/* Where a pool's jobs run. */
struct stage_pool_options {
	const char *handler;        /* handler name, e.g. "transcribe" */
	int workers;                /* concurrent jobs (worker slots), >= 1 */
	int isolation;              /* enum isolation_mode */
	double timeout_s;           /* per attempt; <= 0 for none (process mode only) */
	int retries;                /* more attempts after a crash or timeout */
	int model_cleanup;          /* enum model_cleanup */
	int threads;                /* OMP/MKL_NUM_THREADS for workers; 0 leaves them */
	/*
	 * Address-space limit of each worker process in bytes (RLIMIT_AS; 0:
	 * none).  A worker that runs out of memory fails its job with a message
	 * naming the limit and is not retried.  Not applied with inline
	 * isolation (warned once) nor in ASan builds.
	 */
	long long memory_limit;
	/*
	 * The configuration the engines get.  Process mode: config_path if set,
	 * else a snapshot of config (secrets omitted) in a file without a name
	 * (a sealed memfd; an O_TMPFILE file where memfds are missing) that
	 * each worker inherits as a descriptor: no snapshot is ever visible in
	 * a folder, and none outlives the processes, even after kill -9.
	 * Inline mode: config if set (it must outlive the pool), else loaded
	 * from config_path.  One is required.
	 */
	const struct config *config;
	const char *config_path;
	const char *exe;            /* worker executable; NULL for /proc/self/exe */
	const char *device;         /* resolved device: NULL or "cpu", "cuda", "mps" */
};

/* How one job ended.  Owned by the pool; valid during the callback only. */
struct stage_result {
	int code;              /* 0; the engine's code; -PC_ECRASH, -PC_ETIMEOUT, -PC_EFAIL */
	json_t *response;      /* on success; keep it with json_incref() */
	char *error;           /* one human sentence on failure, else NULL */
	int attempts;          /* 1 + retries used */
	int crashes;           /* workers that died or exited badly during this job */
	int timeouts;          /* attempts killed at their time limit */
	const char *signal_name;  /* "SIGSEGV": what ended the last failed worker, or NULL */
	char *crash_dump;      /* that worker's crash dump, if the file exists */
	double seconds;        /* finished - started */
	double started, finished;  /* time_mono() when the job got a slot, and ended */
	char *device_used;     /* what the engine reported, else the pool's device */
};

struct stage_pool;
typedef void (*stage_done_fn)(struct stage_pool *pool, struct stage_result *res,
			      void *udata);

/* Counters over the pool's life. */
struct stage_pool_stats {
	long jobs, ok, failed;
	long crashes, timeouts, retries;
	long workers_spawned;
};

/*
 * Makes a pool; no thread or process starts before the first submit.
 * Returns NULL with err set for an unknown handler, bad options, or a
 * config that cannot be snapshotted or loaded.  Free with stage_pool_free().
 */
struct stage_pool *stage_pool_new(const struct stage_pool_options *o, struct sbuf *err);

/*
 * Queues a job.  Steals the reference to request, which must be an object
 * with a string "episode_id" (else -PC_EUSAGE, a caller's bug; request is
 * released either way).  done(pool, result, udata) runs later inside
 * stage_pool_poll(); it may submit more jobs.
 */
int stage_pool_submit(struct stage_pool *pool, json_t *request, stage_done_fn done,
		      void *udata);

/*
 * A job's own time limit, in place of the pool's timeout_s (process
 * isolation only, like it): seconds per attempt (<= 0: none), and how they
 * were worked out, for the message of a job killed at them ("1800 s + 1 s
 * per audio second for 2520 s of audio"; NULL: nothing to add).  Copied.
 */
struct stage_limit {
	double seconds;
	const char *why;
};

/* stage_pool_submit() with the job's own time limit. */
int stage_pool_submit_limited(struct stage_pool *pool, json_t *request,
			      const struct stage_limit *limit, stage_done_fn done, void *udata);

/*
 * Runs the callbacks of finished jobs, waiting up to timeout_ms (0: not at
 * all, -1: until one finishes) when none is ready and some are pending.
 * Returns the jobs still pending (queued or running) afterwards.
 */
int stage_pool_poll(struct stage_pool *pool, int timeout_ms);
/* Jobs submitted whose callback has not run yet. */
int stage_pool_pending(const struct stage_pool *pool);
/* Readable when a completion is ready; for the caller's poll set. */
int stage_pool_fd(const struct stage_pool *pool);

/*
 * No more submissions will come: with model_cleanup stage, workers (or
 * inline engines) that are idle while the queue is empty stop and free
 * their models now.  Later submissions still work (workers restart).
 */
void stage_pool_drain_hint(struct stage_pool *pool);

void stage_pool_stats(const struct stage_pool *pool, struct stage_pool_stats *out);

/*
 * Stops the pool: idle workers get end of input and free their models per
 * policy (killed if they take longer than a grace period); running jobs
 * are abandoned (their workers killed) and, like queued ones, never get a
 * callback.  Drain with stage_pool_poll() first to get every result.
 */
void stage_pool_free(struct stage_pool *pool);

/* A device several pools share; see the design comment. */
struct device_gate;

/* A gate for the accelerator called name ("cuda"); free after its pools. */
struct device_gate *device_gate_new(const char *name);
void device_gate_free(struct device_gate *gate);
/*
 * Makes pool take gate before running jobs.  Call before the first submit.
 * Does nothing for a CPU pool (device NULL, "" or "cpu"): CPUs are never
 * gated.  Returns 0, or -PC_EUSAGE when jobs were already submitted.
 */
int stage_pool_set_gate(struct stage_pool *pool, struct device_gate *gate);

#endif
