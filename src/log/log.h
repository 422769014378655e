/*
 * log.h - leveled logging for every process of the program.
 *
 * Lines go to stderr as "2026-01-31T12:00:00.123Z INFO feed: message", or as
 * one JSON object a line with json_logs, and are appended to log_file when
 * set.  quiet drops everything below warnings on stderr (the log file still
 * gets the configured level).
 *
 * Every message has the credentials of the URLs in it hidden (util/redact.h)
 * before it goes anywhere: callers may name a URL as the user gave it.
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
 * Progress board (progress.c), shown only when stderr is a TTY, progress is
 * on (log_progress_enable) and quiet is off.  One line per active item
 * (an episode: its stage, bytes and speed while downloading, percent while
 * transcribing), at most LOG_BOARD_ROWS of them, then a total line with
 * done/failed counts and an ETA.  The board is redrawn in place at most ten
 * times a second; a log line erases it, prints, and draws it again below,
 * so log lines scroll above the board and never into it.
 *
 * Items are keyed by an opaque pointer owned by the caller (never
 * dereferenced); name and stage are copied.  All calls are cheap no-ops
 * while the board is off, and thread-safe.
 */
#define LOG_BOARD_ROWS 8

void log_progress_enable(bool on);
/* Starts or moves item key to stage; clears its bytes and percent. */
void log_progress_item(const void *key, const char *name, const char *stage);
/* Bytes received so far and the expected size (total <= 0: unknown). */
void log_progress_bytes(const void *key, long long done, long long total);
/* Share of the work done, 0..1 (shown as a percent). */
void log_progress_fraction(const void *key, double fraction);
/* The item is finished; its line goes away. */
void log_progress_item_end(const void *key);
/* The total line: items finished well, failed, and expected in all. */
void log_progress_totals(long done, long failed, long total);
/* Erases the board and forgets every item (end of a run). */
void log_progress_done(void);

/* One row of the board, for log_board_render(). */
struct log_board_row {
	const char *name;
	const char *stage;
	long long bytes, bytes_total;   /* bytes < 0: not downloading */
	double speed;                   /* bytes per second; 0 when unknown */
	double fraction;                /* < 0 when unknown */
};

struct log_board {
	const struct log_board_row *rows;
	size_t nr;                      /* all active rows; only LOG_BOARD_ROWS shown */
	long done, failed, total;
	double elapsed;                 /* seconds since the board started */
	int width;                      /* columns; every line is cut to width - 1 */
};

/*
 * Renders b as plain lines, each ending in '\n', without escape codes: what
 * the terminal shows.  Pure, so tests can check it.
 */
void log_board_render(const struct log_board *b, struct sbuf *out);

#endif
