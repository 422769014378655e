/*
 * strlist.h - a growable list of owned C strings.
 *
 * The list owns every item (pc_strdup'd on push) and frees them on release.
 * items[] is always NULL-terminated, so it can be handed to execv() as is.
 */
#ifndef STRLIST_H
#define STRLIST_H

#include "util/pc.h"

struct strlist {
	char **items;
	size_t nr;
	size_t alloc;
};

#define STRLIST_INIT { NULL, 0, 0 }

void strlist_push(struct strlist *l, const char *s);
/* Takes ownership of s (must come from pc_malloc/pc_strdup). */
void strlist_push_owned(struct strlist *l, char *s);
void strlist_pushf(struct strlist *l, const char *fmt, ...) PC_PRINTF(2, 3);
bool strlist_has(const struct strlist *l, const char *s);
/* Same, ignoring ASCII case. */
bool strlist_has_nocase(const struct strlist *l, const char *s);
void strlist_copy(struct strlist *dst, const struct strlist *src);
void strlist_release(struct strlist *l);

#endif
