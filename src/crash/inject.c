/*
 * inject.c - the fault injector and crash_trigger(); see crash.h.
 *
 * The count of faults already raised is shared by every process of a run
 * through a small counter file: a decimal number, read and rewritten under
 * an exclusive flock().  The file is opened anew for every check, because a
 * forked child shares an inherited descriptor's lock with its parent.  Once
 * a process has seen the count reach n it stops looking.
 */
#include "crash/internal.h"
#include "log/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#define INJECT_ENV "PODCAST_SCRAPER_INJECT_FAULT"
#define COUNTER_ENV "PODCAST_SCRAPER_INJECT_FAULT_COUNTER"

/* Not a signal: the fault is a hang (inj.sleep_s 0: for ever). */
#define INJECT_HANG 0

static struct {
	bool active;
	int stage;
	int sig;                /* or INJECT_HANG */
	long sleep_s;           /* a hang's length; 0: for ever */
	long times;
	atomic_bool exhausted;
	pid_t creator;         /* the process that made the counter file, or 0 */
	char counter[PATH_MAX];
} inj;

static bool injectable(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGABRT;
}

/* "HANG" (for ever) or "SLEEP<seconds>" (at most a day) into *sleep_s; else false. */
static bool parse_hang(const char *s, long *sleep_s)
{
	char *end = NULL;

	*sleep_s = 0;
	if (!strcmp(s, "HANG"))
		return true;
	if (strncmp(s, "SLEEP", 5))
		return false;
	errno = 0;
	*sleep_s = strtol(s + 5, &end, 10);
	return !errno && end != s + 5 && !*end && *sleep_s >= 1 && *sleep_s <= 86400;
}

/* "<stage>:<SIGNAL|HANG|SLEEP<s>>[:<n>]" into *stage, *sig, *sleep_s, *times. */
static int parse_spec(const char *spec, int *stage, int *sig, long *sleep_s, long *times)
{
	char *copy = pc_strdup(spec);
	char *sig_part = strchr(copy, ':');
	char *n_part = sig_part ? strchr(sig_part + 1, ':') : NULL;
	char *end = NULL;
	int r = 0;

	if (!sig_part) {
		free(copy);
		return -1;
	}
	*sig_part++ = '\0';
	if (n_part)
		*n_part++ = '\0';
	*stage = stage_from_name(copy);
	*sig = parse_hang(sig_part, sleep_s) ? INJECT_HANG : crash_signal_from_name(sig_part);
	*times = 1;
	if (n_part) {
		errno = 0;
		*times = strtol(n_part, &end, 10);
		if (errno || end == n_part || *end || *times < 1)
			r = -1;
	}
	if (*stage < 0 || (*sig != INJECT_HANG && !injectable(*sig)))
		r = -1;
	free(copy);
	return r;
}

static void remove_counter(void)
{
	if (inj.creator == getpid())
		unlink(inj.counter);
}

/* Makes a counter file and exports its name, for this process and its children. */
static int create_counter(struct sbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(inj.counter, sizeof(inj.counter), "%s/podcast_scraper_fault_XXXXXX",
		     tmp) >= (int)sizeof(inj.counter)) {
		sbuf_setf(err, "%s: TMPDIR '%s' is too long", INJECT_ENV, tmp);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(inj.counter);
	if (fd < 0) {
		int e = errno;

		sbuf_setf(err, "%s: cannot create a counter file in '%s': %s",
			  INJECT_ENV, tmp, strerror(e));
		return -e;
	}
	close(fd);
	setenv(COUNTER_ENV, inj.counter, 1);
	inj.creator = getpid();
	atexit(remove_counter);
	return 0;
}

static int use_counter(struct sbuf *err)
{
	const char *path = getenv(COUNTER_ENV);

	if (!path || !*path)
		return create_counter(err);
	if (strlen(path) >= sizeof(inj.counter)) {
		sbuf_setf(err, "%s: path too long", COUNTER_ENV);
		return -ENAMETOOLONG;
	}
	memcpy(inj.counter, path, strlen(path) + 1);
	return 0;
}

