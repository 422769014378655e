/*
 * spawn.c - one worker process: start, wait, kill (after git's run-command).
 *
 * Between fork() and exec() the child of a multi-threaded process may only
 * make async-signal-safe calls, so everything it needs (argv, envp, fds) is
 * prepared before the fork, and exec failure travels back as an errno over
 * a close-on-exec pipe.  Every fd this module makes is close-on-exec and
 * above 2, so one worker never inherits another's pipe ends (which would
 * keep that worker's stdin from ever reaching its end).
 */
#include "worker/internal.h"
#include "crash/crash.h"
#include "util/timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Moves fd above 2 (keeping close-on-exec), so dup2 onto 0/1 cannot clobber it. */
static int fd_high(int fd)
{
	int hi;

	if (fd > 2)
		return fd;
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return hi;
}

static int pipe_high(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	p[0] = fd_high(p[0]);
	p[1] = fd_high(p[1]);
	if (p[0] >= 0 && p[1] >= 0)
		return 0;
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return -EMFILE;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

static bool close_span(int lo, int hi)
{
	return lo > hi || close_range((unsigned)lo, (unsigned)hi, 0) == 0;
}

/* Child side, async-signal-safe only: closes every fd above 2 except a and b (-1: none). */
static void close_fds_except(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	struct rlimit rl;

	if (lo < 3)
		lo = hi;
	if (close_span(3, lo - 1) && close_span(lo + 1, hi - 1) && close_span(hi + 1, INT_MAX))
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur > 65536)
		rl.rlim_cur = 65536;
	for (int fd = 3; fd < (int)rl.rlim_cur; fd++)
		if (fd != a && fd != b)
			close(fd);
}

/* Child side: default dispositions and an empty mask, as a fresh process has. */
static void reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static PC_NORETURN void child_fail(int err_fd)
{
	int e = errno;
	ssize_t w = write(err_fd, &e, sizeof(e));

	(void)w;
	_exit(127);
}

static PC_NORETURN void child(const char *path, char *const argv[], char *const envp[],
			      int in_fd, int out_fd, int err_fd, int pass_fd, pid_t parent)
{
	/* The worker must not outlive a coordinator killed with SIGKILL. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
		child_fail(err_fd);
	reset_signals();
	if (pass_fd >= 0 && fcntl(pass_fd, F_SETFD, 0) < 0)
		child_fail(err_fd);
	close_fds_except(err_fd, pass_fd);
	execve(path, argv, envp);
	child_fail(err_fd);
}

/*
 * The argv the child gets: argv itself, or for /proc/self/exe (the same
 * binary, even if the file was replaced meanwhile) a copy whose argv[0] is
 * our own name, so ps and pgrep show "podcast_scraper worker ..." rather
 * than "/proc/self/exe worker ...".  Free the result if it is not argv.
 */
static char **child_argv(char *const argv[])
{
	size_t n = 0;
	char **copy;

	if (strcmp(argv[0], "/proc/self/exe"))
		return (char **)argv;
	while (argv[n])
		n++;
	copy = pc_calloc(n + 1, sizeof(*copy));
	memcpy(copy, argv, n * sizeof(*copy));
	copy[0] = program_invocation_name;
	return copy;
}

/* Parent side: reads the child's exec errno; 0 when exec succeeded. */
static int exec_status(int err_fd)
{
	int e = 0;
	ssize_t n;

	do
		n = read(err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(e) ? (e ? e : EIO) : 0;
}

static void set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int worker_proc_start(struct worker_proc *p, char *const argv[], char *const envp[],
		      int pass_fd, struct sbuf *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, ex[2] = { -1, -1 };
	pid_t parent = getpid(), pid;
	char **args;
	int r, e;

	r = pipe_high(in);
	if (!r)
		r = pipe_high(out);
	if (!r)
		r = pipe_high(ex);
	if (r < 0) {
		close_pair(in);
		close_pair(out);
		sbuf_addf(err, "cannot make pipes for worker '%s': %s", argv[0], strerror(-r));
		return r;
	}
	args = child_argv(argv);
	pid = fork();
	if (pid == 0)
		child(argv[0], args, envp, in[0], out[1], ex[1], pass_fd, parent);
	e = errno;
	if (args != argv)
		free(args);
	close(in[0]);
	close(out[1]);
	close(ex[1]);
	if (pid > 0)
		e = exec_status(ex[0]);
	close(ex[0]);
	if (pid < 0 || e) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		close(in[1]);
		close(out[0]);
		sbuf_addf(err, "cannot start worker '%s': %s", argv[0], strerror(e));
		return -e;
	}
	set_nonblocking(in[1]);
	set_nonblocking(out[0]);
	*p = (struct worker_proc){ pid, in[1], out[0] };
	return 0;
}

static void proc_forget(struct worker_proc *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	if (p->out_fd >= 0)
		close(p->out_fd);
	*p = (struct worker_proc)WORKER_PROC_INIT;
}

bool worker_proc_reaped(struct worker_proc *p, int *status)
{
	pid_t r;

	do
		r = waitpid(p->pid, status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0)          /* not our child any more: nothing left to wait for */
		*status = 0;
	proc_forget(p);
	return true;
}

int worker_proc_wait(struct worker_proc *p, double deadline, int *status)
{
	long nap = 1;

	while (!worker_proc_reaped(p, status)) {
		if (deadline > 0 && time_mono() >= deadline)
			return -PC_ETIMEOUT;
		time_sleep_ms(nap);
		if (nap < 20)
			nap *= 2;
	}
	return 0;
}

void worker_proc_kill(struct worker_proc *p, int *status)
{
	if (!p->pid)
		return;
	kill(p->pid, SIGTERM);
	if (worker_proc_wait(p, time_mono() + WORKER_KILL_GRACE_S, status) == 0)
		return;
	kill(p->pid, SIGKILL);
	worker_proc_wait(p, 0, status);
}

void worker_proc_finish(struct worker_proc *p, double grace, int *status)
{
	if (!p->pid)
		return;
	close(p->in_fd);
	p->in_fd = -1;
	if (worker_proc_wait(p, time_mono() + grace, status) == 0)
		return;
	worker_proc_kill(p, status);
}

void worker_env(struct strlist *env, int threads)
{
	static const char *const vars[] = { "OMP_NUM_THREADS", "MKL_NUM_THREADS" };

	for (char **e = environ; e && *e; e++)
		strlist_push(env, *e);
	if (threads <= 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
		if (!getenv(vars[i]))
			strlist_pushf(env, "%s=%d", vars[i], threads);
}

const char *worker_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGTERM, "SIGTERM" }, { SIGKILL, "SIGKILL" }, { SIGINT, "SIGINT" },
		{ SIGHUP, "SIGHUP" }, { SIGQUIT, "SIGQUIT" }, { SIGPIPE, "SIGPIPE" },
		{ SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" }, { SIGALRM, "SIGALRM" },
		{ SIGSYS, "SIGSYS" }, { SIGTRAP, "SIGTRAP" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" },
	};
	const char *n = crash_signal_name(sig);

	if (n)
		return n;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "signal";
}
