/*
 * feed_internal.h - helpers shared by the feed_*.c files.  Not part of the
 * contract (feed.h is); nothing outside src/feed/ includes this.
 *
 * All tree helpers take libxml2 nodes of a document parsed by feed.c, whose
 * entities were refused, so text content is exactly what the bytes say.
 * Strings they return are pc_malloc'd (free with free()) and NULL rather
 * than empty.
 */
#ifndef FEED_INTERNAL_H
#define FEED_INTERNAL_H

#include "feed/feed.h"

#include <libxml/tree.h>

/* Atom 1.0; feed_is() matches Atom 0.3's namespace with it, as one language. */
#define FEED_NS_ATOM "http://www.w3.org/2005/Atom"
#define FEED_NS_ATOM03 "http://purl.org/atom/ns#"
#define FEED_NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define FEED_NS_PODCAST "https://podcastindex.org/namespace/1.0"
#define FEED_NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define FEED_NS_DC "http://purl.org/dc/elements/1.1/"
#define FEED_NS_MEDIA "http://search.yahoo.com/mrss/"
#define FEED_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
/* Not a URI: matches RSS's own elements (no namespace, or an RSS 0.9/1.0 one). */
#define FEED_NS_RSS ((const char *)0)

/* ---- the safe XML front door (feed.c) ---------------------------------- */

#define FEED_XML_MSG_MAX 512

/* What a parse met: entity declarations, and libxml2's first error. */
struct feed_xml_state {
	bool hostile;
	bool have_error;
	int line;
	struct sbuf msg;      /* the first error libxml2 reported */
	char *unknown_entity; /* the first undeclared name HTML does not know */
	long nr_unknown;      /* how many such names in all */
};
#define FEED_XML_STATE_INIT { .msg = SBUF_INIT(FEED_XML_MSG_MAX) }
/* Frees what a parse left in st. */
void feed_xml_state_release(struct feed_xml_state *st);

/* -PC_EPARSE for an empty or blank document, -PC_ETOOBIG past libxml2's limit. */
int feed_xml_check_input(const char *xml, size_t len, struct sbuf *err);
/*
 * Parses under the hostile-XML rules (feed.c's header): no network, no DTD,
 * a DOCTYPE declaring entities stops the parse and sets st->hostile, errors
 * land in st (never printed).  Returns the tree (caller xmlFreeDoc()s),
 * possibly partial when the document is not well-formed (*well_formed
 * tells), or NULL when not even a root element was read.
 */
xmlDoc *feed_xml_read(const char *xml, size_t len, struct feed_xml_state *st,
		      bool *well_formed);
/* -PC_EHOSTILE with the reason in err when the document declared entities, else 0. */
int feed_xml_refuse_hostile(const struct feed_xml_state *st, struct sbuf *err);
/* -PC_EPARSE with libxml2's first error in err when doc is broken or empty, else 0. */
int feed_xml_refuse_broken(xmlDoc *doc, bool well_formed, const struct feed_xml_state *st,
			   struct sbuf *err);

/* Is n an element called name in namespace ns (matched by URI, never prefix)? */
bool feed_is(const xmlNode *n, const char *ns, const char *name);
/* First child element of parent matching ns/name, or NULL. */
xmlNode *feed_child(const xmlNode *parent, const char *ns, const char *name);
/* Text content of n, surrounding whitespace trimmed; NULL when empty. */
char *feed_text(const xmlNode *n);
/* Text of the first matching child (see feed_child); NULL when absent/empty. */
char *feed_child_text(const xmlNode *parent, const char *ns, const char *name);
/* Attribute value (no namespace), trimmed; NULL when absent/empty. */
char *feed_attr(const xmlNode *n, const char *name);
/* Attribute value resolved against base; NULL when absent/empty. */
char *feed_attr_url(const xmlNode *n, const char *name, const char *base);
/* Date in the first matching child as UTC; 0 when absent or unparseable. */
time_t feed_child_date(const xmlNode *parent, const char *ns, const char *name);
/* A byte count attribute; -1 when absent, invalid or <= 0 ("unknown" in feeds). */
long long feed_attr_length(const xmlNode *n, const char *name);
/* Stores v in *dst unless *dst is already set (first value wins); takes v. */
void feed_take(char **dst, char *v);
/* Adds name to the feed's author list unless NULL or already there; takes name. */
void feed_add_author(struct feed *f, char *name);
/* Appends a zeroed episode (unknown numbers set to -1) and returns it. */
struct episode *feed_new_episode(struct feed *f);
/* Plain text of a description-like element (HTML stripped); NULL when empty. */
char *feed_desc_text(const xmlNode *n);

/* Extensions shared by RSS items and Atom entries (iTunes, Podcasting 2.0, ...). */
void feed_ext_episode(const xmlNode *item, const char *base, struct episode *ep);
/* Extensions shared by an RSS channel and an Atom feed element. */
void feed_ext_channel(const xmlNode *chan, const char *base, struct feed *f);
/* "Name <mail>" / "mail (Name)" -> "Name"; takes s, returns NULL when empty. */
char *feed_clean_author(char *s);

/* Fill f from an <rss>/<rdf:RDF> or an Atom <feed> root; 0 or -PC_E* + err. */
int feed_rss_fill(const xmlNode *root, const char *base, struct feed *f,
		  struct sbuf *err);
int feed_atom_fill(const xmlNode *root, const char *base, struct feed *f);

#endif
