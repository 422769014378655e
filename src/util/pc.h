/*
 * pc.h - conventions shared by every module.
 *
 * Error convention: functions return 0 on success or a negative PC_E* code
 * (or -errno).  Functions that can fail for a reason a user must read take a
 * `struct sbuf *err` and append one human sentence to it, lowercase, naming
 * the subject ("feed 'https://x/rss': not an RSS or Atom document").  Only
 * main and the cmd_* entry points print; modules never do.
 *
 * Allocation: pc_malloc() and friends never return NULL; on exhaustion they
 * report and abort (the crash handler then writes a dump), so callers do not
 * litter every call with checks that can only be wrong.
 */
#ifndef PC_H
#define PC_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>

#define PC_OK 0
enum pc_error_code {
	PC_EFAIL = 1000,      /* generic failure; err says why */
	PC_ETOOBIG,           /* a size cap was hit */
	PC_EPARSE,            /* malformed input */
	PC_ENOTFOUND,         /* no such thing (file, key, element) */
	PC_EUSAGE,            /* the user asked for something invalid */
	PC_ENET,              /* network-level failure */
	PC_EHTTP,             /* HTTP status failure */
	PC_EHOSTILE,          /* input rejected as hostile (entities, bombs) */
	PC_EINTR,             /* interrupted by a signal / shutdown */
	PC_ECRASH,            /* a worker process crashed */
	PC_ETIMEOUT,          /* a deadline passed */
};

/* Exit codes of every command; README.md ("Exit status") says when each is used. */
enum pc_exit {
	PC_EXIT_OK = 0,
	PC_EXIT_FATAL = 1,
	PC_EXIT_USAGE = 2,
	PC_EXIT_PARTIAL = 3,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PC_UNUSED __attribute__((unused))
#define PC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PC_NORETURN __attribute__((noreturn))

void *pc_malloc(size_t n);
void *pc_calloc(size_t nmemb, size_t size);
void *pc_realloc(void *p, size_t n);
char *pc_strdup(const char *s);
char *pc_strndup(const char *s, size_t n);
/* Grows *p (of *alloc elements of size elem) to hold at least want elements. */
void pc_grow(void **p, size_t *alloc, size_t want, size_t elem);
#define PC_GROW(p, alloc, want) \
	pc_grow((void **)&(p), &(alloc), (want), sizeof(*(p)))
/* Frees *pp and sets it to NULL. */
void pc_freep(void *pp);
/*
 * Sets what runs when an allocation fails, before the report and abort:
 * hook(size asked) may end the process its own way (a worker does, so its
 * coordinator can tell running out of memory from a crash).  NULL: none.
 */
void pc_set_oom_hook(void (*hook)(size_t n));

/* An internal invariant broke: log file:line and abort (feeds the crash dump). */
PC_NORETURN void pc_bug(const char *file, int line, const char *fmt, ...) PC_PRINTF(3, 4);
#define BUG(...) pc_bug(__FILE__, __LINE__, __VA_ARGS__)

/* Human name of a PC_E* code or -errno value. */
const char *pc_strerror(int code);

#endif
