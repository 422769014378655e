/*
 * report.c - the signal handlers and the crash report; see crash.h.
 *
 * Everything here runs inside a signal handler, so it only calls
 * async-signal-safe functions (open, write, close, clock_gettime, nanosleep,
 * tgkill, sigaction, raise) plus libbacktrace, whose state crash_install()
 * made and which reads the debug info here, on first use, allocating with
 * mmap.  Text is built in fixed line buffers on the (alternate) stack with our
 * own integer formatting; a line longer than the buffer is cut.
 *
 * Other threads' stacks: the crashing thread sets dump_turn to a thread's
 * tid and sends it CRASH_DUMP_SIGNAL.  That thread's handler claims the turn
 * by swapping tid for -tid, writes its backtrace to the same fds, and sets
 * the turn back to 0.  The crashing thread waits for 0 with a deadline; an
 * unclaimed turn is withdrawn (swap tid for 0), so a late answer writes
 * nothing, and a claimed one gets a little longer to finish.
 */
#include "crash/internal.h"
#include "log/log.h"

#include <backtrace.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define MAX_FRAMES 64
#define WAIT_ALL_MS 1000        /* for all the other threads together */
#define WAIT_WRITING_MS 500     /* extra for a thread already writing */
#define LINE_MAX_BYTES 1024

static struct sigaction prev_actions[ARRAY_SIZE(crash_fatal_signals)];
static struct sigaction prev_dump_action;

static atomic_int crashing_tid;
static atomic_int dump_turn;
static int out_fds[2];
static int out_count;
static char handler_path[PATH_MAX];

struct line {
	size_t len;
	char buf[LINE_MAX_BYTES];
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void put(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

/* A field of a thread slot: bounded, as another thread may be rewriting it. */
static void put_field(struct line *l, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i] && l->len < sizeof(l->buf) - 1; i++)
		l->buf[l->len++] = s[i];
}

static void put_unsigned(struct line *l, uintmax_t v, unsigned base)
{
	char digits[32];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = digits[--n];
}

static void put_dec(struct line *l, intmax_t v)
{
	if (v < 0) {
		put(l, "-");
		put_unsigned(l, (uintmax_t)0 - (uintmax_t)v, 10);
	} else {
		put_unsigned(l, (uintmax_t)v, 10);
	}
}

static void put_hex(struct line *l, uintptr_t v)
{
	put(l, "0x");
	put_unsigned(l, v, 16);
}

/* Writes the line and a newline to every output, then empties it. */
static void emit(struct line *l)
{
	l->buf[l->len++] = '\n';
	for (int i = 0; i < out_count; i++)
		write_all(out_fds[i], l->buf, l->len);
	l->len = 0;
}

static void emit_str(const char *s)
{
	struct line l = { 0 };

	put(&l, s);
	emit(&l);
}

void crash_format_path(char *out, const char *dir, pid_t pid)
{
	struct line l = { 0 };

	put(&l, dir);
	put(&l, "/crash_dump_");
	put_dec(&l, pid);
	put(&l, ".log");
	memcpy(out, l.buf, l.len);
	out[l.len] = '\0';
}

/* ---- signal code names ---- */

