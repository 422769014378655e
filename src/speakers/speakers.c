/*
 * speakers.c - gathering hosts and guests from the feed, the config and the
 * transcript's voices; see speakers.h for the order and the rules.
 */
#include "speakers/speakers.h"
#include "feed/feed.h"
#include "util/sbuf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct gather {
	struct speaker_list hosts;
	struct speaker_list guests;
};

static void list_push(struct speaker_list *l, const char *name, enum speaker_role role,
		      enum speaker_source src)
{
	PC_GROW(l->items, l->alloc, l->nr + 1);
	l->items[l->nr++] = (struct speaker){ NULL, pc_strdup(name), role, src };
}

static bool list_has_person(const struct speaker_list *l, const char *name)
{
	for (size_t i = 0; i < l->nr; i++)
		if (speakers_same_person(l->items[i].name, name))
			return true;
	return false;
}

/* Trimmed copy of s, or NULL when empty or too long to be a name. */
static char *clean_name(const char *s)
{
	struct sbuf sb = SBUF_INIT(SPEAKERS_NAME_MAX);

	if (!s || sbuf_adds(&sb, s) < 0) {
		sbuf_release(&sb);
		return NULL;
	}
	for (size_t i = 0; i < sb.len; i++)
		if (strchr("\t\r\n", sb.buf[i]))
			sb.buf[i] = ' ';
	sbuf_trim(&sb);
	if (!sb.len) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb, NULL);
}

static size_t total(const struct gather *g)
{
	return g->hosts.nr + g->guests.nr;
}

static void add_host(struct gather *g, const char *name, enum speaker_source src)
{
	char *n = clean_name(name);

	if (n && total(g) < SPEAKERS_MAX && !list_has_person(&g->hosts, n))
		list_push(&g->hosts, n, SPEAKER_HOST, src);
	free(n);
}

static void add_guest(struct gather *g, const char *name, enum speaker_source src)
{
	char *n = clean_name(name);

	if (n && total(g) < SPEAKERS_MAX && !list_has_person(&g->hosts, n) &&
	    !list_has_person(&g->guests, n))
		list_push(&g->guests, n, SPEAKER_GUEST, src);
	free(n);
}

static void add_persons(struct gather *g, const struct person *p, size_t n,
			enum person_role role)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].role != role)
			continue;
		if (role == PERSON_HOST)
			add_host(g, p[i].name, SPEAKER_SRC_PERSON_TAG);
		else
			add_guest(g, p[i].name, SPEAKER_SRC_PERSON_TAG);
	}
}

static void add_authors(struct gather *g, const char *field)
{
	struct strlist people = STRLIST_INIT;

	speakers_split_authors(field, &people);
	for (size_t i = 0; i < people.nr; i++)
		add_host(g, people.items[i], SPEAKER_SRC_ITUNES);
	strlist_release(&people);
}

static void add_itunes_hosts(struct gather *g, const struct feed *f, const struct episode *ep)
{
	if (ep)
		add_authors(g, ep->author);
	if (!f)
		return;
	add_authors(g, f->author);
	add_authors(g, f->owner_name);
	for (size_t i = 0; i < f->authors.nr; i++)
		add_authors(g, f->authors.items[i]);
}

/* "Speaker 1", "SPEAKER_00", "Host", "Narrator": labels, not people. */
static bool is_generic_voice(const char *v)
{
	static const char *const labels[] = {
		"announcer", "audience", "crowd", "guest", "host", "interviewee",
		"interviewer", "moderator", "music", "narrator", "presenter", "s",
		"spk", "speaker", "unknown", "voice",
	};
	size_t n = strcspn(v, " _-0123456789");

	if (!n)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		if (strlen(labels[i]) == n && !strncasecmp(v, labels[i], n))
			return true;
	return false;
}

static void add_voices(struct gather *g, const struct strlist *voices)
{
	for (size_t i = 0; voices && i < voices->nr; i++) {
		char *n = clean_name(voices->items[i]);

		if (n && !is_generic_voice(n))
			add_guest(g, n, SPEAKER_SRC_VTT_VOICE);
		free(n);
	}
}

static void add_text_guests(struct gather *g, const char *text, bool is_title,
			    const struct feed *f)
{
	struct strlist names = STRLIST_INIT;

	speakers_names_in_text(text, is_title, f ? f->title : NULL, &names);
	for (size_t i = 0; i < names.nr; i++)
		add_guest(g, names.items[i],
			  is_title ? SPEAKER_SRC_TITLE : SPEAKER_SRC_DESCRIPTION);
	strlist_release(&names);
}

