/*
 * feed_ext.c - namespaced extensions that RSS items and Atom entries share:
 * iTunes, Podcasting 2.0, Dublin Core.  Each setter keeps a value already
 * set by the format-specific code (first value wins), so callers express
 * precedence by calling order.
 */
#include "feed/feed_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The podcastindex spec: role is case-insensitive and defaults to "host". */
static enum person_role person_role(const char *role)
{
	static const char *const hosts[] = { "host", "co-host", "cohost", "guest host" };

	if (!role)
		return PERSON_HOST;
	for (size_t i = 0; i < ARRAY_SIZE(hosts); i++)
		if (!strcasecmp(role, hosts[i]))
			return PERSON_HOST;
	return strcasecmp(role, "guest") ? PERSON_OTHER : PERSON_GUEST;
}

static void add_persons(const xmlNode *parent, const char *base,
			struct person **list, size_t *nr)
{
	size_t alloc = *nr;

	for (xmlNode *c = parent->children; c; c = c->next) {
		char *name, *role;
		struct person *p;

		if (!feed_is(c, FEED_NS_PODCAST, "person") || !(name = feed_text(c)))
			continue;
		PC_GROW(*list, alloc, *nr + 1);
		p = &(*list)[(*nr)++];
		role = feed_attr(c, "role");
		p->name = name;
		p->role = person_role(role);
		p->href = feed_attr_url(c, "href", base);
		free(role);
	}
}

/* Depth-first successor of n inside top's subtree (elements only descended). */
static const xmlNode *next_in(const xmlNode *n, const xmlNode *top)
{
	if (n->type == XML_ELEMENT_NODE && n->children)
		return n->children;
	while (n != top && !n->next)
		n = n->parent;
	return n == top ? NULL : n->next;
}

static bool ends_with_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

static bool has_transcript(const struct episode *ep, const char *url)
{
	for (size_t i = 0; i < ep->nr_transcripts; i++)
		if (!strcmp(ep->transcripts[i].url, url))
			return true;
	return false;
}

static void add_transcript(struct episode *ep, size_t *alloc, char *url,
			   const xmlNode *n)
{
	struct transcript_ref *t;

	if (!url || has_transcript(ep, url)) {
		free(url);
		return;
	}
	PC_GROW(ep->transcripts, *alloc, ep->nr_transcripts + 1);
	t = &ep->transcripts[ep->nr_transcripts++];
	t->url = url;
	t->type = feed_attr(n, "type");
	t->language = feed_attr(n, "language");
	t->rel = feed_attr(n, "rel");
}

/* The URL a transcript-ish element points at, resolved; NULL if none. */
static char *transcript_url(const xmlNode *n, const char *base)
{
	char *url = feed_attr_url(n, "url", base);
	char *ref;

	if (!url)
		url = feed_attr_url(n, "href", base);
	if (url || !feed_is(n, FEED_NS_RSS, "transcript"))
		return url;
	/* A bare <transcript>URL</transcript>, seen in older feeds. */
	ref = feed_text(n);
	url = ref ? feed_resolve_url(base, ref) : NULL;
	free(ref);
	return url;
}

/*
 * Any element whose local name ends in "transcript" and that carries a URL
 * counts, in any namespace and at any depth, so that variant and misspelled
 * transcript extensions still yield their files.  Duplicate URLs are dropped.
 */
static void add_transcripts(const xmlNode *item, const char *base, struct episode *ep)
{
	size_t alloc = ep->nr_transcripts;

	for (const xmlNode *n = next_in(item, item); n; n = next_in(n, item)) {
		if (n->type != XML_ELEMENT_NODE ||
		    !ends_with_nocase((const char *)n->name, "transcript"))
			continue;
		add_transcript(ep, &alloc, transcript_url(n, base), n);
	}
}

static long child_long(const xmlNode *parent, const char *ns, const char *name)
{
	char *s = feed_child_text(parent, ns, name), *end;
	long v = -1;

	if (s) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || *end || v < 0)
			v = -1;
	}
	free(s);
	return v;
}

void feed_ext_episode(const xmlNode *item, const char *base, struct episode *ep)
{
	char *s;

	feed_take(&ep->title, feed_child_text(item, FEED_NS_ITUNES, "title"));
	feed_take(&ep->description,
		  feed_desc_text(feed_child(item, FEED_NS_ITUNES, "summary")));
	feed_take(&ep->author, feed_clean_author(
			  feed_child_text(item, FEED_NS_ITUNES, "author")));
	feed_take(&ep->author, feed_clean_author(
			  feed_child_text(item, FEED_NS_DC, "creator")));
	feed_take(&ep->image_url, feed_attr_url(
			  feed_child(item, FEED_NS_ITUNES, "image"), "href", base));
	feed_take(&ep->chapters_url, feed_attr_url(
			  feed_child(item, FEED_NS_PODCAST, "chapters"), "url", base));
	if (!ep->published)
		ep->published = feed_child_date(item, FEED_NS_DC, "date");
	if (ep->duration_seconds < 0 &&
	    (s = feed_child_text(item, FEED_NS_ITUNES, "duration"))) {
		ep->duration_seconds = feed_parse_duration(s);
		free(s);
	}
	if (ep->episode_number < 0)
		ep->episode_number = child_long(item, FEED_NS_ITUNES, "episode");
	add_persons(item, base, &ep->persons, &ep->nr_persons);
	add_transcripts(item, base, ep);
}

void feed_ext_channel(const xmlNode *chan, const char *base, struct feed *f)
{
	xmlNode *owner = feed_child(chan, FEED_NS_ITUNES, "owner");

	feed_take(&f->author, feed_clean_author(
			  feed_child_text(chan, FEED_NS_ITUNES, "author")));
	feed_take(&f->owner_name, feed_child_text(owner, FEED_NS_ITUNES, "name"));
	feed_take(&f->description,
		  feed_desc_text(feed_child(chan, FEED_NS_ITUNES, "summary")));
	feed_take(&f->image_url, feed_attr_url(
			  feed_child(chan, FEED_NS_ITUNES, "image"), "href", base));
	feed_take(&f->language, feed_child_text(chan, FEED_NS_DC, "language"));
	if (!f->last_updated)
		f->last_updated = feed_child_date(chan, FEED_NS_DC, "date");
	if (f->author)
		feed_add_author(f, pc_strdup(f->author));
	if (f->owner_name)
		feed_add_author(f, pc_strdup(f->owner_name));
	add_persons(chan, base, &f->persons, &f->nr_persons);
}
