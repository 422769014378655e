/*
 * install.c - options, dump paths, signal names and crash_install(); see
 * crash.h.  Everything a crash report needs is resolved here, outside any
 * signal handler: the absolute dump directory, the preformatted path, the
 * libbacktrace state (its debug info read by the first report), and glibc's
 * backtrace() with libgcc already loaded.
 */
#include "crash/internal.h"
#include "log/log.h"

#include <backtrace.h>
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

/*
 * The libbacktrace state is made here, but the debug info of the program and
 * its ~170 shared libraries is read only by a crash report that needs it:
 * read ahead, it held ~25 MB in every process of a run for the rare crash.
 * Reading it inside the handler is safe: libbacktrace allocates with mmap,
 * never malloc, and reads files with open/read/mmap.  The state can never
 * be freed; it is made once per process image, and a forked child inherits
 * it (with the atfork hook fixing the child's pid and dump path).
 */
static void make_state(void)
{
	pthread_atfork(NULL, NULL, crash_after_fork);
	crash_cfg.bt = backtrace_create_state(NULL, 1, bt_quiet_error, NULL);
}

/* glibc's backtrace() loads libgcc_s on first use: do it now, not in a handler. */
static void prewarm_backtraces(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	void *frames[4];

	if (backtrace(frames, (int)ARRAY_SIZE(frames)) <= 0)
		log_debug("crash", "glibc backtrace() is not available");
	pthread_once(&once, make_state);
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
