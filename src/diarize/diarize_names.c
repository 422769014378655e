/*
 * diarize_names.c - names for diarized voices.
 *
 * The host is the voice that opens the episode, unless another voice speaks
 * more than twice as long (a cold open by a guest or a sponsor read); the
 * other voices take the guests' names in order of first appearance, then
 * any further hosts' names.  Voices with only a sliver of the speech (an ad
 * read, a clip) are passed over so that they do not take a guest's name.
 */
#include "diarize/diarize.h"
#include "transcript/transcript.h"
#include "util/strlist.h"

#include <stdlib.h>
#include <string.h>

#define MIN_SHARE 0.05      /* of all speech, for a voice to take a guest's name */
#define MAX_VOICES 1000

/* Voice number of a diarizer label, or -1. */
static int voice_of(const char *speaker)
{
	size_t n = strlen(DIARIZE_LABEL_PREFIX);
	char *end;
	long v;

	if (!speaker || strncmp(speaker, DIARIZE_LABEL_PREFIX, n) || !speaker[n])
		return -1;
	v = strtol(speaker + n, &end, 10);
	return *end || v < 0 || v >= MAX_VOICES ? -1 : (int)v;
}

struct voices {
	double *secs;
	int *order;        /* voices by first appearance */
	int nr, seen;
	double total;
};

static void voices_count(const struct segment_list *l, struct voices *v)
{
	for (size_t i = 0; i < l->nr; i++) {
		int k = voice_of(l->items[i].speaker);

		if (k >= v->nr)
			v->nr = k + 1;
	}
	v->secs = pc_calloc((size_t)v->nr + 1, sizeof(*v->secs));
	v->order = pc_calloc((size_t)v->nr + 1, sizeof(*v->order));
	for (size_t i = 0; i < l->nr; i++) {
		const struct segment *s = &l->items[i];
		int k = voice_of(s->speaker), j;

		if (k < 0)
			continue;
		for (j = 0; j < v->seen && v->order[j] != k; j++)
			;
		if (j == v->seen)
			v->order[v->seen++] = k;
		if (s->end > s->start) {
			v->secs[k] += s->end - s->start;
			v->total += s->end - s->start;
		}
	}
}

static int host_voice(const struct voices *v)
{
	int most = v->order[0];

	for (int j = 0; j < v->seen; j++)
		if (v->secs[v->order[j]] > v->secs[most])
			most = v->order[j];
	return v->secs[most] > 2 * v->secs[v->order[0]] ? most : v->order[0];
}

static void assign_names(const struct voices *v, const char *const *hosts, size_t nh,
			 const char *const *guests, size_t ng, const char **name)
{
	int host = host_voice(v);
	size_t next = 0;

	if (nh)
		name[host] = hosts[0];
	for (int j = 0; j < v->seen; j++) {
		int k = v->order[j];

		if (k == host || v->secs[k] < MIN_SHARE * v->total)
			continue;
		if (next < ng)
			name[k] = guests[next];
		else if (next - ng + 1 < nh)
			name[k] = hosts[next - ng + 1];
		next++;
	}
}

void diarize_name_voices(struct segment_list *l, const char *const *hosts, size_t nh,
			 const char *const *guests, size_t ng, struct strlist *names_out)
{
	struct voices v = { 0 };
	const char **name;

	voices_count(l, &v);
	name = pc_calloc((size_t)v.nr + 1, sizeof(*name));
	if (v.seen)
		assign_names(&v, hosts, nh, guests, ng, name);
	for (int k = 0; names_out && k < v.nr; k++) {
		if (name[k])
			strlist_push(names_out, name[k]);
		else
			strlist_pushf(names_out, DIARIZE_LABEL_PREFIX "%d", k);
	}
	for (size_t i = 0; i < l->nr; i++) {
		int k = voice_of(l->items[i].speaker);

		if (k >= 0 && name[k]) {
			free(l->items[i].speaker);
			l->items[i].speaker = pc_strdup(name[k]);
		}
	}
	free(name);
	free(v.secs);
	free(v.order);
}
