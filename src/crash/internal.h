/*
 * internal.h - state shared by the crash module's files; not a public header.
 *
 * install.c owns the options, paths and signal dispositions; threads.c the
 * thread table; report.c the signal handlers that read both; inject.c the
 * fault injector.  Everything the handlers read is static storage filled in
 * before a crash can use it.
 */
#ifndef CRASH_INTERNAL_H
#define CRASH_INTERNAL_H

#include "crash/crash.h"

#include <limits.h>
#include <stdatomic.h>

#define CRASH_NAME_MAX 32
#define CRASH_EPISODE_MAX 96
#define CRASH_ROLE_MAX 64
#define CRASH_VERSION_MAX 32

/* One registered thread.  used is claimed last and released first. */
struct crash_thread {
	atomic_int used;
	volatile pid_t tid;
	volatile int stage;          /* enum stage, or -1 before any */
	char name[CRASH_NAME_MAX];
	char episode[CRASH_EPISODE_MAX];
	void *stack_map;             /* our alternate stack mapping, guard page first */
	size_t stack_map_size;
	stack_t old_stack;           /* the one we replaced, restored at exit */
};

extern struct crash_thread crash_threads[CRASH_MAX_THREADS];

struct crash_config {
	bool installed;
	pid_t pid;                   /* whose path is in path */
	char role[CRASH_ROLE_MAX];
	char version[CRASH_VERSION_MAX];
	char dir[PATH_MAX];          /* absolute */
	char path[PATH_MAX];         /* dir/crash_dump_<pid>.log */
	int dump_signal;             /* CRASH_DUMP_SIGNAL, fixed at install */
	struct backtrace_state *bt;  /* NULL: glibc backtrace only */
};

extern struct crash_config crash_cfg;

/* The fatal signals, in report order. */
extern const int crash_fatal_signals[5];

/* threads.c */
int crash_thread_slot(void);               /* calling thread's slot or -1 */
void crash_threads_after_fork(void);

/* report.c */
void crash_report_install(void);           /* sets the handlers, saving the old ones */
void crash_report_uninstall(void);
/* Formats dir/crash_dump_<pid>.log into out (size PATH_MAX); async-signal-safe. */
void crash_format_path(char *out, const char *dir, pid_t pid);

/* inject.c */
int crash_inject_setup(struct sbuf *err);
void crash_inject_check(enum stage stage);

#endif
