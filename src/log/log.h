/*
 * log.h - leveled logging for every process of the program.
 *
 * Lines go to stderr as "2026-01-31T12:00:00.123Z INFO feed: message", or as
 * one JSON object a line with json_logs, and are appended to log_file when
 * set.  quiet drops everything below warnings on stderr (the log file still
 * gets the configured level).
 *
 * Every line, whatever its level and whether or not it was printed, also
 * goes into a ring buffer of the last LOG_RING_LINES lines; the crash handler
 * writes it into crash dumps with log_ring_write_fd(), which is
 * async-signal-safe (it takes no lock and allocates nothing; a line being
 * written at the moment of the crash may come out torn).
 *
 * Thread-safe: output is serialised by a mutex.  Before log_setup() logging
 * goes to stderr at info level, so early errors are never lost.
 */
#ifndef LOG_H
#define LOG_H

#include "util/pc.h"
#include "util/sbuf.h"

#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_LEVEL__COUNT };

#define LOG_RING_LINES 50
#define LOG_RING_LINE_MAX 400

struct log_options {
	enum log_level level;
	const char *file;     /* appended to; NULL for none */
	bool json;
	bool quiet;
	const char *role;     /* process role shown in JSON logs: "main", "worker" */
};

/* Applies o; returns -errno with err set when the log file cannot be opened. */
int log_setup(const struct log_options *o, struct sbuf *err);
void log_close(void);

void log_msg(enum log_level level, const char *subsystem, const char *fmt, ...)
	PC_PRINTF(3, 4);
void log_vmsg(enum log_level level, const char *subsystem, const char *fmt, va_list ap);
bool log_enabled(enum log_level level);

#define log_error(sub, ...) log_msg(LOG_ERROR, (sub), __VA_ARGS__)
#define log_warn(sub, ...) log_msg(LOG_WARN, (sub), __VA_ARGS__)
#define log_info(sub, ...) log_msg(LOG_INFO, (sub), __VA_ARGS__)
#define log_debug(sub, ...) log_msg(LOG_DEBUG, (sub), __VA_ARGS__)

/* "error", "warn"/"warning", "info", "debug" -> level; -1 if unknown. */
int log_level_from_name(const char *name);
const char *log_level_name(enum log_level level);

/* Async-signal-safe: writes the ring buffer, oldest first, to fd. */
void log_ring_write_fd(int fd);

/*
 * Progress on long work, shown only when stderr is a TTY and progress is on
 * (log_progress_enable).  One line redrawn in place; cleared before any log
 * line is printed so the two never interleave.
 */
void log_progress_enable(bool on);
void log_progress(const char *label, long done, long total);
void log_progress_done(void);

#endif
