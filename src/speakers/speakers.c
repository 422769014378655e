/*
 * speakers.c - gathering hosts and guests from the feed, the config and the
 * transcript's voices; see speakers.h for the order and the rules.
 */
#include "speakers/speakers.h"
#include "speakers/sp_internal.h"
#include "feed/feed.h"
#include "util/sbuf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void list_push(struct speaker_list *l, const char *name, enum speaker_role role,
		      enum speaker_source src)
{
	PC_GROW(l->items, l->alloc, l->nr + 1);
	l->items[l->nr++] = (struct speaker){ NULL, pc_strdup(name), role, src };
}

size_t sp_count_words(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p++)
		n += *p != ' ' && (p == s || p[-1] == ' ');
	return n;
}

/*
 * True when the list has that person.  A fuller name replaces a shorter
 * one ("Priya" becomes "Priya Nair"), wherever each was found.
 */
static bool list_has_person(struct speaker_list *l, const char *name)
{
	for (size_t i = 0; i < l->nr; i++) {
		if (!speakers_same_person(l->items[i].name, name))
			continue;
		if (sp_count_words(name) > sp_count_words(l->items[i].name)) {
			free(l->items[i].name);
			l->items[i].name = pc_strdup(name);
		}
		return true;
	}
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

void sp_add_host(struct gather *g, const char *name, enum speaker_source src)
{
	char *n = clean_name(name);

	if (n && total(g) < SPEAKERS_MAX && !list_has_person(&g->hosts, n))
		list_push(&g->hosts, n, SPEAKER_HOST, src);
	free(n);
}

void sp_add_guest(struct gather *g, const char *name, enum speaker_source src)
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
			sp_add_host(g, p[i].name, SPEAKER_SRC_PERSON_TAG);
		else
			sp_add_guest(g, p[i].name, SPEAKER_SRC_PERSON_TAG);
	}
}

/* Words of author fields that hosting services fill in when nobody is named. */
static bool has_placeholder_word(const char *name)
{
	static const char *const words[] = {
		"admin", "administrator", "anonymous", "author", "default", "editor", "none",
		"owner", "podcaster", "test", "unknown", "user", "various", "webmaster",
	};
	struct scan sc;
	bool found = false;

	sp_scan_init(&sc, name, strlen(name), NULL);
	for (size_t i = 0; i < sc.t.n && !found; i++)
		for (size_t k = 0; k < ARRAY_SIZE(words) && !found; k++)
			found = sp_tok_is(&sc.t.v[i], words[k]);
	sp_scan_release(&sc);
	return found;
}

/* "Jane Doe Productions", "part of the Jane Doe network": a name for a business. */
static bool named_as_business(const char *name, const char *text)
{
	static const char *const next[] = {
		" network", " production", " presents", " original", " studio", " media",
	};
	size_t len = strlen(name);

	for (const char *p = text; p && (p = strcasestr(p, name)); p += len)
		for (size_t k = 0; k < ARRAY_SIZE(next); k++)
			if (!strncasecmp(p + len, next[k], strlen(next[k])))
				return true;
	return false;
}

/*
 * "Test Author", "Admin", the show's own title or its network's name: an
 * author field that names no host.
 */
static bool is_placeholder_author(const char *name, const struct feed *f)
{
	const char *title = f ? f->title : NULL;

	if (has_placeholder_word(name))
		return true;
	if (title && (!strcasecmp(name, title) ||
		      (!strncasecmp(title, "the ", 4) && !strcasecmp(name, title + 4))))
		return true;
	return f && (named_as_business(name, f->description) || named_as_business(name, title));
}

static void add_authors(struct gather *g, const char *field, const struct feed *f)
{
	struct strlist people = STRLIST_INIT;

	speakers_split_authors(field, &people);
	for (size_t i = 0; i < people.nr; i++)
		if (!is_placeholder_author(people.items[i], f))
			sp_add_host(g, people.items[i], SPEAKER_SRC_ITUNES);
	strlist_release(&people);
}

static void add_itunes_hosts(struct gather *g, const struct feed *f, const struct episode *ep)
{
	if (ep)
		add_authors(g, ep->author, f);
	if (!f)
		return;
	add_authors(g, f->author, f);
	add_authors(g, f->owner_name, f);
	for (size_t i = 0; i < f->authors.nr; i++)
		add_authors(g, f->authors.items[i], f);
}

