/*
 * remote_fixture.h - what the remote-engine tests share: a temp dir, the
 * loopback test server, the program log in a file, and reading both logs.
 */
#ifndef REMOTE_FIXTURE_H
#define REMOTE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "tserver.h"

/* A key that must never show up in a log, an error or a file. */
#define RF_KEY "sk-test-9f8e7d6c5b4a39281706"

struct rf {
	char *dir;              /* temp dir, removed at the end */
	char *log_file;         /* the program's log (debug level) */
	char api_base[128];     /* ts.url + "/v1" */
	struct tserver ts;
	size_t mark;            /* server log length at rf_mark() */
};

extern struct rf rf;

int rf_setup(const char *tag);
int rf_teardown(void);
/* "<server>/v1" + suffix (e.g. "?fail=2"), in a static buffer. */
const char *rf_base(const char *suffix);
/* Remembers where the server log ends now. */
void rf_mark(void);
/* Server log lines since rf_mark() (caller frees). */
char *rf_requests(void);
/* Lines of text containing all of a and b (b may be NULL). */
size_t rf_count(const char *text, const char *a, const char *b);
/* True when the file at path contains s. */
bool rf_file_has(const char *path, const char *s);

#endif
