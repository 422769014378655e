/*
 * test_crash.c - the crash handler and fault injector, through crash_victim.
 *
 *	test_crash VICTIM CASE    runs the cmocka test named CASE
 *
 * Each case runs crash_victim in a fresh directory and checks how it ended
 * (waitpid: killed by which signal, or exit code) and what its crash dump
 * and stderr say.  The sanitizers' own SEGV/BUS/FPE handlers are turned off
 * in the victim: the crash handler chains to the handler it replaced, and
 * AddressSanitizer's ends the process with exit code 1 instead of the signal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crash/crash.h"
#include "util/fs.h"

#define INJECT "PODCAST_SCRAPER_INJECT_FAULT"
#define COUNTER "PODCAST_SCRAPER_INJECT_FAULT_COUNTER"
#define HANDLER "PODCAST_SCRAPER_CRASH_HANDLER"

static const char *victim;
static char dir[PATH_MAX];
static char dumps[PATH_MAX + 16];

struct run {
	pid_t pid;
	int status;
	struct sbuf out;
	struct sbuf err;
};

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/pc_test_crash_XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dumps, sizeof(dumps), "%s/dumps", dir);
	return mkdir(dumps, 0755);
}

static int teardown(void **state)
{
	(void)state;
	return fs_remove_tree(dir);
}

static void child_env(const char *const *env)
{
	const char *asan = getenv("ASAN_OPTIONS");
	struct sbuf opts = SBUF_INIT(SBUF_NOLIMIT);

	unsetenv(INJECT);
	unsetenv(COUNTER);
	unsetenv(HANDLER);
	setenv("TMPDIR", dir, 1);
	for (; env && *env; env++)
		putenv((char *)*env);
	if (asan && *asan)
		sbuf_addf(&opts, "%s:", asan);
	sbuf_adds(&opts, "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:"
		  "handle_sigill=0:handle_abort=0");
	setenv("ASAN_OPTIONS", opts.buf, 1);
}

static void redirect(const char *name, int to)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || dup2(fd, to) < 0)
		_exit(126);
	close(fd);
}

static void read_capture(const char *name, struct sbuf *into)
{
	struct sbuf err = SBUF_INIT(1024);
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sbuf_init(into, 1 << 20);
	assert_int_equal(fs_read_file(path, into, &err), 0);
	sbuf_release(&err);
}

/* Runs crash_victim DUMPS mode [arg] with env ("NAME=value", NULL-ended) added. */
static void run_victim(struct run *r, const char *const *env, const char *mode,
		       const char *arg)
{
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		child_env(env);
		redirect("stdout", STDOUT_FILENO);
		redirect("stderr", STDERR_FILENO);
		execl(victim, "crash_victim", dumps, mode, arg, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(r->pid, &r->status, 0), r->pid);
	read_capture("stdout", &r->out);
	read_capture("stderr", &r->err);
}

static void run_release(struct run *r)
{
	sbuf_release(&r->out);
	sbuf_release(&r->err);
}

static void assert_killed_by(const struct run *r, int sig)
{
	if (!WIFSIGNALED(r->status) || WTERMSIG(r->status) != sig)
		fail_msg("victim status 0x%x, expected death by %s; stderr:\n%s",
			 r->status, crash_signal_name(sig), r->err.buf);
}

static void assert_exited(const struct run *r, int code)
{
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != code)
		fail_msg("victim status 0x%x, expected exit %d; stderr:\n%s",
			 r->status, code, r->err.buf);
}

static const char *must_find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (!p)
		fail_msg("expected '%s' in:\n%s", needle, hay);
	return p;
}

static char *dump_path(pid_t pid)
{
	char name[64];

	snprintf(name, sizeof(name), "crash_dump_%d.log", (int)pid);
	return fs_join(dumps, name);
}

static void read_dump(pid_t pid, struct sbuf *dump)
{
	struct sbuf err = SBUF_INIT(1024);
	char *path = dump_path(pid);

	sbuf_init(dump, 1 << 20);
	if (fs_read_file(path, dump, &err) < 0)
		fail_msg("no crash dump: %s", err.buf);
	free(path);
	sbuf_release(&err);
}

static bool dump_exists(pid_t pid)
{
	char *path = dump_path(pid);
	bool found = fs_exists(path);

	free(path);
	return found;
}

