/*
 * feed.c - feed_parse(): the safe XML front door, and feed_release().
 *
 * The document is parsed into a tree with libxml2's SAX2 builder, with three
 * hooks of our own on the parser context (never global, so parses in several
 * threads do not interfere):
 *   - entity declarations stop the parser at once and mark the document
 *     hostile, so neither an entity bomb nor an external entity is ever
 *     expanded or read (defusedxml's rule: a DOCTYPE may not declare any);
 *   - the external subset is never loaded;
 *   - an entity the document uses without declaring it is looked up in
 *     HTML's named-character table (hand-made and CMS feeds write &nbsp;
 *     and &eacute; without any DTD) and read as that character; any other
 *     undeclared name is kept as the text "&name;" with one warning.  Such
 *     entities go into the document's own table, so they die with it;
 *   - errors go to a handler that keeps the first one for err, so libxml2
 *     prints nothing.
 * The tree is then handed to feed_rss.c or feed_atom.c by its root element.
 * OPML subscription lists (feed_opml.c) go through the same front door.
 * We drive xmlParseDocument() ourselves rather than xmlReadMemory() so that
 * the partial tree of a broken document survives: a web page that is not
 * well-formed XML is still reported by its root element (<html>), not by
 * whatever XML rule it broke first.
 */
#include "feed/feed_internal.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
		     XML_PARSE_NOCDATA)
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
	xmlInitParser();
}

void feed_global_init(void)
{
	pthread_once(&init_once, init_libxml);
}

static void on_xml_error(void *data, xmlError *e)
{
	xmlParserCtxt *ctxt = data;
	struct feed_xml_state *st = ctxt ? ctxt->_private : NULL;

	if (!st || !e || e->level < XML_ERR_ERROR || st->have_error)
		return;
	st->have_error = true;
	st->line = e->line;
	sbuf_adds(&st->msg, e->message ? e->message : "unknown error");
	sbuf_trim(&st->msg);
}

static void refuse_entity(xmlParserCtxt *ctxt)
{
	struct feed_xml_state *st = ctxt->_private;

	st->hostile = true;
	xmlStopParser(ctxt);
}

static void on_entity_decl(void *ctx, const xmlChar *name PC_UNUSED, int type PC_UNUSED,
			   const xmlChar *public_id PC_UNUSED,
			   const xmlChar *system_id PC_UNUSED, xmlChar *content PC_UNUSED)
{
	refuse_entity(ctx);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name PC_UNUSED,
				    const xmlChar *public_id PC_UNUSED,
				    const xmlChar *system_id PC_UNUSED,
				    const xmlChar *notation PC_UNUSED)
{
	refuse_entity(ctx);
}

static void on_external_subset(void *ctx PC_UNUSED, const xmlChar *name PC_UNUSED,
			       const xmlChar *external_id PC_UNUSED,
			       const xmlChar *system_id PC_UNUSED)
{
	/* Never load an external DTD. */
}

static xmlParserInput *on_resolve_entity(void *ctx PC_UNUSED,
					 const xmlChar *public_id PC_UNUSED,
					 const xmlChar *system_id PC_UNUSED)
{
	return NULL;
}

/*
 * The replacement text is a character reference, so it holds no markup
 * whatever the name: "&#160;" for nbsp, "&#38;name;" (the literal text)
 * for a name HTML does not know.
 */
static xmlEntity *add_undeclared(xmlParserCtxt *ctxt, const xmlChar *name)
{
	const htmlEntityDesc *html = htmlEntityLookup(name);
	struct feed_xml_state *st = ctxt->_private;
	struct sbuf content = SBUF_INIT(XML_MAX_NAME_LENGTH + 16);
	xmlDoc *doc = ctxt->myDoc;
	xmlEntity *ent = NULL;

	if (html) {
		sbuf_addf(&content, "&#%u;", html->value);
	} else {
		sbuf_addf(&content, "&#38;%s;", (const char *)name);
		if (!st->unknown_entity)
			st->unknown_entity = pc_strdup((const char *)name);
		st->nr_unknown++;
	}
	if (doc->intSubset || xmlCreateIntSubset(doc, NULL, NULL, NULL))
		ent = xmlAddDocEntity(doc, name, XML_INTERNAL_GENERAL_ENTITY, NULL, NULL,
				      (const xmlChar *)content.buf);
	sbuf_release(&content);
	return ent;
}