/* "Speaker 1", "SPEAKER_00", "Host", "Narrator": labels, not people. */
bool sp_is_generic_label(const char *v)
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

		if (n && !sp_is_generic_label(n))
			sp_add_guest(g, n, SPEAKER_SRC_VTT_VOICE);
		free(n);
	}
}

static void add_text_guests(struct gather *g, const char *text, bool is_title,
			    const struct feed *f)
{
	struct strlist names = STRLIST_INIT;

	speakers_names_in_text(text, is_title, f ? f->title : NULL, &names);
	for (size_t i = 0; i < names.nr; i++)
		sp_add_guest(g, names.items[i],
			  is_title ? SPEAKER_SRC_TITLE : SPEAKER_SRC_DESCRIPTION);
	strlist_release(&names);
}

void sp_gather_feed(struct gather *g, const struct feed *f, const struct episode *ep,
		    const struct strlist *known)
{
	if (ep)
		add_persons(g, ep->persons, ep->nr_persons, PERSON_HOST);
	if (f)
		add_persons(g, f->persons, f->nr_persons, PERSON_HOST);
	for (size_t i = 0; known && i < known->nr; i++)
		sp_add_host(g, known->items[i], SPEAKER_SRC_CONFIG);
	add_itunes_hosts(g, f, ep);
	if (ep)
		add_persons(g, ep->persons, ep->nr_persons, PERSON_GUEST);
}

void sp_gather_text(struct gather *g, const struct feed *f, const struct episode *ep)
{
	if (!ep)
		return;
	add_text_guests(g, ep->title, true, f);
	add_text_guests(g, ep->description, false, f);
}

static void gather_manual(struct gather *g, const struct strlist *names)
{
	for (size_t i = 0; i < names->nr; i++) {
		char *n = clean_name(names->items[i]);
		/* Manual names are taken as given, even repeated. */
		if (n && total(g) < SPEAKERS_MAX)
			list_push(i == 0 ? &g->hosts : &g->guests, n,
				  i == 0 ? SPEAKER_HOST : SPEAKER_GUEST, SPEAKER_SRC_MANUAL);
		free(n);
	}
}

bool sp_gather_fixed(struct gather *g, const struct speakers_options *o)
{
	if (o->speaker_names && o->speaker_names->nr) {
		gather_manual(g, o->speaker_names);
		return true;
	}
	if (o->auto_speakers)
		return false;
	for (size_t i = 0; o->known_hosts && i < o->known_hosts->nr; i++)
		sp_add_host(g, o->known_hosts->items[i], SPEAKER_SRC_CONFIG);
	return true;
}

static void number_speaker(struct speaker_list *out, struct speaker *s)
{
	struct sbuf id = SBUF_INIT(SBUF_NOLIMIT);

	PC_GROW(out->items, out->alloc, out->nr + 1);
	out->items[out->nr++] = *s;
	sbuf_addf(&id, "spk_%zu", out->nr);
	out->items[out->nr - 1].id = sbuf_detach(&id, NULL);
}

void sp_gather_emit(struct gather *g, struct speaker_list *out)
{
	struct speaker_list *parts[] = { &g->hosts, &g->guests };

	for (size_t p = 0; p < ARRAY_SIZE(parts); p++) {
		for (size_t i = 0; i < parts[p]->nr; i++)
			number_speaker(out, &parts[p]->items[i]);
		free(parts[p]->items);
		memset(parts[p], 0, sizeof(*parts[p]));
	}
}

const struct speakers_options *sp_options(const struct speakers_options *o)
{
	static const struct speakers_options defaults = SPEAKERS_OPTIONS_INIT;

	return o ? o : &defaults;
}

int speakers_detect(const struct feed *f, const struct episode *ep,
		    const struct speakers_options *o, const struct strlist *vtt_voices,
		    struct speaker_list *out)
{
	struct gather g = { SPEAKER_LIST_INIT, SPEAKER_LIST_INIT };

	if (out->nr)
		return -PC_EUSAGE;
	o = sp_options(o);
	if (!sp_gather_fixed(&g, o)) {
		sp_gather_feed(&g, f, ep, o->known_hosts);
		add_voices(&g, vtt_voices);
		sp_gather_text(&g, f, ep);
	}
	sp_gather_emit(&g, out);
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
		[SPEAKER_SRC_TRANSCRIPT] = "transcript",
	};

	return (size_t)s < ARRAY_SIZE(names) ? names[s] : "unknown";
}