/* The parts of a report that do not depend on how the crash came about. */
static void check_report(const char *dump, int sig, pid_t pid)
{
	char line[128];
	const char *crashed, *helper, *end;

	snprintf(line, sizeof(line), "signal: %s (%d)", crash_signal_name(sig), sig);
	must_find(dump, line);
	must_find(dump, "version: " PC_VERSION);
	snprintf(line, sizeof(line), "process: pid %d, role worker:test", (int)pid);
	must_find(dump, line);
	snprintf(line, sizeof(line), "thread: %d \"main\"", (int)pid);
	must_find(dump, line);
	must_find(dump, "\"main\" stage=transcribe episode=episode-main-42  <- crashed");
	must_find(dump, "\"victim-helper\" stage=download "
		  "episode=https://***@ex.org/ep/7?token=***");
	assert_null(strstr(dump, "pw-2718"));
	assert_null(strstr(dump, "tok-3141"));
	must_find(must_find(dump, "last log lines:"), "INFO victim: victim line one");
	must_find(dump, "INFO victim: victim line two");
	crashed = must_find(dump, "(crashed):");
	helper = must_find(crashed, "\"victim-helper\":");
	end = must_find(helper, "=== end of crash report ===");
	/* symbolized, with file:line, in the right thread's section */
	assert_true(must_find(crashed, "in victim_deep_function at ") < helper);
	assert_true(must_find(crashed, "crash_victim.c:") < helper);
	assert_true(must_find(helper, "in victim_helper_wait at ") < end);
}

static void crash_with(int sig, const char *code)
{
	struct run r;
	struct sbuf dump;
	char written[PATH_MAX + 64];
	char *path;

	run_victim(&r, NULL, "fault", crash_signal_name(sig));
	assert_killed_by(&r, sig);
	read_dump(r.pid, &dump);
	check_report(dump.buf, sig, r.pid);
	must_find(dump.buf, code);
	/* the same report on stderr, and where the dump went */
	check_report(r.err.buf, sig, r.pid);
	path = dump_path(r.pid);
	snprintf(written, sizeof(written), "crash dump written to %s", path);
	must_find(r.err.buf, written);
	free(path);
	sbuf_release(&dump);
	run_release(&r);
}

static void segv(void **state)
{
	(void)state;
	crash_with(SIGSEGV, "SEGV_MAPERR (address not mapped to object), fault address 0x10");
}

static void bus(void **state)
{
	(void)state;
	crash_with(SIGBUS, "BUS_ADRERR");
}

static void fpe(void **state)
{
	(void)state;
	crash_with(SIGFPE, "FPE_INTDIV (integer divide by zero)");
}

static void ill(void **state)
{
	(void)state;
	crash_with(SIGILL, "ILL_ILLOPN");
}

static void abrt(void **state)
{
	(void)state;
	crash_with(SIGABRT, "SI_TKILL");
}

/* The report runs on the alternate signal stack, so a stack overflow has one. */
static void stack_overflow(void **state)
{
	struct run r;
	struct sbuf dump;
	const char *crashed;

	(void)state;
	run_victim(&r, NULL, "fault", "overflow");
	assert_killed_by(&r, SIGSEGV);
	read_dump(r.pid, &dump);
	must_find(dump.buf, "signal: SIGSEGV");
	crashed = must_find(dump.buf, "(crashed):");
	must_find(must_find(crashed, "in victim_recurse at "), "  ...\n");
	must_find(crashed, "in victim_helper_wait at ");
	sbuf_release(&dump);
	run_release(&r);
}

static void disabled(void **state)
{
	static const char *const env[] = { HANDLER "=0", NULL };
	struct run r;

	(void)state;
	run_victim(&r, env, "fault", "SIGSEGV");
	assert_killed_by(&r, SIGSEGV);
	assert_false(dump_exists(r.pid));
	assert_null(strstr(r.err.buf, "crash report"));
	run_release(&r);
}

/* n=2 shared through an explicit counter file: crash, crash, then run on. */
static void inject_env(void **state)
{
	char counter_env[PATH_MAX + 64];
	const char *env[] = { INJECT "=transcribe:SIGSEGV:2", counter_env, NULL };
	struct sbuf counter = SBUF_INIT(64), err = SBUF_INIT(1024);
	struct sbuf dump;
	struct run r;

	(void)state;
	snprintf(counter_env, sizeof(counter_env), COUNTER "=%s/counter", dir);
	for (int i = 0; i < 2; i++) {
		run_victim(&r, env, "inject", NULL);
		assert_killed_by(&r, SIGSEGV);
		read_dump(r.pid, &dump);
		check_report(dump.buf, SIGSEGV, r.pid);
		must_find(dump.buf, "injecting SIGSEGV in stage transcribe");
		sbuf_release(&dump);
		run_release(&r);
	}
	run_victim(&r, env, "inject", NULL);
	assert_exited(&r, 0);
	must_find(r.out.buf, "survived");
	assert_false(dump_exists(r.pid));
	run_release(&r);
	assert_int_equal(fs_read_file(counter_env + strlen(COUNTER "="), &counter, &err), 0);
	assert_string_equal(counter.buf, "2\n");
	sbuf_release(&counter);
	sbuf_release(&err);
}

/* n=2 without a counter file: the parent makes one, a forked and two exec'd
 * children share it, and the parent removes it at exit. */
