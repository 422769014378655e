/* tserver.c - see tserver.h. */
#include "tserver.h"

#include "util/fs.h"
#include "util/sbuf.h"
#include "util/timeutil.h"

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

static int spawn_server(struct tserver *ts, const char *docroot, const char *port_file,
			const char *const *extra)
{
	const char *bin = getenv("TESTSERVER");
	const char *argv[32] = { bin, "--root", docroot, "--port-file", port_file,
				 "--log", ts->log };
	size_t n = 7;

	if (!bin) {
		fprintf(stderr, "tserver: TESTSERVER is not set\n");
		return -1;
	}
	while (extra && *extra && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = *extra++;
	argv[n] = NULL;
	if (posix_spawn(&ts->pid, bin, NULL, NULL, (char *const *)argv, environ) != 0) {
		fprintf(stderr, "tserver: cannot start %s\n", bin);
		return -1;
	}
	return 0;
}

static int wait_port(struct tserver *ts, const char *port_file)
{
	struct sbuf port = SBUF_INIT(32), err = SBUF_INIT(1024);
	int i, rc = -1;

	for (i = 0; i < 1000 && rc < 0; i++) {
		if (waitpid(ts->pid, NULL, WNOHANG) == ts->pid) {
			ts->pid = 0;
			break;
		}
		sbuf_reset(&port);
		if (fs_read_file(port_file, &port, &err) == 0 && port.len) {
			sbuf_trim(&port);
			snprintf(ts->url, sizeof(ts->url), "http://127.0.0.1:%s", port.buf);
			rc = 0;
		} else {
			time_sleep_ms(10);
		}
	}
	if (rc < 0)
		fprintf(stderr, "tserver: the server did not come up\n");
	sbuf_release(&port);
	sbuf_release(&err);
	return rc;
}

int tserver_start(struct tserver *ts, const char *docroot, const char *const *extra_args)
{
	char tmpl[] = "/tmp/tserver_XXXXXX";
	char *port_file;
	int rc;

	memset(ts, 0, sizeof(*ts));
	if (!mkdtemp(tmpl))
		return -1;
	ts->dir = pc_strdup(tmpl);
	ts->log = fs_join(ts->dir, "requests.log");
	port_file = fs_join(ts->dir, "port");
	rc = spawn_server(ts, docroot, port_file, extra_args);
	if (!rc)
		rc = wait_port(ts, port_file);
	free(port_file);
	if (rc < 0)
		tserver_stop(ts);
	return rc;
}

char *tserver_requests(struct tserver *ts)
{
	struct sbuf log = SBUF_INIT(16 << 20), err = SBUF_INIT(1024);

	fs_read_file(ts->log, &log, &err);
	sbuf_release(&err);
	return sbuf_detach(&log, NULL);
}

void tserver_stop(struct tserver *ts)
{
	if (ts->pid > 0) {
		kill(ts->pid, SIGTERM);
		waitpid(ts->pid, NULL, 0);
	}
	if (ts->dir)
		fs_remove_tree(ts->dir);
	free(ts->dir);
	free(ts->log);
	memset(ts, 0, sizeof(*ts));
}
