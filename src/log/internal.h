/*
 * internal.h - what log.c and progress.c share.  Not a contract: only
 * src/log/ includes it.
 *
 * The log lock serialises everything this process writes to stderr, so a
 * log line and a board redraw never interleave.  Functions named _locked
 * expect it held.
 */
#ifndef LOG_INTERNAL_H
#define LOG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

void log_lock_take(void);
void log_lock_give(void);
/* Writes all of p to stderr, retrying short writes. */
void log_write_stderr(const char *p, size_t len);
bool log_quiet_locked(void);

#endif
