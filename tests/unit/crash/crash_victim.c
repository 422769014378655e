/*
 * crash_victim.c - a process that crashes on request, for the crash tests.
 *
 *	crash_victim DIR fault SIGNAL   crash with SIGNAL (crash_trigger) in stage transcribe
 *	crash_victim DIR fault overflow overflow the stack (SIGSEGV) in stage transcribe
 *	crash_victim DIR inject         enter stage transcribe; crashes only if
 *	                                PODCAST_SCRAPER_INJECT_FAULT says so, else exits 0
 *	crash_victim DIR children N     run N "inject" children (the first forked,
 *	                                the others exec'd) and print how each ended
 *
 * Before crashing it registers a second thread in stage download (its episode
 * id a URL with credentials), logs a few lines and records its own stage, so
 * the report has something to show.
 * Install errors are printed and exit 2.
 */
#include "crash/crash.h"
#include "log/log.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool ready, stop;
static pthread_t helper;

/* Exported (not static) so that even glibc's fallback backtrace names them. */
void victim_helper_wait(void);
int victim_deep_function(const char *mode, int sig);
int victim_recurse(volatile char *prev, int depth);

static volatile int max_depth = INT_MAX;

__attribute__((noinline)) void victim_helper_wait(void)
{
	pthread_mutex_lock(&lock);
	ready = true;
	pthread_cond_broadcast(&cond);
	while (!stop)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void *helper_main(void *arg)
{
	(void)arg;
	crash_thread_init("victim-helper");
	/* a GUID that is a URL with credentials: the report shows it redacted */
	crash_context_set(STAGE_DOWNLOAD, "https://u:pw-2718@ex.org/ep/7?token=tok-3141");
	victim_helper_wait();
	crash_thread_exit();
	return NULL;
}

static void start_helper(void)
{
	pthread_create(&helper, NULL, helper_main, NULL);
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void stop_helper(void)
{
	pthread_mutex_lock(&lock);
	stop = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(helper, NULL);
}

/* Not a tail call, so every level keeps its frame until the stack runs out. */
__attribute__((noinline)) int victim_recurse(volatile char *prev, int depth)
{
	volatile char pad[1024];

	pad[0] = prev ? (char)(prev[0] + 1) : 0;
	if (depth >= max_depth)
		return pad[0];
	return victim_recurse(pad, depth + 1) + pad[0];
}

__attribute__((noinline)) int victim_deep_function(const char *mode, int sig)
{
	log_info("victim", "victim line one");
	log_info("victim", "victim line two: about to %s", mode);
	if (!strcmp(mode, "fault")) {
		crash_context_set(STAGE_TRANSCRIBE, "episode-main-42");
		if (sig)
			crash_trigger(sig);
		else
			victim_recurse(NULL, 0);
	} else {
		crash_stage_enter(STAGE_TRANSCRIBE, "episode-main-42");
	}
	printf("survived\n");
	return 0;
}

static int run_victim(const char *mode, int sig)
{
	int r;

	start_helper();
	r = victim_deep_function(mode, sig);
	stop_helper();
	return r;
}

static void report_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		printf("child %d lost\n", (int)pid);
	else if (WIFSIGNALED(status))
		printf("child %d signal %s\n", (int)pid, crash_signal_name(WTERMSIG(status)));
	else
		printf("child %d exit %d\n", (int)pid, WEXITSTATUS(status));
	fflush(stdout);
}

static int run_children(const char *dir, int n)
{
	printf("counter %s\n", getenv("PODCAST_SCRAPER_INJECT_FAULT_COUNTER"));
	fflush(stdout);
	for (int k = 1; k <= n; k++) {
		pid_t pid = fork();

		if (pid == 0 && k == 1)
			_exit(run_victim("inject", 0));
		if (pid == 0) {
			execl("/proc/self/exe", "crash_victim", dir, "inject", (char *)NULL);
			_exit(127);
		}
		report_child(pid);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sbuf err = SBUF_INIT(4096);
	struct crash_options o = { .enabled = true, .role = "worker:test" };
	int sig = 0;

	if (argc < 3 || (argc < 4 && strcmp(argv[2], "inject"))) {
		fprintf(stderr, "usage: crash_victim DIR fault SIGNAL|inject|children N\n");
		return 2;
	}
	o.crash_dir = argv[1];
	if (crash_install(&o, &err) < 0) {
		fprintf(stderr, "crash_victim: %s\n", err.buf);
		sbuf_release(&err);
		return 2;
	}
	sbuf_release(&err);
	if (!strcmp(argv[2], "children"))
		return run_children(argv[1], (int)strtol(argv[3], NULL, 10));
	if (!strcmp(argv[2], "fault") && strcmp(argv[3], "overflow"))
		sig = crash_signal_from_name(argv[3]);
	return run_victim(argv[2], sig);
}
