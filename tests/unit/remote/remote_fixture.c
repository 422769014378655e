/* remote_fixture.c - see remote_fixture.h. */
#include "remote_fixture.h"

#include "log/log.h"
#include "net/net.h"
#include "util/fs.h"
#include "util/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rf rf;

int rf_setup(const char *tag)
{
	char tmpl[64];
	struct log_options lo = { LOG_DEBUG, NULL, false, true, "main" };
	struct sbuf err = SBUF_INIT(1024);
	int rc;

	snprintf(tmpl, sizeof(tmpl), "/tmp/pc_test_%s_XXXXXX", tag);
	if (!mkdtemp(tmpl))
		return -1;
	rf.dir = pc_strdup(tmpl);
	rf.log_file = fs_join(rf.dir, "program.log");
	lo.file = rf.log_file;
	rc = log_setup(&lo, &err);
	if (rc < 0)
		fprintf(stderr, "%s\n", err.buf);
	sbuf_release(&err);
	if (rc < 0 || net_global_init() < 0 || tserver_start(&rf.ts, rf.dir, NULL) < 0)
		return -1;
	snprintf(rf.api_base, sizeof(rf.api_base), "%s/v1", rf.ts.url);
	return 0;
}

int rf_teardown(void)
{
	tserver_stop(&rf.ts);
	log_close();
	net_global_cleanup();
	fs_remove_tree(rf.dir);
	free(rf.dir);
	free(rf.log_file);
	return 0;
}

const char *rf_base(const char *suffix)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s%s", rf.api_base, suffix ? suffix : "");
	return buf;
}

void rf_mark(void)
{
	char *all = tserver_requests(&rf.ts);

	rf.mark = strlen(all);
	free(all);
}

char *rf_requests(void)
{
	char *all = tserver_requests(&rf.ts);
	char *mine = pc_strdup(strlen(all) >= rf.mark ? all + rf.mark : "");

	free(all);
	return mine;
}

size_t rf_count(const char *text, const char *a, const char *b)
{
	size_t n = 0;

	while (text && *text) {
		size_t len = strcspn(text, "\n");
		char *line = pc_strndup(text, len);

		n += strstr(line, a) && (!b || strstr(line, b));
		free(line);
		text += len + (text[len] == '\n');
	}
	return n;
}

bool rf_file_has(const char *path, const char *s)
{
	struct sbuf b = SBUF_INIT(64 << 20), err = SBUF_INIT(1024);
	bool has = fs_read_file(path, &b, &err) == 0 && strstr(b.buf, s);

	sbuf_release(&b);
	sbuf_release(&err);
	return has;
}
