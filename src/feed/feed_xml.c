/* feed_xml.c - small accessors over libxml2 trees; see feed_internal.h. */
#include "feed/feed_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RSS 2.0 has no namespace; RSS 0.9 and 1.0 (RDF) put theirs on every element. */
static const char *const rss_namespaces[] = {
	"http://purl.org/rss/1.0/",
	"http://my.netscape.com/rdf/simple/0.9/",
	"http://backend.userland.com/rss2",
};

static bool ns_matches(const xmlNode *n, const char *ns)
{
	const char *href = n->ns ? (const char *)n->ns->href : NULL;

	if (ns != FEED_NS_RSS && !strcmp(ns, FEED_NS_ATOM))
		return href && (!strcmp(href, ns) || !strcmp(href, FEED_NS_ATOM03));
	if (ns != FEED_NS_RSS)
		return href && !strcmp(href, ns);
	if (!href)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(rss_namespaces); i++)
		if (!strcmp(href, rss_namespaces[i]))
			return true;
	return false;
}

bool feed_is(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name) && ns_matches(n, ns);
}

xmlNode *feed_child(const xmlNode *parent, const char *ns, const char *name)
{
	for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
		if (feed_is(c, ns, name))
			return c;
	return NULL;
}

static char *trimmed_dup(const char *s)
{
	const char *end;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		end--;
	return end > s ? pc_strndup(s, end - s) : NULL;
}

char *feed_text(const xmlNode *n)
{
	xmlChar *raw;
	char *res;

	if (!n)
		return NULL;
	raw = xmlNodeGetContent(n);
	res = trimmed_dup((const char *)raw);
	xmlFree(raw);
	return res;
}

char *feed_child_text(const xmlNode *parent, const char *ns, const char *name)
{
	return feed_text(feed_child(parent, ns, name));
}

char *feed_attr(const xmlNode *n, const char *name)
{
	xmlChar *raw;
	char *res;

	if (!n)
		return NULL;
	raw = xmlGetNoNsProp(n, (const xmlChar *)name);
	res = trimmed_dup((const char *)raw);
	xmlFree(raw);
	return res;
}

char *feed_attr_url(const xmlNode *n, const char *name, const char *base)
{
	char *ref = feed_attr(n, name);
	char *url;

	if (!ref)
		return NULL;
	url = feed_resolve_url(base, ref);
	free(ref);
	return url;
}

time_t feed_child_date(const xmlNode *parent, const char *ns, const char *name)
{
	char *s = feed_child_text(parent, ns, name);
	time_t t = s ? feed_parse_date(s) : -1;

	free(s);
	return t > 0 ? t : 0;
}

long long feed_attr_length(const xmlNode *n, const char *name)
{
	char *s = feed_attr(n, name), *end;
	long long v = -1;

	if (s) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || end == s || *end || v <= 0)
			v = -1;
	}
	free(s);
	return v;
}

void feed_take(char **dst, char *v)
{
	if (*dst)
		free(v);
	else
		*dst = v;
}

void feed_add_author(struct feed *f, char *name)
{
	if (name && !strlist_has(&f->authors, name))
		strlist_push_owned(&f->authors, name);
	else
		free(name);
}

struct episode *feed_new_episode(struct feed *f)
{
	struct episode *ep;

	PC_GROW(f->episodes, f->alloc_episodes, f->nr_episodes + 1);
	ep = &f->episodes[f->nr_episodes++];
	memset(ep, 0, sizeof(*ep));
	ep->duration_seconds = -1;
	ep->episode_number = -1;
	ep->media_length = -1;
	return ep;
}

char *feed_desc_text(const xmlNode *n)
{
	char *raw = feed_text(n);
	char *text = raw ? feed_html_to_text(raw) : NULL;

	free(raw);
	return text;
}

/*
 * RSS <author> is "mail (Name)"; dc:creator and itunes:author sometimes
 * carry "Name <mail>".  Keep the human name.
 */
char *feed_clean_author(char *s)
{
	char *open, *close, *name = NULL;

	if (!s)
		return NULL;
	open = strchr(s, '(');
	close = open ? strrchr(open, ')') : NULL;
	if (open && close && strchr(s, '@') && strchr(s, '@') < open)
		name = pc_strndup(open + 1, close - open - 1);
	else if ((open = strchr(s, '<')) && strchr(open, '>'))
		name = pc_strndup(s, open - s);
	if (!name)
		return s;
	free(s);
	s = trimmed_dup(name);
	free(name);
	return s;
}
