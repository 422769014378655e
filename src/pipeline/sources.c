/*
 * sources.c - the list of feeds a run works on.
 *
 * Feeds come from the FEED arguments, `rss`, `feeds`, `feeds_file` (one a
 * line, # comments) and `opml` (every outline's xmlUrl).  Local paths become
 * absolute file:// URLs so that one code path (libcurl) reads them all and
 * relative links inside resolve against a real base.  Duplicates are dropped,
 * first occurrence kept.
 */
#include "pipeline/pipeline.h"
#include "feed/feed.h"
#include "util/fs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOURCES_MAX_BYTES (16 << 20)

static bool has_scheme(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) ||
	       !strncmp(s, "file://", 7);
}

char *pipeline_feed_url(const char *arg)
{
	char cwd[4096];
	char *abs;
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);

	if (has_scheme(arg))
		return pc_strdup(arg);
	if (arg[0] == '/')
		abs = pc_strdup(arg);
	else if (getcwd(cwd, sizeof(cwd)))
		abs = fs_join(cwd, arg);
	else
		abs = pc_strdup(arg);
	sbuf_adds(&sb, "file://");
	for (const char *p = abs; *p; p++) {
		/* percent-encode what would break a URL; keep UTF-8 bytes readable to curl */
		if (*p == ' ' || *p == '%' || *p == '#' || *p == '?')
			sbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			sbuf_addch(&sb, *p);
	}
	free(abs);
	return sbuf_detach(&sb, NULL);
}

static void add_source(struct strlist *out, const char *arg)
{
	char *url = pipeline_feed_url(arg);

	if (strlist_has(out, url))
		free(url);
	else
		strlist_push_owned(out, url);
}

static int read_feeds_file(const char *path, struct strlist *out, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SOURCES_MAX_BYTES);
	struct sbuf why = SBUF_INIT(4096);
	char *save = NULL;
	int r = fs_read_file(path, &text, &why);

	if (r < 0) {
		sbuf_setf(err, "feeds_file: %s", why.buf);
		goto out;
	}
	for (char *line = strtok_r(text.buf, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char *end;

		while (isspace((unsigned char)*line))
			line++;
		end = line + strlen(line);
		while (end > line && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*line && *line != '#')
			add_source(out, line);
	}
out:
	sbuf_release(&text);
	sbuf_release(&why);
	return r;
}

static int read_opml(const char *path, struct strlist *out, struct sbuf *err)
{
	struct sbuf text = SBUF_INIT(SOURCES_MAX_BYTES);
	struct sbuf why = SBUF_INIT(4096);
	struct strlist urls = STRLIST_INIT;
	int r = fs_read_file(path, &text, &why);

	if (r < 0) {
		sbuf_setf(err, "opml: %s", why.buf);
	} else if ((r = feed_opml_parse(text.buf, text.len, &urls, &why)) < 0) {
		sbuf_setf(err, "opml '%s': %s", path, why.buf);
	} else {
		for (size_t i = 0; i < urls.nr; i++)
			add_source(out, urls.items[i]);
	}
	strlist_release(&urls);
	sbuf_release(&text);
	sbuf_release(&why);
	return r;
}

int pipeline_sources(const struct config *c, struct strlist *out, struct sbuf *err)
{
	int r;

	for (size_t i = 0; i < c->positional.nr; i++)
		add_source(out, c->positional.items[i]);
	if (c->rss)
		add_source(out, c->rss);
	for (size_t i = 0; i < c->feeds.nr; i++)
		add_source(out, c->feeds.items[i]);
	if (c->feeds_file && (r = read_feeds_file(c->feeds_file, out, err)) < 0)
		return r;
	if (c->opml && (r = read_opml(c->opml, out, err)) < 0)
		return r;
	return 0;
}