static const struct {
	int sig;   /* 0: any signal */
	int code;
	const char *name;
	const char *meaning;
} code_names[] = {
	{ SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR", "address not mapped to object" },
	{ SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR", "invalid permissions for mapped object" },
	{ SIGBUS, BUS_ADRALN, "BUS_ADRALN", "invalid address alignment" },
	{ SIGBUS, BUS_ADRERR, "BUS_ADRERR", "nonexistent physical address" },
	{ SIGBUS, BUS_OBJERR, "BUS_OBJERR", "object-specific hardware error" },
	{ SIGFPE, FPE_INTDIV, "FPE_INTDIV", "integer divide by zero" },
	{ SIGFPE, FPE_INTOVF, "FPE_INTOVF", "integer overflow" },
	{ SIGFPE, FPE_FLTDIV, "FPE_FLTDIV", "floating-point divide by zero" },
	{ SIGFPE, FPE_FLTOVF, "FPE_FLTOVF", "floating-point overflow" },
	{ SIGFPE, FPE_FLTUND, "FPE_FLTUND", "floating-point underflow" },
	{ SIGFPE, FPE_FLTRES, "FPE_FLTRES", "floating-point inexact result" },
	{ SIGFPE, FPE_FLTINV, "FPE_FLTINV", "floating-point invalid operation" },
	{ SIGFPE, FPE_FLTSUB, "FPE_FLTSUB", "subscript out of range" },
	{ SIGILL, ILL_ILLOPC, "ILL_ILLOPC", "illegal opcode" },
	{ SIGILL, ILL_ILLOPN, "ILL_ILLOPN", "illegal operand" },
	{ SIGILL, ILL_ILLADR, "ILL_ILLADR", "illegal addressing mode" },
	{ SIGILL, ILL_ILLTRP, "ILL_ILLTRP", "illegal trap" },
	{ SIGILL, ILL_PRVOPC, "ILL_PRVOPC", "privileged opcode" },
	{ SIGILL, ILL_PRVREG, "ILL_PRVREG", "privileged register" },
	{ SIGILL, ILL_COPROC, "ILL_COPROC", "coprocessor error" },
	{ SIGILL, ILL_BADSTK, "ILL_BADSTK", "internal stack error" },
	{ 0, SI_USER, "SI_USER", "sent by kill()" },
	{ 0, SI_TKILL, "SI_TKILL", "sent by tkill() or raise()" },
	{ 0, SI_QUEUE, "SI_QUEUE", "sent by sigqueue()" },
	{ 0, SI_KERNEL, "SI_KERNEL", "sent by the kernel" },
};

static void put_code(struct line *l, int sig, int code)
{
	put(l, "code ");
	put_dec(l, code);
	for (size_t i = 0; i < ARRAY_SIZE(code_names); i++) {
		if (code_names[i].code != code ||
		    (code_names[i].sig && code_names[i].sig != sig))
			continue;
		put(l, " ");
		put(l, code_names[i].name);
		put(l, " (");
		put(l, code_names[i].meaning);
		put(l, ")");
		return;
	}
}

static void put_signal(struct line *l, int sig)
{
	const char *name = crash_signal_name(sig);

	put(l, name ? name : "signal");
	put(l, " (");
	put_dec(l, sig);
	put(l, ")");
}

/* ---- backtraces ---- */

static uintptr_t context_pc(const void *uc)
{
#if defined(__x86_64__)
	return (uintptr_t)((const ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uintptr_t)((const ucontext_t *)uc)->uc_mcontext.pc;
#else
	(void)uc;
	return 0;
#endif
}

struct walk {
	uintptr_t start_pc;  /* frames above it are the handler's own */
	bool matched;        /* start_pc is on the stack */
	bool started;
	int frames;
};

static int find_start(void *data, uintptr_t pc)
{
	struct walk *w = data;

	if (pc != w->start_pc)
		return 0;
	w->matched = true;
	return 1;
}

static void bt_error(void *data, const char *msg, int errnum)
{
	struct line l = { 0 };

	(void)data;
	if (errnum == -1)   /* no debug info: names come from the symbol table */
		return;
	put(&l, "  (backtrace: ");
	put(&l, msg);
	put(&l, ")");
	emit(&l);
}

static void put_symbol(void *data, uintptr_t pc, const char *sym, uintptr_t val,
		       uintptr_t size)
{
	struct line *l = data;

	(void)size;
	if (!sym) {
		put(l, "??");
		return;
	}
	put(l, sym);
	put(l, "+");
	put_hex(l, pc - val);
}

static void bt_quiet(void *data, const char *msg, int errnum)
{
	(void)data;
	(void)msg;
	(void)errnum;
}

static int put_frame(void *data, uintptr_t pc, const char *file, int lineno,
		     const char *fn)
{
	struct walk *w = data;
	struct line l = { 0 };

	if (pc == (uintptr_t)-1)   /* the unwinder's end marker */
		return 0;
	if (!w->started) {
		if (w->matched && pc != w->start_pc)
			return 0;
		w->started = true;
	}
	if (w->frames >= MAX_FRAMES) {
		emit_str("  ...");
		return 1;
	}
	put(&l, "  #");
	put_dec(&l, w->frames++);
	put(&l, " ");
	put_hex(&l, pc);
	put(&l, " in ");
	if (fn)
		put(&l, fn);
	else if (!backtrace_syminfo(crash_cfg.bt, pc, put_symbol, bt_quiet, &l))
		put(&l, "??");
	if (file) {
		put(&l, " at ");
		put(&l, file);
		put(&l, ":");
		put_dec(&l, lineno);
	}
	emit(&l);
	return 0;
}

static void glibc_backtrace(uintptr_t start_pc)
{
	void *frames[MAX_FRAMES];
	int n = backtrace(frames, MAX_FRAMES);
	int first = 0;

	for (int i = 0; i < n; i++) {
		if ((uintptr_t)frames[i] == start_pc) {
			first = i;
			break;
		}
	}
	for (int i = 0; i < out_count; i++)
		backtrace_symbols_fd(frames + first, n - first, out_fds[i]);
}

/* The calling thread's stack, from the frame the signal interrupted. */
static void write_backtrace(const void *uc)
{
	struct walk w = { .start_pc = context_pc(uc) };

	if (!crash_cfg.bt) {
		glibc_backtrace(w.start_pc);
		return;
	}
	if (w.start_pc)
		backtrace_simple(crash_cfg.bt, 0, find_start, bt_quiet, &w);
	backtrace_full(crash_cfg.bt, 0, put_frame, bt_error, &w);
	if (!w.frames)
		glibc_backtrace(w.start_pc);
}

/* ---- the report ---- */

static void put_thread(struct line *l, pid_t tid, const struct crash_thread *t)
{
	put_dec(l, tid);
	put(l, " \"");
	if (t)
		put_field(l, t->name, CRASH_NAME_MAX);
	else
		put(l, "(unregistered)");
	put(l, "\"");
}

static const struct crash_thread *find_thread(pid_t tid)
{
	for (int i = 0; i < CRASH_MAX_THREADS; i++)
		if (atomic_load(&crash_threads[i].used) && crash_threads[i].tid == tid)
			return &crash_threads[i];
	return NULL;
}

static void write_header(int sig, const siginfo_t *si, pid_t self)
{
	struct line l = { 0 };

	emit_str("=== podcast_scraper crash report ===");
	put(&l, "signal: ");
	put_signal(&l, sig);
	put(&l, ", ");
	put_code(&l, sig, si->si_code);
	if (si->si_code > 0) {
		put(&l, ", fault address ");
		put_hex(&l, (uintptr_t)si->si_addr);
	} else if (si->si_code == SI_USER || si->si_code == SI_TKILL) {
		put(&l, ", from pid ");
		put_dec(&l, si->si_pid);
	}
	emit(&l);
	put(&l, "version: ");
	put(&l, crash_cfg.version);
	emit(&l);
	put(&l, "process: pid ");
	put_dec(&l, getpid());
	put(&l, ", role ");
	put(&l, crash_cfg.role);
	emit(&l);
	put(&l, "thread: ");
	put_thread(&l, self, find_thread(self));
	emit(&l);
}

static void write_thread_table(pid_t self)
{
	emit_str("threads (stage, episode):");
	for (int i = 0; i < CRASH_MAX_THREADS; i++) {
		const struct crash_thread *t = &crash_threads[i];
		struct line l = { 0 };
		pid_t tid = t->tid;
		int stage = t->stage;

		if (!atomic_load(&t->used) || !tid)
			continue;
		put(&l, "  ");
		put_thread(&l, tid, t);
		put(&l, " stage=");
		put(&l, stage >= 0 ? stage_name((enum stage)stage) : "none");
		put(&l, " episode=");
		if (t->episode[0])
			put_field(&l, t->episode, CRASH_EPISODE_MAX);
		else
			put(&l, "-");
		if (tid == self)
			put(&l, "  <- crashed");
		emit(&l);
	}
}

static void write_log_ring(void)
{
	emit_str("last log lines:");
	for (int i = 0; i < out_count; i++)
		log_ring_write_fd(out_fds[i]);
}

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Waits for the thread that has the turn; false if it never took it. */
static bool wait_turn(pid_t tid, const struct timespec *deadline)
{
	int expected = tid;

	while (atomic_load(&dump_turn) != 0 && ms_until(deadline) > 0)
		sleep_ms(1);
	if (atomic_compare_exchange_strong(&dump_turn, &expected, 0))
		return false;
	for (int i = 0; i < WAIT_WRITING_MS && atomic_load(&dump_turn) != 0; i++)
		sleep_ms(1);
	return true;
}

static void write_other_threads(pid_t self)
{
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += WAIT_ALL_MS / 1000;
	for (int i = 0; i < CRASH_MAX_THREADS; i++) {
		const struct crash_thread *t = &crash_threads[i];
		pid_t tid = t->tid;
		struct line l = { 0 };

		if (!atomic_load(&t->used) || !tid || tid == self)
			continue;
		put(&l, "backtrace of thread ");
		put_thread(&l, tid, t);
		put(&l, ":");
		emit(&l);
		atomic_store(&dump_turn, tid);
		if (ms_until(&deadline) <= 0) {
			atomic_store(&dump_turn, 0);
			emit_str("  (not collected: out of time)");
		} else if (tgkill(getpid(), tid, crash_cfg.dump_signal) < 0) {
			atomic_store(&dump_turn, 0);
			emit_str("  (not collected: the thread is gone)");
		} else if (!wait_turn(tid, &deadline)) {
			emit_str("  (not collected: the thread did not answer)");
		}
	}
}

static void write_report(int sig, const siginfo_t *si, const void *uc, pid_t self)
{
	struct line l = { 0 };
	int fd;

	crash_format_path(handler_path, crash_cfg.dir, getpid());
	out_fds[0] = STDERR_FILENO;
	out_count = 1;
	fd = open(handler_path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		out_fds[out_count++] = fd;
	write_header(sig, si, self);
	write_thread_table(self);
	write_log_ring();
	put(&l, "backtrace of thread ");
	put_thread(&l, self, find_thread(self));
	put(&l, " (crashed):");
	emit(&l);
	write_backtrace(uc);
	write_other_threads(self);
	emit_str("=== end of crash report ===");
	out_count = 1;
	put(&l, fd >= 0 ? "crash dump written to " : "crash dump could not be written to ");
	put(&l, handler_path);
	emit(&l);
	if (fd >= 0)
		close(fd);
}

/* ---- handlers ---- */

static int fatal_index(int sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(crash_fatal_signals); i++)
		if (crash_fatal_signals[i] == sig)
			return (int)i;
	return -1;
}

static bool is_function(const struct sigaction *sa)
{
	if (sa->sa_flags & SA_SIGINFO)
		return sa->sa_sigaction != NULL;
	return sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN;
}

/* Hands the signal to whoever had it before us, then dies of it for real. */
static void finish(int sig, siginfo_t *si, void *uc)
{
	int i = fatal_index(sig);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	if (i >= 0 && is_function(&prev_actions[i])) {
		sigaction(sig, &prev_actions[i], NULL);
		if (prev_actions[i].sa_flags & SA_SIGINFO)
			prev_actions[i].sa_sigaction(sig, si, uc);
		else
			prev_actions[i].sa_handler(sig);
	}
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void on_fatal(int sig, siginfo_t *si, void *uc)
{
	pid_t self = gettid();
	int expected = 0;

	if (!atomic_compare_exchange_strong(&crashing_tid, &expected, self)) {
		if (expected == self) {   /* the report itself faulted */
			static const char msg[] = "crash handler failed; no complete report\n";

			write_all(STDERR_FILENO, msg, sizeof(msg) - 1);
			finish(sig, si, uc);
		}
		for (;;)   /* another thread is reporting; the process ends with it */
			pause();
	}
	write_report(sig, si, uc, self);
	finish(sig, si, uc);
}

static void on_dump_request(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;
	pid_t self = gettid();
	int expected = self;

	(void)sig;
	(void)si;
	if (atomic_compare_exchange_strong(&dump_turn, &expected, -self)) {
		write_backtrace(uc);
		expected = -self;
		atomic_compare_exchange_strong(&dump_turn, &expected, 0);
	}
	errno = saved_errno;
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags,
			struct sigaction *prev)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };
	struct sigaction old;

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) == 0 && old.sa_sigaction != fn)
		*prev = old;
}

void crash_report_install(void)
{
	crash_cfg.dump_signal = CRASH_DUMP_SIGNAL;
	for (size_t i = 0; i < ARRAY_SIZE(crash_fatal_signals); i++)
		set_handler(crash_fatal_signals[i], on_fatal,
			    SA_ONSTACK | SA_NODEFER, &prev_actions[i]);
	set_handler(crash_cfg.dump_signal, on_dump_request, SA_ONSTACK | SA_RESTART,
		    &prev_dump_action);
	crash_cfg.installed = true;
}

void crash_report_uninstall(void)
{
	if (!crash_cfg.installed)
		return;
	crash_cfg.installed = false;
	for (size_t i = 0; i < ARRAY_SIZE(crash_fatal_signals); i++)
		sigaction(crash_fatal_signals[i], &prev_actions[i], NULL);
	sigaction(crash_cfg.dump_signal, &prev_dump_action, NULL);
}
