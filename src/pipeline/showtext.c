/*
 * showtext.c - the show's own words for the recognizer's language model.
 *
 * Most telling first, since the recognizer reads only the first
 * ASR_CONTEXT_MAX bytes: the episode's names, its title and description,
 * the feed's, the other episodes' titles and descriptions, then the text of
 * transcripts already in the feed folder (published or made earlier; never
 * the episode's own), each file capped so that one long transcript does not
 * crowd out the rest.
 */
#include "pipeline/internal.h"
#include "asr/asr.h"
#include "util/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define PER_TRANSCRIPT ((size_t)16 << 10)

/* Appends s as its own line, cut at the cap; false once the cap is reached. */
static bool add_line(struct sbuf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, room = out->max - out->len;

	if (!n)
		return true;
	if (n + 1 > room) {
		sbuf_add(out, s, room);
		return false;
	}
	return sbuf_add(out, s, n) == 0 && sbuf_addch(out, '\n') == 0;
}

/* The first max bytes of a file (a transcript may be long). */
static void read_head(const char *path, size_t max, struct sbuf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || sbuf_grow(out, max) < 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (out->len < max && (n = read(fd, out->buf + out->len, max - out->len)) > 0)
		sbuf_setlen(out, out->len + (size_t)n);
	close(fd);
}

static bool add_episode(struct sbuf *out, const struct episode *ep)
{
	return add_line(out, ep->title) && add_line(out, ep->description);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* transcripts/NAME.txt of other episodes, sorted (the same text every run). */
static void list_transcripts(const char *dir, const char *stem, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t stem_len = strlen(stem);

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 4 || strcmp(de->d_name + n - 4, ".txt") ||
		    strstr(de->d_name, ".screenplay.") ||
		    (!strncmp(de->d_name, stem, stem_len) && de->d_name[stem_len] == '.'))
			continue;
		strlist_push(out, de->d_name);
	}
	if (d)
		closedir(d);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), name_cmp);
}

static void add_transcripts(const struct episode_job *ej, struct sbuf *out)
{
	char *dir = fs_join(ej->fj->dir, "transcripts");
	struct strlist files = STRLIST_INIT;
	struct sbuf text = SBUF_INIT(PER_TRANSCRIPT);
	bool room = true;

	list_transcripts(dir, ej->stem, &files);
	for (size_t i = 0; i < files.nr && room; i++) {
		char *path = fs_join(dir, files.items[i]);

		sbuf_reset(&text);
		read_head(path, PER_TRANSCRIPT, &text);
		room = add_line(out, text.buf);
		free(path);
	}
	strlist_release(&files);
	sbuf_release(&text);
	free(dir);
}

void pipeline_show_text(const struct episode_job *ej, const struct strlist *names,
			struct sbuf *out)
{
	const struct feed *f = &ej->fj->feed;
	bool room = true;

	for (size_t i = 0; i < names->nr && room; i++)
		room = add_line(out, names->items[i]);
	room = room && add_episode(out, ej->ep) && add_line(out, f->title) &&
	       add_line(out, f->description);
	for (size_t i = 0; i < f->nr_episodes && room; i++)
		if (&f->episodes[i] != ej->ep)
			room = add_episode(out, &f->episodes[i]);
	if (room)
		add_transcripts(ej, out);
}
