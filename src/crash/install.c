/*
 * install.c - options, dump paths, signal names and crash_install(); see
 * crash.h.  Everything a crash report needs is resolved here, outside any
 * signal handler: the absolute dump directory, the preformatted path, the
 * libbacktrace state with the debug info already read, and glibc's
 * backtrace() with libgcc already loaded.
 *
 * Reading the debug info of the program and its ~170 shared libraries takes
 * a fifth of a second, so a loader thread does it while the program starts;
 * a crash in that window waits for it (crash_bt_wait), and fork() waits for
 * it too, so a child never inherits a half-read state.
 */
#include "crash/internal.h"
#include "log/log.h"

#include <backtrace.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef PC_VERSION
#define PC_VERSION "unknown"
#endif

struct crash_config crash_cfg = { .role = "main", .version = PC_VERSION };

const int crash_fatal_signals[5] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static const struct {
	int sig;
	const char *name;
} signal_names[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
};

const char *crash_signal_name(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (signal_names[i].sig == sig)
			return signal_names[i].name;
	return NULL;
}

int crash_signal_from_name(const char *name)
{
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (*name && !strcasecmp(signal_names[i].name + 3, name))
			return signal_names[i].sig;
	return -1;
}

/* PODCAST_SCRAPER_CRASH_HANDLER=0/false/no/off wins over the options. */
static bool env_disabled(void)
{
	static const char *const off[] = { "0", "false", "no", "off" };
	const char *v = getenv("PODCAST_SCRAPER_CRASH_HANDLER");

	for (size_t i = 0; v && i < ARRAY_SIZE(off); i++)
		if (!strcasecmp(v, off[i]))
			return true;
	return false;
}

/* Resolves dir to an absolute path in out (PATH_MAX), so a later chdir()
 * cannot move the dumps, leaving room for the file name. */
static int resolve_dir(const char *dir, char *out, struct sbuf *err)
{
	char *abs;
	size_t len;

	if (!dir || !*dir)
		dir = ".";
	abs = realpath(dir, NULL);
	if (!abs) {
		int e = errno;

		sbuf_setf(err, "crash_dir '%s': %s", dir, strerror(e));
		return -e;
	}
	len = strlen(abs);
	if (len + sizeof("/crash_dump_.log") + 20 > PATH_MAX) {
		sbuf_setf(err, "crash_dir '%s': path too long", dir);
		free(abs);
		return -ENAMETOOLONG;
	}
	memcpy(out, abs, len + 1);
	free(abs);
	return 0;
}

static void copy_trunc(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void bt_quiet_error(void *data, const char *msg, int errnum)
{
	(void)data;
	(void)msg;
	(void)errnum;
}

static void bt_syminfo_seen(void *data, uintptr_t pc, const char *sym,
			    uintptr_t val, uintptr_t size)
{
	(void)pc;
	(void)val;
	(void)size;
	*(bool *)data = sym != NULL;
}

static int bt_pcinfo_seen(void *data, uintptr_t pc, const char *file, int line,
			  const char *fn)
{
	(void)data;
	(void)pc;
	(void)file;
	(void)line;
	(void)fn;
	return 0;
}

/*
 * libbacktrace reads the debug info on first use, which must not happen in a
 * handler, and its state can never be freed: it is made once per process
 * image (a forked child inherits it, with the atfork hook).
 */
static _Atomic int bt_phase;   /* enum bt_phase */
enum { BT_NONE, BT_LOADING, BT_READY, BT_UNAVAILABLE };

static void *load_debug_info(void *arg)
{
	struct backtrace_state *bt = backtrace_create_state(NULL, 1, bt_quiet_error, NULL);
	bool found = false;

	(void)arg;
	/*
	 * Idle priority: the engines this process runs matter more; a crash
	 * before the loader is done waits for it (crash_bt_wait).
	 */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), 19) < 0)
		log_debug("crash", "cannot lower the debug-info loader's priority");
	if (bt) {
		backtrace_pcinfo(bt, (uintptr_t)&crash_install, bt_pcinfo_seen,
				 bt_quiet_error, NULL);
		if (!backtrace_syminfo(bt, (uintptr_t)&crash_install, bt_syminfo_seen,
				       bt_quiet_error, &found) || !found)
			bt = NULL;
	}
	crash_cfg.bt = bt;
	atomic_store(&bt_phase, bt ? BT_READY : BT_UNAVAILABLE);
	return NULL;
}

/* Async-signal-safe: waits (bounded) for the loader; true when bt is usable. */
bool crash_bt_wait(void)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 300 && atomic_load(&bt_phase) == BT_LOADING; i++)
		nanosleep(&tick, NULL);
	return atomic_load(&bt_phase) == BT_READY;
}

static void wait_before_fork(void)
{
	crash_bt_wait();
}

static void start_loader(void)
{
	pthread_t t;

	pthread_atfork(wait_before_fork, NULL, crash_after_fork);
	atomic_store(&bt_phase, BT_LOADING);
	if (pthread_create(&t, NULL, load_debug_info, NULL) != 0)
		load_debug_info(NULL);
	else
		pthread_detach(t);
}

/* glibc's backtrace() loads libgcc_s on first use: do it now, not in a handler. */
static void prewarm_backtraces(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	void *frames[4];

	if (backtrace(frames, (int)ARRAY_SIZE(frames)) <= 0)
		log_debug("crash", "glibc backtrace() is not available");
	pthread_once(&once, start_loader);
}

int crash_install(const struct crash_options *o, struct sbuf *err)
{
	char dir[PATH_MAX];
	bool enabled = o->enabled && !env_disabled();
	int r = resolve_dir(o->crash_dir, dir, err);

	if (r < 0)
		return r;
	r = crash_inject_setup(err);
	if (r < 0)
		return r;
	if (o->role)
		copy_trunc(crash_cfg.role, sizeof(crash_cfg.role), o->role);
	copy_trunc(crash_cfg.version, sizeof(crash_cfg.version),
		   o->version ? o->version : PC_VERSION);
	memcpy(crash_cfg.dir, dir, strlen(dir) + 1);
	crash_cfg.pid = getpid();
	crash_format_path(crash_cfg.path, crash_cfg.dir, crash_cfg.pid);
	if (!enabled) {
		crash_report_uninstall();
		return 0;
	}
	prewarm_backtraces();
	if (crash_thread_slot() < 0)
		crash_thread_init("main");
	crash_report_install();
	return 0;
}

void crash_after_fork(void)
{
	crash_cfg.pid = getpid();
	if (crash_cfg.dir[0])
		crash_format_path(crash_cfg.path, crash_cfg.dir, crash_cfg.pid);
	crash_threads_after_fork();
}

const char *crash_dump_path(void)
{
	if (!crash_cfg.installed)
		return NULL;
	if (crash_cfg.pid != getpid())
		crash_after_fork();
	return crash_cfg.path;
}

int crash_dump_path_for(pid_t pid, struct sbuf *out)
{
	char path[PATH_MAX];

	if (!crash_cfg.installed)
		return -PC_ENOTFOUND;
	crash_format_path(path, crash_cfg.dir, pid);
	return sbuf_adds(out, path);
}
