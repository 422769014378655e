/*
 * run_watch.c - --watch INTERVAL: run, sleep, run again, for months.
 *
 * Signals.  SIGHUP is ours for the whole time: it only sets a flag, and the
 * configuration is reread from the same arguments (and --config file)
 * before the next cycle; a configuration with errors is refused and the old
 * one kept.  During a cycle SIGINT/SIGTERM belong to the pipeline, which
 * stops as a one-shot run does (transfers end, finished files stay, the
 * rest is left for later); the watch then ends with status 0.  Between
 * cycles they are ours: the sleep (ppoll with them unblocked, so none is
 * lost between a check and the wait) ends at once and so does the watch.
 * Around the hand-over they stay blocked, so a signal is never delivered
 * to the default action (which would end the process with 128+signal).
 */
#include "cmd/cmd.h"
#include "log/log.h"
#include "util/timeutil.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal, reload_asked;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_asked = 1;
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void stop_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(how, &set, NULL);
}

void cmd_watch_hold_signals(void)
{
	stop_signals(SIG_BLOCK);
}

/* Sleeps seconds, or less when asked to stop; rereads the config on SIGHUP. */
static bool sleep_or_stop(double seconds, void (*reload)(void *), void *ctx)
{
	double until = time_mono() + seconds;
	sigset_t open_mask;

	sigprocmask(SIG_SETMASK, NULL, &open_mask);
	sigdelset(&open_mask, SIGINT);
	sigdelset(&open_mask, SIGTERM);
	while (!stop_signal) {
		double left = until - time_mono();
		struct timespec ts = { (time_t)left, (long)((left - (long)left) * 1e9) };

		if (reload_asked) {
			reload_asked = 0;
			reload(ctx);
			continue;
		}
		if (left <= 0)
			break;
		ppoll(NULL, 0, &ts, &open_mask);
	}
	return stop_signal != 0;
}

struct watch {
	struct config *c;
	int argc;
	char **argv;
	const struct cmd_usage *u;
	long interval;
	bool usage_error;
};

static void reload_config(void *ctx)
{
	struct watch *w = ctx;
	struct config fresh;
	long interval;

	config_init(&fresh);
	if (cmd_setup(w->argc, w->argv, &fresh, w->u) != -1) {
		log_error("watch", "SIGHUP: the configuration has errors; keeping the one in use");
		config_release(&fresh);
		return;
	}
	if (!fresh.watch || time_parse_interval(fresh.watch, &interval) < 0) {
		log_warn("watch", "SIGHUP: watch '%s' is not an interval; keeping %lds",
			 fresh.watch ? fresh.watch : "", w->interval);
		interval = w->interval;
	}
	config_release(w->c);
	*w->c = fresh;
	w->interval = interval;
	log_info("watch", "SIGHUP: configuration reread; it applies from the next cycle");
}

static const char *status_meaning(int code)
{
	switch (code) {
	case PC_EXIT_OK: return "all done";
	case PC_EXIT_PARTIAL: return "an episode or feed failed, retried next cycle";
	case PC_EXIT_USAGE: return "usage error";
	default: return code > 128 ? "stopped by a signal" : "fatal error";
	}
}

/* Runs a cycle with SIGINT/SIGTERM handed to the pipeline; true to go on. */
static bool one_cycle(struct watch *w, long n, int (*cycle)(const struct config *))
{
	int code;

	stop_signals(SIG_UNBLOCK);
	if (stop_signal)
		return false;
	log_info("watch", "cycle %ld starts", n);
	code = cycle(w->c);         /* leaves SIGINT/SIGTERM blocked */
	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	log_info("watch", "cycle %ld ended with exit status %d (%s)", n, code,
		 status_meaning(code));
	if (code > 128 && !stop_signal)
		stop_signal = code - 128;
	if (code == PC_EXIT_USAGE)
		w->usage_error = true;  /* no feed, a bad shard: no cycle can do better */
	return !stop_signal && !w->usage_error;
}

int cmd_watch(struct config *c, int argc, char **argv, const struct cmd_usage *u,
	      int (*cycle)(const struct config *c))
{
	struct watch w = { c, argc, argv, u, 0, false };
	long n = 0;

	if (time_parse_interval(c->watch, &w.interval) < 0) {
		cmd_error("--watch '%s': not an interval (such as 90s, 30m, 6h or 1d)", c->watch);
		return PC_EXIT_USAGE;
	}
	stop_signal = reload_asked = 0;
	handle(SIGHUP, on_hup);
	handle(SIGINT, on_stop);
	handle(SIGTERM, on_stop);
	while (one_cycle(&w, ++n, cycle)) {
		log_info("watch", "next cycle in %lds", w.interval);
		if (sleep_or_stop((double)w.interval, reload_config, &w))
			break;
	}
	stop_signals(SIG_UNBLOCK);
	if (w.usage_error)
		return PC_EXIT_USAGE;
	log_info("watch", "stopped by %s after %ld cycle%s", strsignal(stop_signal), n,
		 n == 1 ? "" : "s");
	return PC_EXIT_OK;
}