static void inject_children(void **state)
{
	static const char *const env[] = { INJECT "=transcribe:abrt:2", NULL };
	const char *want[] = { "signal SIGABRT", "signal SIGABRT", "exit 0" };
	char counter[PATH_MAX];
	const char *p;
	struct run r;

	(void)state;
	run_victim(&r, env, "children", "3");
	assert_exited(&r, 0);
	assert_int_equal(sscanf(must_find(r.out.buf, "counter "), "counter %4000s", counter), 1);
	assert_true(!strncmp(counter, dir, strlen(dir)));
	assert_false(fs_exists(counter));
	p = r.out.buf;
	for (int i = 0; i < 3; i++) {
		int pid, n = 0;

		p = must_find(p, "child ");
		assert_int_equal(sscanf(p, "child %d %n", &pid, &n), 1);
		assert_true(!strncmp(p + n, want[i], strlen(want[i])));
		assert_int_equal(dump_exists(pid), i < 2);
		p += n;
	}
	run_release(&r);
}

static void malformed(void **state)
{
	static const char *const bad[] = {
		"bogus", "transcribe", "nosuchstage:SIGSEGV", "transcribe:SIGTERM",
		"transcribe:SIGSEGV:0", "transcribe:SIGSEGV:x", "transcribe:SEGV:2:3",
		"transcribe:", ":SIGSEGV", "transcribe:SLEEP", "transcribe:SLEEP0",
		"transcribe:SLEEP2s", "transcribe:SLEEP86401", "transcribe:HANGS", "transcribe:HANG:0",
	};
	char var[128];
	const char *env[] = { var, NULL };
	struct run r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(var, sizeof(var), INJECT "=%s", bad[i]);
		run_victim(&r, env, "inject", NULL);
		assert_exited(&r, 2);
		must_find(r.err.buf, INJECT "=");
		run_release(&r);
	}
	/* well-formed, for another stage: inert */
	snprintf(var, sizeof(var), INJECT "=fetch:SIGSEGV");
	run_victim(&r, env, "inject", NULL);
	assert_exited(&r, 0);
	run_release(&r);
	/* a stall in the victim's stage: it goes on afterwards */
	snprintf(var, sizeof(var), INJECT "=transcribe:SLEEP1");
	run_victim(&r, env, "inject", NULL);
	assert_exited(&r, 0);
	must_find(r.err.buf, "injecting a 1 s stall in stage transcribe");
	run_release(&r);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(crash_signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(crash_signal_name(SIGKILL), "SIGKILL");
	assert_null(crash_signal_name(0));
	assert_int_equal(crash_signal_from_name("SIGBUS"), SIGBUS);
	assert_int_equal(crash_signal_from_name("fpe"), SIGFPE);
	assert_int_equal(crash_signal_from_name("Sigill"), SIGILL);
	assert_int_equal(crash_signal_from_name("SIG"), -1);
	assert_int_equal(crash_signal_from_name(""), -1);
	assert_int_equal(crash_signal_from_name("SIGNOPE"), -1);
}

static void paths(void **state)
{
	struct crash_options o = { .enabled = true, .crash_dir = dumps };
	struct sbuf err = SBUF_INIT(1024), path = SBUF_INIT(PATH_MAX);
	char *real = realpath(dumps, NULL), want[PATH_MAX + 64];

	(void)state;
	assert_int_equal(crash_install(&o, &err), 0);
	snprintf(want, sizeof(want), "%s/crash_dump_%d.log", real, (int)getpid());
	assert_string_equal(crash_dump_path(), want);
	assert_int_equal(crash_dump_path_for(4321, &path), 0);
	snprintf(want, sizeof(want), "%s/crash_dump_4321.log", real);
	assert_string_equal(path.buf, want);
	o.crash_dir = "/nonexistent/crash/dir";
	assert_true(crash_install(&o, &err) < 0);
	must_find(err.buf, "/nonexistent/crash/dir");
	o.crash_dir = dumps;
	o.enabled = false;
	assert_int_equal(crash_install(&o, &err), 0);
	assert_null(crash_dump_path());
	free(real);
	sbuf_release(&err);
	sbuf_release(&path);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(segv, setup, teardown),
		cmocka_unit_test_setup_teardown(bus, setup, teardown),
		cmocka_unit_test_setup_teardown(fpe, setup, teardown),
		cmocka_unit_test_setup_teardown(ill, setup, teardown),
		cmocka_unit_test_setup_teardown(abrt, setup, teardown),
		cmocka_unit_test_setup_teardown(stack_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(inject_env, setup, teardown),
		cmocka_unit_test_setup_teardown(inject_children, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed, setup, teardown),
		cmocka_unit_test(names),
		cmocka_unit_test_setup_teardown(paths, setup, teardown),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: test_crash VICTIM [CASE]\n");
		return 2;
	}
	victim = argv[1];
	unsetenv(INJECT);
	unsetenv(COUNTER);
	unsetenv(HANDLER);
	if (argc > 2)
		cmocka_set_test_filter(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
