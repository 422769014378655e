/*
 * feed_opml.c - OPML subscription lists: the xmlUrl of every <outline>.
 *
 * An OPML file is XML from outside like a feed, so it is read through the
 * same front door (feed.c): entity-declaring DOCTYPEs are refused, nothing
 * is fetched, libxml2's messages land in err.
 */
#include "feed/feed_internal.h"

#include <string.h>

static void collect_outlines(const xmlNode *node, struct strlist *urls)
{
	for (const xmlNode *n = node; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, BAD_CAST "outline")) {
			xmlChar *url = xmlGetProp(n, BAD_CAST "xmlUrl");

			if (url && *url)
				strlist_push(urls, (const char *)url);
			xmlFree(url);
		}
		collect_outlines(n->children, urls);
	}
}

static int judge_opml(xmlDoc *doc, bool well_formed, const struct feed_xml_state *st,
		      struct sbuf *err)
{
	const xmlNode *root;
	int r;

	if ((r = feed_xml_refuse_hostile(st, err)) < 0 ||
	    (r = feed_xml_refuse_broken(doc, well_formed, st, err)) < 0)
		return r;
	root = xmlDocGetRootElement(doc);
	if (xmlStrcmp(root->name, BAD_CAST "opml")) {
		sbuf_addf(err, "not an OPML document (root element <%s>)", (const char *)root->name);
		return -PC_EPARSE;
	}
	return 0;
}

int feed_opml_parse(const char *xml, size_t len, struct strlist *urls, struct sbuf *err)
{
	struct feed_xml_state st = FEED_XML_STATE_INIT;
	bool well_formed;
	xmlDoc *doc;
	int r = feed_xml_check_input(xml, len, err);

	if (r < 0)
		return r;
	doc = feed_xml_read(xml, len, &st, &well_formed);
	r = judge_opml(doc, well_formed, &st, err);
	if (!r)
		collect_outlines(xmlDocGetRootElement(doc), urls);
	xmlFreeDoc(doc);
	feed_xml_state_release(&st);
	return r;
}
