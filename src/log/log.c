/*
 * log.c - leveled logging with a crash-dump ring buffer; see log.h.
 *
 * The ring is a fixed array of fixed-size lines, written under the mutex and
 * read without it by the crash handler: the handler cannot take locks, and a
 * torn last line is a fair price for never deadlocking in a crash.
 */
#include "log/log.h"
#include "log/internal.h"
#include "util/redact.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>

static struct {
	enum log_level level;
	bool json;
	bool quiet;
	int file_fd;
	const char *role;
} logger = { LOG_INFO, false, false, -1, "main" };

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char ring[LOG_RING_LINES][LOG_RING_LINE_MAX];
static volatile unsigned ring_next;

static const char *const level_names[] = { "ERROR", "WARN", "INFO", "DEBUG" };

const char *log_level_name(enum log_level level)
{
	return level_names[level];
}

int log_level_from_name(const char *name)
{
	if (!strcasecmp(name, "warning"))
		return LOG_WARN;
	for (int i = 0; i < (int)ARRAY_SIZE(level_names); i++)
		if (!strcasecmp(name, level_names[i]))
			return i;
	return -1;
}

int log_setup(const struct log_options *o, struct sbuf *err)
{
	int fd = -1;

	if (o->file && *o->file) {
		fd = open(o->file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			int e = errno;

			sbuf_setf(err, "cannot open log file '%s': %s", o->file, strerror(e));
			return -e;
		}
	}
	pthread_mutex_lock(&log_lock);
	if (logger.file_fd >= 0)
		close(logger.file_fd);
	logger.file_fd = fd;
	logger.level = o->level;
	logger.json = o->json;
	logger.quiet = o->quiet;
	if (o->role)
		logger.role = o->role;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (logger.file_fd >= 0)
		close(logger.file_fd);
	logger.file_fd = -1;
	pthread_mutex_unlock(&log_lock);
}

bool log_enabled(enum log_level level)
{
	return level <= logger.level;
}

static void ring_store(const char *line, size_t len)
{
	unsigned slot = ring_next % LOG_RING_LINES;

	if (len >= LOG_RING_LINE_MAX)
		len = LOG_RING_LINE_MAX - 1;
	memcpy(ring[slot], line, len);
	ring[slot][len] = '\0';
	ring_next = ring_next + 1;
}

void log_ring_write_fd(int fd)
{
	unsigned end = ring_next;
	unsigned start = end > LOG_RING_LINES ? end - LOG_RING_LINES : 0;

	for (unsigned i = start; i < end; i++) {
		const char *line = ring[i % LOG_RING_LINES];
		ssize_t w = write(fd, line, strlen(line));

		(void)w;
		w = write(fd, "\n", 1);
	}
}

static void format_text(struct sbuf *sb, const char *ts, enum log_level level,
			const char *sub, const char *msg)
{
	sbuf_addf(sb, "%s %s %s: %s", ts, level_names[level], sub, msg);
}

static void format_json(struct sbuf *sb, const char *ts, enum log_level level,
			const char *sub, const char *msg)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "ts", ts,
			      "level", level_names[level], "subsystem", sub,
			      "role", logger.role, "pid", (json_int_t)getpid(),
			      "message", msg);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (s)
		sbuf_adds(sb, s);
	free(s);
	json_decref(o);
}

static void write_fd(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

void log_lock_take(void)
{
	pthread_mutex_lock(&log_lock);
}

void log_lock_give(void)
{
	pthread_mutex_unlock(&log_lock);
}

void log_write_stderr(const char *p, size_t len)
{
	write_fd(STDERR_FILENO, p, len);
}

bool log_quiet_locked(void)
{
	return logger.quiet;
}

void log_vmsg(enum log_level level, const char *sub, const char *fmt, va_list ap)
{
	struct sbuf raw = SBUF_INIT(16384), msg = SBUF_INIT(SBUF_NOLIMIT);
	struct sbuf line = SBUF_INIT(32768);
	char ts[TIME_ISO_LEN];
	int saved_errno = errno;

	sbuf_vaddf(&raw, fmt, ap);
	/* the one door to every log line: no URL leaves it with its credentials */
	redact_add(&msg, raw.buf, raw.len);
	sbuf_release(&raw);
	time_iso8601_ms_now(ts);
	format_text(&line, ts, level, sub ? sub : "main", msg.buf);
	pthread_mutex_lock(&log_lock);
	ring_store(line.buf, line.len);
	if (level <= logger.level) {
		if (logger.json) {
			sbuf_reset(&line);
			format_json(&line, ts, level, sub ? sub : "main", msg.buf);
		}
		sbuf_addch(&line, '\n');
		if (!logger.quiet || level <= LOG_WARN) {
			write_fd(STDERR_FILENO, line.buf, line.len);
		}
		if (logger.file_fd >= 0)
			write_fd(logger.file_fd, line.buf, line.len);
	}
	pthread_mutex_unlock(&log_lock);
	sbuf_release(&msg);
	sbuf_release(&line);
	errno = saved_errno;
}

void log_msg(enum log_level level, const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, sub, fmt, ap);
	va_end(ap);
}
