/*
 * feed_atom.c - Atom 1.0 (RFC 4287) and Atom 0.3 feeds and entries.
 *
 * Precedence, first present and non-empty wins:
 *   description   content, summary, itunes:summary (entry); subtitle (feed)
 *   published     published, updated
 *   link          link rel="alternate" (or no rel)
 *   media         link rel="enclosure"
 *   feed image    logo, icon, itunes:image
 *   feed author   the first author/name; every author/name joins authors
 * Text constructs of type "html" and "xhtml" are turned into plain text.
 *
 * Atom 0.3 (namespace http://purl.org/atom/ns#, still served by old blog
 * and podcast software) is read by the same code: its elements match
 * FEED_NS_ATOM, its dates are issued/modified where 1.0 has
 * published/updated, its feed subtitle is tagline, and its content says
 * how it is carried with mode="escaped" (HTML as text), "xml" (inline
 * markup) or "base64" (not read), and what it is with a MIME type.
 */
#include "feed/feed_internal.h"

#include <stdlib.h>
#include <string.h>

static bool attr_is(const xmlNode *n, const char *name, const char *a, const char *b)
{
	char *v = feed_attr(n, name);
	bool yes = v && (!strcmp(v, a) || (b && !strcmp(v, b)));

	free(v);
	return yes;
}

/* The markup inside an xhtml construct, as plain text. */
static char *xhtml_text(const xmlNode *n)
{
	xmlBuffer *buf = xmlBufferCreate();
	char *text;

	for (xmlNode *c = n->children; c; c = c->next)
		xmlNodeDump(buf, n->doc, c, 0, 0);
	text = feed_html_to_text((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return text;
}

/* An Atom text construct (RFC 4287 3.1) as plain text; NULL when empty. */
static char *atom_text(const xmlNode *n)
{
	if (!n || attr_is(n, "mode", "base64", NULL))
		return NULL;
	if (attr_is(n, "mode", "escaped", NULL) || attr_is(n, "type", "html", "text/html"))
		return feed_desc_text(n);
	if (attr_is(n, "mode", "xml", NULL) ||
	    attr_is(n, "type", "xhtml", "application/xhtml+xml"))
		return xhtml_text(n);
	return feed_text(n);
}

static char *child_text(const xmlNode *parent, const char *name)
{
	return atom_text(feed_child(parent, FEED_NS_ATOM, name));
}

static bool link_is(const xmlNode *link, const char *rel)
{
	char *r = feed_attr(link, "rel");
	bool yes = r ? !strcmp(r, rel) : !strcmp(rel, "alternate");

	free(r);
	return yes;
}

static const xmlNode *find_link(const xmlNode *parent, const char *rel)
{
	for (const xmlNode *c = parent->children; c; c = c->next)
		if (feed_is(c, FEED_NS_ATOM, "link") && link_is(c, rel))
			return c;
	return NULL;
}

static void atom_media(const xmlNode *entry, const char *base, struct episode *ep)
{
	const xmlNode *enc = find_link(entry, "enclosure");

	ep->media_url = feed_attr_url(enc, "href", base);
	if (!ep->media_url)
		return;
	ep->media_type = feed_attr(enc, "type");
	ep->media_length = feed_attr_length(enc, "length");
}

/* Adds every author/name under parent to f->authors; returns the first. */
static char *atom_authors(const xmlNode *parent, struct feed *f)
{
	char *first = NULL;

	for (xmlNode *c = parent->children; c; c = c->next) {
		char *name;

		if (!feed_is(c, FEED_NS_ATOM, "author"))
			continue;
		name = feed_child_text(c, FEED_NS_ATOM, "name");
		if (!name)
			continue;
		if (!first)
			first = pc_strdup(name);
		if (f)
			feed_add_author(f, name);
		else
			free(name);
	}
	return first;
}

/* The first of up to four date elements that is present and parseable; 0 if none. */
static time_t first_date(const xmlNode *parent, const char *a, const char *b,
			 const char *c, const char *d)
{
	const char *names[] = { a, b, c, d };
	time_t t = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names) && !t && names[i]; i++)
		t = feed_child_date(parent, FEED_NS_ATOM, names[i]);
	return t;
}

static void atom_entry(const xmlNode *entry, const char *base, struct episode *ep)
{
	ep->title = child_text(entry, "title");
	ep->description = child_text(entry, "content");
	feed_take(&ep->description, child_text(entry, "summary"));
	ep->guid = feed_child_text(entry, FEED_NS_ATOM, "id");
	ep->link = feed_attr_url(find_link(entry, "alternate"), "href", base);
	ep->published = first_date(entry, "published", "issued", "updated", "modified");
	ep->author = atom_authors(entry, NULL);
	atom_media(entry, base, ep);
	feed_ext_episode(entry, base, ep);
}

static void atom_feed(const xmlNode *root, const char *base, struct feed *f)
{
	xmlChar *lang = xmlNodeGetLang(root);

	f->title = child_text(root, "title");
	f->description = child_text(root, "subtitle");
	feed_take(&f->description, child_text(root, "tagline"));
	f->language = lang && *lang ? pc_strdup((const char *)lang) : NULL;
	xmlFree(lang);
	f->link = feed_attr_url(find_link(root, "alternate"), "href", base);
	f->image_url = child_text(root, "logo");
	feed_take(&f->image_url, child_text(root, "icon"));
	if (f->image_url) {
		char *rel = f->image_url;

		f->image_url = feed_resolve_url(base, rel);
		free(rel);
	}
	f->last_updated = first_date(root, "updated", "modified", NULL, NULL);
	f->author = atom_authors(root, f);
	feed_ext_channel(root, base, f);
}

int feed_atom_fill(const xmlNode *root, const char *base, struct feed *f)
{
	atom_feed(root, base, f);
	for (xmlNode *c = root->children; c; c = c->next)
		if (feed_is(c, FEED_NS_ATOM, "entry"))
			atom_entry(c, base, feed_new_episode(f));
	return 0;
}