static xmlEntity *on_get_entity(void *ctx, const xmlChar *name)
{
	xmlParserCtxt *ctxt = ctx;
	xmlEntity *ent = xmlSAX2GetEntity(ctx, name);

	if (ent || ctxt->inSubset || !ctxt->myDoc || !name)
		return ent;
	return add_undeclared(ctxt, name);
}

static void install_hooks(xmlParserCtxt *ctxt, struct feed_xml_state *st)
{
	ctxt->_private = st;
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	ctxt->sax->externalSubset = on_external_subset;
	ctxt->sax->resolveEntity = on_resolve_entity;
	ctxt->sax->getEntity = on_get_entity;
}

void feed_xml_state_release(struct feed_xml_state *st)
{
	sbuf_release(&st->msg);
	pc_freep(&st->unknown_entity);
}

/*
 * Errors raised outside the context (encoding conversion) reach libxml2's
 * per-thread structured handler, so it is pointed at us for the duration.
 */
xmlDoc *feed_xml_read(const char *xml, size_t len, struct feed_xml_state *st,
		      bool *well_formed)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlParserCtxt *ctxt = xmlCreateMemoryParserCtxt(xml, (int)len);
	xmlDoc *doc;

	feed_global_init();
	*well_formed = false;
	if (!ctxt)
		return NULL;
	xmlCtxtUseOptions(ctxt, XML_OPTIONS);
	install_hooks(ctxt, st);
	xmlSetStructuredErrorFunc(ctxt, on_xml_error);
	xmlParseDocument(ctxt);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	*well_formed = ctxt->wellFormed && !st->hostile;
	xmlFreeParserCtxt(ctxt);
	return doc;
}

enum feed_kind { KIND_NONE, KIND_RSS, KIND_ATOM };

static enum feed_kind feed_kind(const xmlNode *root)
{
	if (feed_is(root, FEED_NS_RSS, "rss") || feed_is(root, FEED_NS_RDF, "RDF"))
		return KIND_RSS;
	if (feed_is(root, FEED_NS_ATOM, "feed"))
		return KIND_ATOM;
	return KIND_NONE;
}

/*
 * Names the root as written; the namespace only when it is what disqualifies
 * a feed-looking root (<feed> outside the Atom namespace).
 */
