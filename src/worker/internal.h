/*
 * internal.h - what the worker module's files share; not a public header.
 *
 * frame.c    the length-prefixed JSON frames, with deadlines and a stop fd
 * spawn.c    starting, waiting for and killing one worker process
 * handlers.c the registered handlers, by name
 * serve.c    one job through a handler (shared by worker processes and
 *            inline threads) and the worker process's main loop
 * pool.c     the pool: queue, slot threads, completions, device gate
 * attempt.c  one job in process isolation: attempts, retries, diagnosis
 * limit.c    a worker's address-space limit; out of memory as an exit status
 */
#ifndef WORKER_INTERNAL_H
#define WORKER_INTERNAL_H

#include "worker/worker.h"
#include "util/strlist.h"

#include <pthread.h>
#include <sys/types.h>

/* A worker gets this long to exit after SIGTERM before SIGKILL. */
#define WORKER_KILL_GRACE_S 2.0
/* ...and this long to free its model and exit after its input ends. */
#define WORKER_EXIT_GRACE_S 10.0

/* frame.c */

/* Limits of one blocking I/O: stop_fd readable or deadline passed ends it. */
struct worker_io {
	int stop_fd;        /* -1 for none */
	double deadline;    /* time_mono() value; 0 for none */
};

/* Sends one frame; 0, -EPIPE (reader gone), -PC_ETIMEOUT, -PC_EINTR (stop), -errno. */
int worker_frame_send(int fd, const char *data, size_t len, const struct worker_io *io);
/*
 * Receives one frame into out (reset first).  0; -ENODATA at a clean end of
 * input (no byte of a new frame); -EPIPE at an end inside a frame;
 * -PC_ETOOBIG past WORKER_FRAME_MAX; -PC_ETIMEOUT; -PC_EINTR; -errno.
 */
int worker_frame_recv(int fd, struct sbuf *out, const struct worker_io *io);

/* spawn.c */

struct worker_proc {
	pid_t pid;          /* 0: none */
	int in_fd;          /* jobs to the worker (its stdin), non-blocking */
	int out_fd;         /* results from the worker (its stdout), non-blocking */
};

#define WORKER_PROC_INIT { 0, -1, -1 }

/*
 * Starts argv[0] with envp, after git's run-command: the child resets its
 * signals, keeps only fds 0-2 and pass_fd (>= 3, or -1 for none; under the
 * same number, so argv may name it), and reports exec failure over a
 * close-on-exec pipe, so a missing executable is an error here, not a dead
 * worker later.  It gets SIGKILL if the thread that started it ends first.
 */
int worker_proc_start(struct worker_proc *p, char *const argv[], char *const envp[],
		      int pass_fd, struct sbuf *err);
/* Reaps p if it has ended: true with *status set (fds closed, pid 0). */
bool worker_proc_reaped(struct worker_proc *p, int *status);
/* Waits for p until deadline (0: forever); -PC_ETIMEOUT if still running. */
int worker_proc_wait(struct worker_proc *p, double deadline, int *status);
/* SIGTERM, WORKER_KILL_GRACE_S, SIGKILL; reaps.  *status is how it ended. */
void worker_proc_kill(struct worker_proc *p, int *status);
/* Ends input; waits grace seconds for a clean exit, then kills.  Reaps. */
void worker_proc_finish(struct worker_proc *p, double grace, int *status);
/* The environment for a worker: ours, plus OMP/MKL_NUM_THREADS = threads unless set. */
void worker_env(struct strlist *env, int threads);
/* "SIGSEGV", "SIGTERM", ...; "signal" for one it does not know.  Static. */
const char *worker_signal_name(int sig);

/* limit.c */

/* A worker that ran out of memory exits with this status (ENOMEM's number). */
#define WORKER_EXIT_OOM 12

/*
 * In a worker process, before its model loads: limits the address space to
 * bytes (0: none; never under ASan, which logs so at debug level) and makes
 * running out of memory end the process with WORKER_EXIT_OOM.
 */
int worker_limit_apply(const char *role, long long bytes, struct sbuf *err);
/* Tells limit.c whether a job is running (an exit() then means a library gave up). */
void worker_limit_job(bool running);

/* serve.c */

/* "stage", "episode", "exit", "none": a model_cleanup policy on a worker's command line. */
const char *worker_cleanup_name(int model_cleanup);

/* An engine as a worker holds it: state is the handler's, open says it is loaded. */
struct worker_engine {
	void *state;
	bool open;
};

/* Opens h's engine, logging "<stage>: model loaded in 0.8s". */
int worker_engine_open(const struct stage_handler *h, const struct config *c,
		       struct worker_engine *e, struct sbuf *err);
/* Closes e if open, logging "<stage>: model freed". */
void worker_engine_close(const struct stage_handler *h, struct worker_engine *e);
/*
 * Serves request with h, opening e first if needed and closing it
 * afterwards with model_cleanup episode.  Returns the result envelope (see
 * worker.h; caller decrefs).
 */
json_t *worker_serve(const struct stage_handler *h, const struct config *c,
		     struct worker_engine *e, int model_cleanup, json_t *request);

/* pool.c and attempt.c */

struct worker_job {
	struct worker_job *next;
	char *request;          /* compact JSON of the request */
	size_t request_len;
	char *episode_id;
	double timeout_s;       /* per attempt; <= 0: none */
	char *timeout_why;      /* how timeout_s was worked out, or NULL */
	stage_done_fn done;
	void *udata;
	struct stage_result res;
};

/* One worker slot: its supervisor thread and its worker or inline engine. */
struct worker_slot {
	struct stage_pool *pool;
	pthread_t thread;
	int index;
	struct worker_proc proc;
	struct worker_engine engine;   /* inline isolation */
};

struct stage_pool {
	const struct stage_handler *h;
	int workers, isolation, retries, model_cleanup, threads;
	long long memory_limit;         /* per worker process; 0: none */
	double timeout_s;
	char *exe, *device, *config_path;
	int config_fd;                  /* our snapshot (an anonymous file), or -1 */
	struct config own_config;       /* inline, loaded from config_path */
	const struct config *config;    /* what inline engines get */

	pthread_mutex_t own_mu;
	pthread_mutex_t *mu;            /* own_mu, or the gate's when gated */
	pthread_cond_t cond;            /* work, gate or stop for the slots */
	struct worker_job *queue, **queue_tail;
	struct worker_job *done, **done_tail;
	int queued, running, pending;
	struct worker_slot *slots;
	int nr_threads, idle;
	bool stop, draining, submitted;
	int notify_fd;                  /* eventfd: completions ready */
	int stop_fd;                    /* eventfd: abandon running jobs */
	struct stage_pool_stats stats;
	struct device_gate *gate;
};

/* Runs job j in process isolation on slot s (without the pool lock). */
void worker_attempt_job(struct worker_slot *s, struct worker_job *j);
/* Fills j->res from a result envelope. */
void worker_result_from_envelope(struct stage_result *res, json_t *envelope);
/* Adds to the pool's counters under its lock. */
void worker_pool_count(struct stage_pool *p, long *field, long n);
/* True once stage_pool_free() has begun. */
bool worker_pool_stopping(struct stage_pool *p);

#endif
