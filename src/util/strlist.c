/* strlist.c - lists of owned strings; see strlist.h. */
#include "util/strlist.h"
#include "util/sbuf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void strlist_push_owned(struct strlist *l, char *s)
{
	PC_GROW(l->items, l->alloc, l->nr + 2);
	l->items[l->nr++] = s;
	l->items[l->nr] = NULL;
}

void strlist_push(struct strlist *l, const char *s)
{
	strlist_push_owned(l, pc_strdup(s));
}

void strlist_pushf(struct strlist *l, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT(SBUF_NOLIMIT);
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strlist_push_owned(l, sbuf_detach(&sb, NULL));
}

bool strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

bool strlist_has_nocase(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcasecmp(l->items[i], s))
			return true;
	return false;
}

void strlist_copy(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->nr; i++)
		strlist_push(dst, src->items[i]);
}

void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}
