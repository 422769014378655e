/*
 * feed_html.c - HTML fragments (descriptions, show notes) to plain text.
 *
 * libxml2's HTML parser builds the tree, decoding entities and coping with
 * tag soup; we walk it: text is kept, script/style/head dropped, block
 * elements and <br> become line breaks, every other run of whitespace
 * (including no-break spaces) becomes one space, and the result is trimmed.
 */
#include "feed/feed_internal.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>

#define HTML_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | \
		      HTML_PARSE_NOWARNING)

struct text_out {
	struct sbuf sb;
	bool space;           /* a space is due before the next character */
	bool newline;         /* a line break is due before the next character */
};

static const char *const skipped[] = { "script", "style", "head", "template", "noscript" };
static const char *const blocks[] = {
	"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
	"figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
	"tr", "ul",
};

static bool name_in(const xmlNode *n, const char *const *names, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcasecmp((const char *)n->name, names[i]))
			return true;
	return false;
}

static bool is_skipped(const xmlNode *n)
{
	return n->type != XML_ELEMENT_NODE || name_in(n, skipped, ARRAY_SIZE(skipped));
}

static bool is_block(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && name_in(n, blocks, ARRAY_SIZE(blocks));
}

/* Length of the whitespace character at s (ASCII or U+00A0), 0 if none. */
static size_t space_len(const unsigned char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		return 1;
	return s[0] == 0xC2 && s[1] == 0xA0 ? 2 : 0;
}

static void emit_text(struct text_out *o, const unsigned char *s)
{
	while (*s) {
		size_t sp = space_len(s);

		if (sp) {
			o->space = true;
			s += sp;
			continue;
		}
		if (o->sb.len && (o->newline || o->space))
			sbuf_addch(&o->sb, o->newline ? '\n' : ' ');
		o->space = o->newline = false;
		sbuf_addch(&o->sb, *s++);
	}
}

static void block_edge(struct text_out *o, const xmlNode *n)
{
	if (is_block(n))
		o->newline = true;
	else if (n->type == XML_ELEMENT_NODE &&
		 (!strcasecmp((const char *)n->name, "td") ||
		  !strcasecmp((const char *)n->name, "th")))
		o->space = true;
}

/* After n's subtree is done: the next node to visit under top, or NULL. */
static const xmlNode *leave(const xmlNode *n, const xmlNode *top, struct text_out *o)
{
	for (;;) {
		block_edge(o, n);
		if (n->next)
			return n->next;
		n = n->parent;
		if (!n || n == top)
			return NULL;
	}
}

static void walk(const xmlNode *top, struct text_out *o)
{
	const xmlNode *n = top->children;

	while (n) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			emit_text(o, n->content);
		} else if (!is_skipped(n) && n->children) {
			block_edge(o, n);
			n = n->children;
			continue;
		}
		n = leave(n, top, o);
	}
}

static void silent(void *ctx PC_UNUSED, xmlError *e PC_UNUSED)
{
}

static xmlDoc *parse_html(const char *html, size_t len)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	htmlParserCtxt *ctxt = htmlNewParserCtxt();
	xmlDoc *doc;

	if (!ctxt)
		return NULL;
	ctxt->sax->serror = silent;
	xmlSetStructuredErrorFunc(NULL, silent);
	doc = htmlCtxtReadMemory(ctxt, html, (int)len, NULL, "UTF-8", HTML_OPTIONS);
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	htmlFreeParserCtxt(ctxt);
	return doc;
}

char *feed_html_to_text(const char *html)
{
	size_t len = html ? strlen(html) : 0;
	struct text_out o = { .sb = SBUF_INIT(2 * len + 64) };
	xmlDoc *doc;

	if (!len || len > INT_MAX / 2)
		return NULL;
	feed_global_init();
	doc = parse_html(html, len);
	if (doc)
		walk((const xmlNode *)doc, &o);
	xmlFreeDoc(doc);
	if (!o.sb.len) {
		sbuf_release(&o.sb);
		return NULL;
	}
	return sbuf_detach(&o.sb, NULL);
}
