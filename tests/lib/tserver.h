/*
 * tserver.h - start the loopback test server (tests/server/testserver.c)
 * from a C test.
 *
 *	struct tserver ts;
 *	assert_int_equal(tserver_start(&ts, docroot, NULL), 0);
 *	fetch(ts.url + "/file?fail=1") ...
 *	char *log = tserver_requests(&ts);   // "METHOD TARGET RANGE STATUS\n" lines
 *	tserver_stop(&ts);
 *
 * The binary is $TESTSERVER (meson sets it).  The server runs as a child
 * process on 127.0.0.1 with an ephemeral port; tserver_stop() kills it and
 * removes its temporary directory.  It also dies with the test process.
 */
#ifndef TSERVER_H
#define TSERVER_H

#include <sys/types.h>

struct tserver {
	pid_t pid;
	char *dir;      /* temp dir holding the port file and the request log */
	char *log;      /* path of the request log */
	char url[64];   /* "http://127.0.0.1:PORT", no trailing slash */
};

/* Starts the server on docroot; extra_args (NULL-terminated, may be NULL)
 * are passed on, e.g. {"--latency-ms", "50", NULL}.  Returns 0 or -1. */
int tserver_start(struct tserver *ts, const char *docroot, const char *const *extra_args);
/* The request log so far (caller frees). */
char *tserver_requests(struct tserver *ts);
void tserver_stop(struct tserver *ts);

#endif
