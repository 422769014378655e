/*
 * limit.c - a worker's address-space limit (worker_memory_limit) and how
 * running out of memory is told apart from other deaths.
 *
 * A hostile or broken input can make an engine allocate without bound (an
 * audio file that inflates to gigabytes).  A worker process limits its own
 * address space with RLIMIT_AS before it loads its model, so an allocation
 * past the limit fails in that worker alone.  The worker then ends with the
 * status WORKER_EXIT_OOM, which the coordinator reports as "ran out of
 * memory" and does not retry: the same input would run out again.  Two
 * paths lead there:
 *  - our allocator's out-of-memory path (pc_malloc and friends), through
 *    the hook pc.h offers;
 *  - a library that gives up with exit() in the middle of a job while errno
 *    says ENOMEM (sphinxbase's ckd_calloc prints "calloc failed" and calls
 *    exit(-1)).
 * An engine that gets ENOMEM back and returns an error fails its job as any
 * engine error does; an abort() inside a library is a crash like others.
 *
 * AddressSanitizer reserves terabytes of address space for its shadow
 * memory, so under ASan any limit would stop the worker at its first
 * allocation: such builds never apply it, and say so
 * (worker_memory_limit_enforced(), shown by `doctor`).
 */
#include "worker/internal.h"
#include "log/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define LIMIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIMIT_ASAN 1
#endif
#endif
#ifndef LIMIT_ASAN
#define LIMIT_ASAN 0
#endif

/* The worker process's own state: one limit, one job at a time. */
static long long limit_bytes;
static bool in_job;

bool worker_memory_limit_enforced(void)
{
	return !LIMIT_ASAN;
}

void worker_limit_text(struct sbuf *sb, long long bytes)
{
	static const char *const units[] = { "GiB", "MiB", "KiB" };

	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		long long unit = 1LL << (10 * (3 - i));

		if (bytes >= unit && bytes % unit == 0) {
			sbuf_addf(sb, "%lld %s", bytes / unit, units[i]);
			return;
		}
	}
	sbuf_addf(sb, "%lld bytes", bytes);
}

/* Last words without allocating (the allocator has just failed); asked 0: unknown. */
static PC_NORETURN void oom_exit(size_t asked)
{
	char msg[200], size[64] = "";
	int n;

	if (asked)
		snprintf(size, sizeof(size), " allocating %zu bytes", asked);
	if (limit_bytes > 0)
		n = snprintf(msg, sizeof(msg), "podcast_scraper worker: out of memory%s "
			     "(address-space limit %lld bytes)\n", size, limit_bytes);
	else
		n = snprintf(msg, sizeof(msg), "podcast_scraper worker: out of memory%s\n",
			     size);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* nothing left to report with */
	}
	_exit(WORKER_EXIT_OOM);
}

static void oom_hook(size_t asked)
{
	oom_exit(asked ? asked : 1);
}

/* An exit() from inside a job with errno ENOMEM is a library out of memory. */
static void exit_check(void)
{
	if (in_job && errno == ENOMEM)
		oom_exit(0);
}

void worker_limit_job(bool running)
{
	in_job = running;
}

/* Lowers the soft RLIMIT_AS to bytes (never above the hard limit). */
static int set_limit(long long bytes, struct sbuf *err)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_AS, &rl) < 0) {
		sbuf_addf(err, "cannot read the address-space limit: %s", strerror(errno));
		return -errno;
	}
	rl.rlim_cur = (rlim_t)bytes;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_AS, &rl) < 0) {
		sbuf_addf(err, "cannot limit the address space to %lld bytes: %s", bytes,
			  strerror(errno));
		return -errno;
	}
	return 0;
}

int worker_limit_apply(const char *role, long long bytes, struct sbuf *err)
{
	limit_bytes = bytes;
	pc_set_oom_hook(oom_hook);
	atexit(exit_check);
	if (bytes <= 0)
		return 0;
	if (!worker_memory_limit_enforced()) {
		log_debug(role, "worker_memory_limit not applied: AddressSanitizer reserves "
			  "terabytes of address space in this build");
		return 0;
	}
	if (set_limit(bytes, err) < 0)
		return -PC_EFAIL;
	log_debug(role, "address space limited to %lld bytes", bytes);
	return 0;
}
