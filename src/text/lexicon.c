/*
 * lexicon.c - the proper-noun word list (Debian's wamerican by default).
 *
 * The list has one word a line, in several cases: "paris" is absent,
 * "Paris" present, so Paris is a proper noun; "Bill" and "bill" both occur,
 * so bill is a common word.  We keep, sorted by lower-case key, whether a
 * lower-case form exists and the first other form.  Read once per process
 * (a mutex guards the lazy load: the transcription handler may run on
 * several threads), capped at TEXT_LEXICON_MAX_BYTES.
 */
#include "text/text_internal.h"
#include "log/log.h"
#include "util/fs.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct lexicon {
	char *path;                 /* what was loaded (or tried) */
	char *data;                 /* the file, lines NUL-terminated */
	struct lex_entry *items;    /* sorted by key */
	size_t nr;
};

static struct lexicon lex;
static pthread_mutex_t lex_lock = PTHREAD_MUTEX_INITIALIZER;

static int entry_cmp(const void *a, const void *b)
{
	const struct lex_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	/* lower-case forms first within a key */
	return c ? c : (int)!x->common - (int)!y->common;
}

static bool all_lower(const char *s)
{
	for (; *s; s++)
		if (isupper((unsigned char)*s))
			return false;
	return true;
}

/* One entry a line: key lower-cased in place of a copy. */
static void add_line(struct lex_entry **v, size_t *alloc, size_t *nr, char *line)
{
	struct lex_entry *e;
	char *key;

	if (!*line)
		return;
	key = pc_strdup(line);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	PC_GROW(*v, *alloc, *nr + 1);
	e = &(*v)[(*nr)++];
	e->key = key;
	e->form = line;
	e->common = all_lower(line);
}

/* Merges runs of one key: common when any form is lower case. */
static void merge_keys(struct lexicon *l)
{
	size_t out = 0;

	qsort(l->items, l->nr, sizeof(*l->items), entry_cmp);
	for (size_t i = 0; i < l->nr; i++) {
		if (out && !strcmp(l->items[out - 1].key, l->items[i].key)) {
			free((char *)l->items[i].key);
			continue;
		}
		l->items[out++] = l->items[i];
	}
	l->nr = out;
}

static void lexicon_load(struct lexicon *l, const char *path)
{
	struct sbuf data = SBUF_INIT(TEXT_LEXICON_MAX_BYTES), err = SBUF_INIT(1024);
	size_t alloc = 0;
	char *save = NULL;

	l->path = pc_strdup(path);
	if (!*path)
		goto out;
	if (fs_read_file(path, &data, &err) < 0) {
		log_warn("text", "proper-noun list: %s (install the Debian package wamerican); "
			 "only known names are capitalized", err.buf);
		goto out;
	}
	l->data = sbuf_detach(&data, NULL);
	for (char *line = strtok_r(l->data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		add_line(&l->items, &alloc, &l->nr, line);
	merge_keys(l);
out:
	sbuf_release(&data);
	sbuf_release(&err);
}

static void lexicon_release(struct lexicon *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free((char *)l->items[i].key);
	free(l->items);
	free(l->data);
	free(l->path);
	memset(l, 0, sizeof(*l));
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct lex_entry *)a)->key, ((const struct lex_entry *)b)->key);
}

enum lex_kind text_lexicon_lookup(const char *path, const char *key, struct sbuf *form)
{
	struct lex_entry probe = { key, NULL, true };
	const struct lex_entry *e;
	enum lex_kind kind = LEX_UNKNOWN;

	if (!path)
		path = TEXT_PROPER_NOUNS;
	pthread_mutex_lock(&lex_lock);
	if (!lex.path || strcmp(lex.path, path)) {
		lexicon_release(&lex);
		lexicon_load(&lex, path);
	}
	e = lex.nr ? bsearch(&probe, lex.items, lex.nr, sizeof(*lex.items), key_cmp) : NULL;
	if (e && e->common) {
		kind = LEX_COMMON;
	} else if (e) {
		kind = LEX_PROPER;
		sbuf_adds(form, e->form);
	}
	pthread_mutex_unlock(&lex_lock);
	return kind;
}
