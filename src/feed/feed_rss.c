/*
 * feed_rss.c - RSS 2.0 (and RSS 0.9x/1.0) channels and items.
 *
 * Precedence, first present and non-empty wins:
 *   episode title        itunes:title, title (as the Python project does)
 *   description          content:encoded, description, itunes:summary
 *   published            pubDate, dc:date
 *   author               itunes:author, dc:creator, author
 *   media                enclosure (any element named *enclosure), media:content
 *   feed image           itunes:image, image/url
 *   feed last_updated    lastBuildDate, pubDate, dc:date
 *   feed authors         itunes:author, itunes:owner/itunes:name,
 *                        managingEditor, dc:creator, author (deduplicated)
 */
#include "feed/feed_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *child_url(const xmlNode *parent, const char *ns, const char *name,
		       const char *base)
{
	char *ref = feed_child_text(parent, ns, name);
	char *url = ref ? feed_resolve_url(base, ref) : NULL;

	free(ref);
	return url;
}

static void set_media(struct episode *ep, const xmlNode *n, const char *base)
{
	ep->media_url = feed_attr_url(n, "url", base);
	ep->media_type = feed_attr(n, "type");
	ep->media_length = ep->media_url ? feed_attr_length(n, "length") : -1;
	if (!ep->media_url) {
		free(ep->media_type);
		ep->media_type = NULL;
	}
}

static bool is_enclosure(const xmlNode *n)
{
	size_t len;

	if (n->type != XML_ELEMENT_NODE)
		return false;
	len = strlen((const char *)n->name);
	return len >= 9 && !strcasecmp((const char *)n->name + len - 9, "enclosure");
}

/* Media RSS content that is playable audio or video. */
static bool is_media_content(const xmlNode *n)
{
	char *type, *medium;
	bool ok;

	if (!feed_is(n, FEED_NS_MEDIA, "content"))
		return false;
	type = feed_attr(n, "type");
	medium = feed_attr(n, "medium");
	ok = (type && (!strncasecmp(type, "audio/", 6) || !strncasecmp(type, "video/", 6))) ||
	     (medium && (!strcasecmp(medium, "audio") || !strcasecmp(medium, "video")));
	free(type);
	free(medium);
	return ok;
}

static void rss_media(const xmlNode *item, const char *base, struct episode *ep)
{
	for (xmlNode *c = item->children; c && !ep->media_url; c = c->next)
		if (is_enclosure(c))
			set_media(ep, c, base);
	for (xmlNode *c = item->children; c && !ep->media_url; c = c->next)
		if (is_media_content(c))
			set_media(ep, c, base);
}

static void rss_item(const xmlNode *item, const char *base, struct episode *ep)
{
	ep->title = feed_child_text(item, FEED_NS_ITUNES, "title");
	feed_take(&ep->title, feed_child_text(item, FEED_NS_RSS, "title"));
	ep->description = feed_desc_text(feed_child(item, FEED_NS_CONTENT, "encoded"));
	feed_take(&ep->description,
		  feed_desc_text(feed_child(item, FEED_NS_RSS, "description")));
	ep->guid = feed_child_text(item, FEED_NS_RSS, "guid");
	ep->link = child_url(item, FEED_NS_RSS, "link", base);
	ep->published = feed_child_date(item, FEED_NS_RSS, "pubDate");
	rss_media(item, base, ep);
	feed_ext_episode(item, base, ep);
	feed_take(&ep->author, feed_clean_author(
			  feed_child_text(item, FEED_NS_RSS, "author")));
}

static void rss_channel(const xmlNode *chan, const char *base, struct feed *f)
{
	xmlNode *image = feed_child(chan, FEED_NS_RSS, "image");

	f->title = feed_child_text(chan, FEED_NS_RSS, "title");
	f->description = feed_desc_text(feed_child(chan, FEED_NS_CONTENT, "encoded"));
	feed_take(&f->description,
		  feed_desc_text(feed_child(chan, FEED_NS_RSS, "description")));
	f->language = feed_child_text(chan, FEED_NS_RSS, "language");
	f->link = child_url(chan, FEED_NS_RSS, "link", base);
	f->image_url = feed_attr_url(feed_child(chan, FEED_NS_ITUNES, "image"),
				     "href", base);
	feed_take(&f->image_url, child_url(image, FEED_NS_RSS, "url", base));
	f->last_updated = feed_child_date(chan, FEED_NS_RSS, "lastBuildDate");
	if (!f->last_updated)
		f->last_updated = feed_child_date(chan, FEED_NS_RSS, "pubDate");
	feed_ext_channel(chan, base, f);
	feed_add_author(f, feed_clean_author(
				feed_child_text(chan, FEED_NS_RSS, "managingEditor")));
	feed_add_author(f, feed_clean_author(
				feed_child_text(chan, FEED_NS_DC, "creator")));
	feed_add_author(f, feed_clean_author(
				feed_child_text(chan, FEED_NS_RSS, "author")));
}

static void rss_items(const xmlNode *parent, const char *base, struct feed *f)
{
	for (xmlNode *c = parent->children; c; c = c->next)
		if (feed_is(c, FEED_NS_RSS, "item"))
			rss_item(c, base, feed_new_episode(f));
}

/*
 * RSS 2.0 nests items in <channel>; RSS 1.0 (RDF) makes them siblings of
 * the channel, so both places are read.
 */
int feed_rss_fill(const xmlNode *root, const char *base, struct feed *f,
		  struct sbuf *err)
{
	xmlNode *chan = feed_child(root, FEED_NS_RSS, "channel");

	if (!chan) {
		sbuf_addf(err, "RSS document without a <channel> element");
		return -PC_EPARSE;
	}
	rss_channel(chan, base, f);
	rss_items(chan, base, f);
	if (feed_is(root, FEED_NS_RDF, "RDF"))
		rss_items(root, base, f);
	return 0;
}