static void not_a_feed(const xmlNode *root, struct sbuf *err)
{
	const char *name = (const char *)root->name;
	const char *prefix = root->ns && root->ns->prefix ? (const char *)root->ns->prefix : NULL;
	bool feedish = !strcmp(name, "rss") || !strcmp(name, "feed") || !strcmp(name, "RDF");

	sbuf_addf(err, "not an RSS or Atom document (root element <%s%s%s>",
		  prefix ? prefix : "", prefix ? ":" : "", name);
	if (feedish)
		sbuf_addf(err, " in namespace '%s'", root->ns ? (const char *)root->ns->href : "");
	sbuf_addch(err, ')');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Web pages that are not even well-formed enough to yield a root element. */
static bool looks_like_html(const char *xml, size_t len)
{
	size_t i = 0;

	if (len >= 3 && !memcmp(xml, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && is_space(xml[i]))
		i++;
	return (len - i >= 14 && !strncasecmp(xml + i, "<!doctype html", 14)) ||
	       (len - i >= 5 && !strncasecmp(xml + i, "<html", 5));
}

static bool only_whitespace(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

int feed_xml_check_input(const char *xml, size_t len, struct sbuf *err)
{
	if (!xml || !len) {
		sbuf_addf(err, "empty document (0 bytes)");
		return -PC_EPARSE;
	}
	if (only_whitespace(xml, len)) {
		sbuf_addf(err, "empty document (%zu bytes of whitespace)", len);
		return -PC_EPARSE;
	}
	if (len > INT_MAX) {
		sbuf_addf(err, "document too large for the XML parser (%zu bytes)", len);
		return -PC_ETOOBIG;
	}
	return 0;
}

int feed_xml_refuse_hostile(const struct feed_xml_state *st, struct sbuf *err)
{
	if (!st->hostile)
		return 0;
	sbuf_addf(err, "hostile XML: the DOCTYPE declares entities "
		  "(external entities and entity expansion are refused)");
	return -PC_EHOSTILE;
}

int feed_xml_refuse_broken(xmlDoc *doc, bool well_formed, const struct feed_xml_state *st,
			   struct sbuf *err)
{
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (st->have_error && (!well_formed || !root)) {
		sbuf_addf(err, "XML error at line %d: %s", st->line, st->msg.buf);
		return -PC_EPARSE;
	}
	if (!well_formed || !root) {
		sbuf_addf(err, "XML error: the document has no root element");
		return -PC_EPARSE;
	}
	return 0;
}

/* Decides what a parse that produced doc (maybe NULL) amounts to. */
static int judge(xmlDoc *doc, bool well_formed, const struct feed_xml_state *st,
		 const char *xml, size_t len, struct sbuf *err)
{
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (feed_xml_refuse_hostile(st, err) < 0)
		return -PC_EHOSTILE;
	if (root && feed_kind(root) == KIND_NONE) {
		not_a_feed(root, err);
		return -PC_EPARSE;
	}
	if (!root && looks_like_html(xml, len)) {
		sbuf_addf(err, "not an RSS or Atom document (root element <html>)");
		return -PC_EPARSE;
	}
	return feed_xml_refuse_broken(doc, well_formed, st, err);
}

static char *unknown_entity_warning(const struct feed_xml_state *st)
{
	struct sbuf sb = SBUF_INIT(FEED_XML_MSG_MAX);

	sbuf_addf(&sb, "undefined entity '&%s;' kept as text", st->unknown_entity);
	if (st->nr_unknown > 1)
		sbuf_addf(&sb, " (%ld undefined names in all)", st->nr_unknown);
	return sbuf_detach(&sb, NULL);
}

int feed_parse(const char *xml, size_t len, const char *base_url,
	       struct feed *f, struct sbuf *err)
{
	struct feed_xml_state st = FEED_XML_STATE_INIT;
	struct feed tmp = FEED_INIT;
	bool well_formed;
	xmlDoc *doc;
	int ret = feed_xml_check_input(xml, len, err);

	if (ret < 0)
		return ret;
	doc = feed_xml_read(xml, len, &st, &well_formed);
	ret = judge(doc, well_formed, &st, xml, len, err);
	if (!ret && feed_kind(xmlDocGetRootElement(doc)) == KIND_ATOM)
		ret = feed_atom_fill(xmlDocGetRootElement(doc), base_url, &tmp);
	else if (!ret)
		ret = feed_rss_fill(xmlDocGetRootElement(doc), base_url, &tmp, err);
	xmlFreeDoc(doc);
	if (!ret && st.unknown_entity)
		tmp.warning = unknown_entity_warning(&st);
	feed_xml_state_release(&st);
	if (ret < 0)
		feed_release(&tmp);
	else
		*f = tmp;
	return ret;
}

static void episode_release(struct episode *ep)
{
	free(ep->title);
	free(ep->description);
	free(ep->guid);
	free(ep->link);
	free(ep->image_url);
	free(ep->author);
	free(ep->media_url);
	free(ep->media_type);
	free(ep->chapters_url);
	for (size_t i = 0; i < ep->nr_transcripts; i++) {
		free(ep->transcripts[i].url);
		free(ep->transcripts[i].type);
		free(ep->transcripts[i].language);
		free(ep->transcripts[i].rel);
	}
	free(ep->transcripts);
	for (size_t i = 0; i < ep->nr_persons; i++) {
		free(ep->persons[i].name);
		free(ep->persons[i].href);
	}
	free(ep->persons);
}

void feed_release(struct feed *f)
{
	for (size_t i = 0; i < f->nr_episodes; i++)
		episode_release(&f->episodes[i]);
	free(f->episodes);
	for (size_t i = 0; i < f->nr_persons; i++) {
		free(f->persons[i].name);
		free(f->persons[i].href);
	}
	free(f->persons);
	free(f->title);
	free(f->description);
	free(f->language);
	free(f->link);
	free(f->image_url);
	free(f->author);
	free(f->owner_name);
	free(f->warning);
	strlist_release(&f->authors);
	memset(f, 0, sizeof(*f));
}
