/*
 * Minimal segment_list_push/segment_list_release for the asr tests, until
 * src/transcript provides them; same contract as transcript.h.
 */
#include "transcript/transcript.h"

#include <stdlib.h>

void segment_list_push(struct segment_list *l, double start, double end,
		       const char *speaker, const char *text)
{
	struct segment *s;

	PC_GROW(l->items, l->alloc, l->nr + 1);
	s = &l->items[l->nr++];
	s->start = start;
	s->end = end;
	s->speaker = speaker ? pc_strdup(speaker) : NULL;
	s->text = pc_strdup(text ? text : "");
}

void segment_list_release(struct segment_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->items[i].speaker);
		free(l->items[i].text);
	}
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}