static void gather_auto(struct gather *g, const struct feed *f, const struct episode *ep,
			const struct strlist *known, const struct strlist *voices)
{
	if (ep)
		add_persons(g, ep->persons, ep->nr_persons, PERSON_HOST);
	if (f)
		add_persons(g, f->persons, f->nr_persons, PERSON_HOST);
	for (size_t i = 0; known && i < known->nr; i++)
		add_host(g, known->items[i], SPEAKER_SRC_CONFIG);
	add_itunes_hosts(g, f, ep);
	if (ep)
		add_persons(g, ep->persons, ep->nr_persons, PERSON_GUEST);
	add_voices(g, voices);
	if (ep) {
		add_text_guests(g, ep->title, true, f);
		add_text_guests(g, ep->description, false, f);
	}
}

/* Moves hosts then guests into out, numbering them spk_1, spk_2, ... */
static void emit(struct gather *g, struct speaker_list *out)
{
	struct speaker_list *parts[] = { &g->hosts, &g->guests };

	for (size_t p = 0; p < ARRAY_SIZE(parts); p++) {
		for (size_t i = 0; i < parts[p]->nr; i++) {
			PC_GROW(out->items, out->alloc, out->nr + 1);
			out->items[out->nr] = parts[p]->items[i];
			out->nr++;
			struct sbuf id = SBUF_INIT(SBUF_NOLIMIT);
			sbuf_addf(&id, "spk_%zu", out->nr);
			out->items[out->nr - 1].id = sbuf_detach(&id, NULL);
		}
		free(parts[p]->items);
		memset(parts[p], 0, sizeof(*parts[p]));
	}
}

int speakers_detect(const struct feed *f, const struct episode *ep,
		    const struct speakers_options *o, const struct strlist *vtt_voices,
		    struct speaker_list *out)
{
	static const struct speakers_options defaults = SPEAKERS_OPTIONS_INIT;
	struct gather g = { SPEAKER_LIST_INIT, SPEAKER_LIST_INIT };

	if (out->nr)
		return -PC_EUSAGE;
	if (!o)
		o = &defaults;
	if (o->speaker_names && o->speaker_names->nr) {
		for (size_t i = 0; i < o->speaker_names->nr; i++) {
			char *n = clean_name(o->speaker_names->items[i]);
			/* Manual names are taken as given, even repeated. */
			if (n && total(&g) < SPEAKERS_MAX)
				list_push(i == 0 ? &g.hosts : &g.guests, n,
					  i == 0 ? SPEAKER_HOST : SPEAKER_GUEST,
					  SPEAKER_SRC_MANUAL);
			free(n);
		}
	} else if (o->auto_speakers) {
		gather_auto(&g, f, ep, o->known_hosts, vtt_voices);
	} else {
		for (size_t i = 0; o->known_hosts && i < o->known_hosts->nr; i++)
			add_host(&g, o->known_hosts->items[i], SPEAKER_SRC_CONFIG);
	}
	emit(&g, out);
	return 0;
}

void speaker_list_release(struct speaker_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->items[i].id);
		free(l->items[i].name);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void names_with_role(const struct speaker_list *l, enum speaker_role r,
			    struct strlist *out)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->items[i].role == r)
			strlist_push(out, l->items[i].name);
}

void speakers_hosts(const struct speaker_list *l, struct strlist *out)
{
	names_with_role(l, SPEAKER_HOST, out);
}

void speakers_guests(const struct speaker_list *l, struct strlist *out)
{
	names_with_role(l, SPEAKER_GUEST, out);
}

void speakers_names_for_screenplay(const struct speaker_list *l, struct strlist *out)
{
	names_with_role(l, SPEAKER_HOST, out);
	names_with_role(l, SPEAKER_GUEST, out);
}

const char *speaker_role_name(enum speaker_role r)
{
	return r == SPEAKER_HOST ? "host" : "guest";
}

const char *speaker_source_name(enum speaker_source s)
{
	static const char *const names[] = {
		[SPEAKER_SRC_PERSON_TAG] = "person_tag",
		[SPEAKER_SRC_ITUNES] = "itunes",
		[SPEAKER_SRC_VTT_VOICE] = "vtt_voice",
		[SPEAKER_SRC_TITLE] = "title",
		[SPEAKER_SRC_DESCRIPTION] = "description",
		[SPEAKER_SRC_CONFIG] = "config",
		[SPEAKER_SRC_MANUAL] = "manual",
	};

	return (size_t)s < ARRAY_SIZE(names) ? names[s] : "unknown";
}
