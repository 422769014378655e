/*
 * feed_atom.c - Atom 1.0 (RFC 4287) feeds and entries.
 *
 * Precedence, first present and non-empty wins:
 *   description   content, summary, itunes:summary (entry); subtitle (feed)
 *   published     published, updated
 *   link          link rel="alternate" (or no rel)
 *   media         link rel="enclosure"
 *   feed image    logo, icon, itunes:image
 *   feed author   the first author/name; every author/name joins authors
 * Text constructs of type "html" and "xhtml" are turned into plain text.
 */
#include "feed/feed_internal.h"

#include <stdlib.h>
#include <string.h>

static bool has_type(const xmlNode *n, const char *type)
{
	char *t = feed_attr(n, "type");
	bool yes = t && !strcmp(t, type);

	free(t);
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
	if (!n)
		return NULL;
	if (has_type(n, "html"))
		return feed_desc_text(n);
	if (has_type(n, "xhtml"))
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

static void atom_entry(const xmlNode *entry, const char *base, struct episode *ep)
{
	ep->title = child_text(entry, "title");
	ep->description = child_text(entry, "content");
	feed_take(&ep->description, child_text(entry, "summary"));
	ep->guid = feed_child_text(entry, FEED_NS_ATOM, "id");
	ep->link = feed_attr_url(find_link(entry, "alternate"), "href", base);
	ep->published = feed_child_date(entry, FEED_NS_ATOM, "published");
	if (!ep->published)
		ep->published = feed_child_date(entry, FEED_NS_ATOM, "updated");
	ep->author = atom_authors(entry, NULL);
	atom_media(entry, base, ep);
	feed_ext_episode(entry, base, ep);
}

static void atom_feed(const xmlNode *root, const char *base, struct feed *f)
{
	xmlChar *lang = xmlNodeGetLang(root);

	f->title = child_text(root, "title");
	f->description = child_text(root, "subtitle");
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
	f->last_updated = feed_child_date(root, FEED_NS_ATOM, "updated");
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
