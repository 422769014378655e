/*
 * crash.h - crash handler, crash dumps, per-thread stage context and the
 * fault injector (docs/CRASH_MITIGATION.md is the users' side of it).
 *
 * Purpose.  When a process of the program dies of SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL or SIGABRT, the handler writes a report to stderr and to
 * <crash_dir>/crash_dump_<pid>.log: signal, si_code and fault address;
 * version; pid, process role and crashing thread; the stage and episode of
 * every registered thread; the last log lines (log_ring_write_fd); and a
 * native backtrace of every registered thread with function names and
 * file:line where debug info exists (libbacktrace, falling back to glibc's
 * backtrace_symbols_fd).  Then it hands the signal to the handler that was
 * there before ours, if any, and re-raises it with the default action, so the
 * process ends by the same signal and core dumps stay true.
 *
 * Invariants.  The handler only does async-signal-safe work: write(2) and
 * open(2), memory prepared by crash_install() and crash_thread_init(), and
 * integer formatting of its own.  The other threads' stacks are collected by
 * sending each registered thread CRASH_DUMP_SIGNAL; each writes its own
 * backtrace while the crashing thread waits, at most about a second in all.
 * A fault inside the handler, or a second thread crashing meanwhile, never
 * produces a second report: the first one finishes and the process ends.
 * Stage and episode are copied into fixed per-thread slots (truncated, the
 * episode id with the credentials of a URL in it hidden as in logs), so a
 * report can read them without locks; a value being written at the moment of
 * the crash may come out torn.
 *
 * Calling sequence.
 *	crash_install(&(struct crash_options){ .enabled = true }, &err);  first
 *	    thing in main; again once the config is known (crash_dir,
 *	    crash_handler, role): it is re-callable, and enabled = false
 *	    uninstalls.  PODCAST_SCRAPER_CRASH_HANDLER=0 (false/no/off) disables
 *	    the handler whatever the options say.
 *	crash_thread_init("fetch-1") at the start of every thread,
 *	    crash_thread_exit() before it ends; the thread calling
 *	    crash_install() is registered as "main".
 *	crash_stage_enter(STAGE_TRANSCRIBE, episode_id) at each stage boundary.
 * After fork() the child's pid, dump path and thread table are fixed up
 * automatically (pthread_atfork); crash_after_fork() does it by hand.
 *
 * Fault injector (tests only).  PODCAST_SCRAPER_INJECT_FAULT=<stage>:<SIGNAL>[:<n>]
 * makes crash_stage_enter() raise SIGNAL (SEGV, BUS, FPE, ILL or ABRT, with or
 * without the SIG prefix) for real the first n times (default 1) any thread
 * of any process of the run enters <stage>.  SIGNAL HANG instead stops that
 * thread for ever (until its process is killed), SLEEP<s> for s seconds.
 * The count lives in the file named
 * by PODCAST_SCRAPER_INJECT_FAULT_COUNTER (incremented under flock); when that
 * variable is unset, the first crash_install() creates a temporary counter
 * file and exports the variable, so forked and exec'd children share it (the
 * creating process removes it at exit).  Unset, the injector costs a getenv
 * at install and nothing else.  The injector works whether or not the
 * handler is enabled.
 *
 * Ownership.  The module keeps copies of everything it is given; strings it
 * returns are static and must not be freed.
 */
#ifndef CRASH_H
#define CRASH_H

#include "util/pc.h"
#include "util/sbuf.h"
#include "util/stage.h"

#include <signal.h>
#include <sys/types.h>

/* Real-time signal used to ask the other threads for their stacks. */
#define CRASH_DUMP_SIGNAL (SIGRTMIN + 3)
/* Threads beyond this many are not registered (their stacks are not dumped). */
#define CRASH_MAX_THREADS 64

struct crash_options {
	bool enabled;
	const char *crash_dir;  /* NULL or "" for the current directory */
	const char *role;       /* "main", "worker:transcribe"; NULL keeps the last */
	const char *version;    /* NULL for the build's version */
};

/*
 * Installs (or, when disabled, removes) the handler and applies o.  Returns
 * 0, or a negative code with err naming the problem: crash_dir missing or
 * too long, PODCAST_SCRAPER_INJECT_FAULT malformed, the counter file not
 * creatable.  On error nothing is changed.
 */
int crash_install(const struct crash_options *o, struct sbuf *err);

/* Registers the calling thread (name truncated to 31 bytes) and gives it an
 * alternate signal stack; calling it again renames the thread. */
void crash_thread_init(const char *thread_name);
/* Unregisters the calling thread and frees its signal stack. */
void crash_thread_exit(void);

/* Records the calling thread's stage and episode (NULL for none) for reports. */
void crash_context_set(enum stage stage, const char *episode_id);
/* crash_context_set + a log line for the stage boundary + the fault injector. */
void crash_stage_enter(enum stage stage, const char *episode_id);

/* Fixes pid, dump path and thread table in a forked child. */
void crash_after_fork(void);

/* Where this process would write its dump; NULL when the handler is off. */
const char *crash_dump_path(void);
/* The dump path of process pid (a worker) into out; -PC_ENOTFOUND when off. */
int crash_dump_path_for(pid_t pid, struct sbuf *out);

/* "SIGSEGV" for SIGSEGV; NULL for signals it does not know.  Async-signal-safe. */
const char *crash_signal_name(int sig);
/* "SIGSEGV", "SEGV", "segv" -> SIGSEGV; -1 when unknown. */
int crash_signal_from_name(const char *name);

/*
 * Makes sig happen for real in the calling thread: an invalid write for
 * SIGSEGV, a read past the end of a mapped file for SIGBUS, an integer
 * division by zero for SIGFPE, an illegal instruction for SIGILL, abort()
 * for SIGABRT, raise() for anything else.  Returns only if the signal is
 * handled or ignored.
 */
void crash_trigger(int sig);

#endif