int crash_inject_setup(struct sbuf *err)
{
	const char *spec = getenv(INJECT_ENV);
	int stage, sig, r;
	long times, sleep_s;

	if (!spec || !*spec) {
		inj.active = false;
		return 0;
	}
	if (parse_spec(spec, &stage, &sig, &sleep_s, &times) < 0) {
		sbuf_setf(err, "%s='%s': expected <stage>:<SIGNAL>[:<n>] with a stage "
			  "name, SIGNAL one of SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, "
			  "HANG or SLEEP<seconds>, and n >= 1", INJECT_ENV, spec);
		return -PC_EUSAGE;
	}
	if (!inj.counter[0]) {
		r = use_counter(err);
		if (r < 0)
			return r;
	}
	inj.stage = stage;
	inj.sig = sig;
	inj.sleep_s = sleep_s;
	inj.times = times;
	atomic_store(&inj.exhausted, false);
	inj.active = true;
	return 0;
}

/* Counts one more fault if fewer than inj.times were raised; true if so. */
static bool take_fault(void)
{
	int fd = open(inj.counter, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	char buf[32];
	ssize_t n;
	long count = 0;
	bool fire;

	if (fd < 0) {
		log_warn("crash", "fault counter '%s': %s", inj.counter, strerror(errno));
		return false;
	}
	flock(fd, LOCK_EX);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		count = strtol(buf, NULL, 10);
	}
	fire = count < inj.times;
	if (fire) {
		n = snprintf(buf, sizeof(buf), "%ld\n", count + 1);
		if (pwrite(fd, buf, (size_t)n, 0) != n || ftruncate(fd, n) < 0)
			log_warn("crash", "fault counter '%s': cannot update", inj.counter);
	} else {
		atomic_store(&inj.exhausted, true);
	}
	flock(fd, LOCK_UN);
	close(fd);
	return fire;
}

/* Stops the calling thread for inj.sleep_s seconds, or for ever (until killed). */
static void hang(enum stage stage)
{
	if (inj.sleep_s) {
		log_warn("crash", "injecting a %ld s stall in stage %s (%s)", inj.sleep_s,
			 stage_name(stage), INJECT_ENV);
		time_sleep_ms(inj.sleep_s * 1000);   /* sleeps on through signals */
		return;
	}
	log_warn("crash", "injecting a hang in stage %s (%s)", stage_name(stage), INJECT_ENV);
	for (;;)
		time_sleep_ms(1000);
}

void crash_inject_check(enum stage stage)
{
	if (!inj.active || (int)stage != inj.stage || atomic_load(&inj.exhausted))
		return;
	if (!take_fault())
		return;
	if (inj.sig == INJECT_HANG) {
		hang(stage);
		return;
	}
	log_warn("crash", "injecting %s in stage %s (%s)", crash_signal_name(inj.sig),
		 stage_name(stage), INJECT_ENV);
	crash_trigger(inj.sig);
}

/* ---- real faults ---- */

static volatile uintptr_t bad_address = 16;
static volatile int one = 1, zero;

static void fault_segv(void)
{
	*(volatile int *)bad_address = 1;
}

/* Reading a page of an empty memfd mapping is a bus error, as with a
 * truncated mapped file. */
static void fault_bus(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = memfd_create("crash_trigger", MFD_CLOEXEC);
	volatile char *p;

	if (fd < 0)
		return;
	p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return;
	(void)p[0];
	munmap((void *)p, (size_t)page);
}

/* The sanitizer would report the division instead of letting it trap. */
__attribute__((no_sanitize("undefined")))
static void fault_fpe(void)
{
	volatile int r = one / zero;  /* both volatile: no shortcut for 1/x */

	(void)r;
}

void crash_trigger(int sig)
{
	switch (sig) {
	case SIGSEGV:
		fault_segv();
		break;
	case SIGBUS:
		fault_bus();
		break;
	case SIGFPE:
		fault_fpe();
		break;
	case SIGILL:
		__builtin_trap();   /* ud2 on x86 */
	case SIGABRT:
		abort();
	default:
		break;
	}
	raise(sig);
}
