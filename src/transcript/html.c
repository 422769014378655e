/*
 * html.c - HTML transcripts: text only, one segment per block.
 *
 * libxml2's HTML parser builds the tree (no network, no messages printed);
 * a walk over it, iterative so that deep nesting cannot exhaust the stack,
 * starts a new line at every block element and <br>.  A line "Name: text"
 * (typically "<b>Name:</b> text") names its speaker; a line holding only
 * "Name:" names the speaker of the next line.
 */
#include "transcript/tr_internal.h"
#include "util/utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct html {
	struct sbuf line;
	struct sbuf pending;    /* speaker named on a line of its own */
	struct segment_list *out;
};

static const char *const blocks[] = {
	"address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl",
	"dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
	"header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
	"table", "td", "th", "tr", "ul",
};

static const char *const skipped[] = {
	"head", "iframe", "noscript", "object", "script", "style", "template", "title",
};

static bool named(const xmlNode *n, const char *const *list, size_t nr)
{
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return false;
	for (size_t i = 0; i < nr; i++)
		if (!strcasecmp((const char *)n->name, list[i]))
			return true;
	return false;
}

static void push_line(struct html *h, const char *speaker, const char *text, size_t n)
{
	char *copy = pc_strndup(text, n);

	segment_list_push(h->out, -1, -1, speaker, copy);
	free(copy);
}

static void flush_line(struct html *h)
{
	const char *rest;
	size_t nl;

	tr_rtrim(&h->line);
	if (!h->line.len)
		return;
	if (tr_split_speaker(h->line.buf, h->line.len, &nl, &rest)) {
		sbuf_reset(&h->pending);
		sbuf_add(&h->pending, h->line.buf, nl);
		if (*rest) {
			push_line(h, h->pending.buf, rest, strlen(rest));
			sbuf_reset(&h->pending);
		}
	} else {
		push_line(h, h->pending.buf, h->line.buf, h->line.len);
		sbuf_reset(&h->pending);
	}
	sbuf_reset(&h->line);
}

/* Entering node n; returns whether to walk its children. */
static bool enter(struct html *h, const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			tr_add_collapsed(&h->line, (const char *)n->content,
					 strlen((const char *)n->content));
		return false;
	}
	if (named(n, skipped, ARRAY_SIZE(skipped)))
		return false;
	if (named(n, blocks, ARRAY_SIZE(blocks)))
		flush_line(h);
	return n->type == XML_ELEMENT_NODE;
}

static void leave(struct html *h, const xmlNode *n)
{
	if (named(n, blocks, ARRAY_SIZE(blocks)))
		flush_line(h);
}

/* Pre-order walk with parent pointers: no recursion, no stack. */
static void walk(struct html *h, xmlNode *root)
{
	xmlNode *n = root;

	while (n) {
		if (enter(h, n) && n->children) {
			n = n->children;
			continue;
		}
		leave(h, n);
		while (n != root && !n->next) {
			n = n->parent;
			leave(h, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush_line(h);
}

int tr_parse_html(const char *data, size_t len, struct segment_list *out, struct sbuf *err)
{
	struct html h = { SBUF_INIT(SBUF_NOLIMIT), SBUF_INIT(SBUF_NOLIMIT), out };
	/* Valid UTF-8 is UTF-8 whatever a stale <meta> says; else let libxml2
	 * follow the document's declaration. */
	const char *enc = utf8_valid(data, len) ? "UTF-8" : NULL;
	htmlDocPtr doc;
	xmlNode *root;

	doc = htmlReadMemory(data, (int)len, NULL, enc,
			     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		sbuf_adds(err, "HTML transcript: no document could be parsed");
		xmlFreeDoc(doc);
		return -PC_EPARSE;
	}
	walk(&h, root);
	sbuf_release(&h.line);
	sbuf_release(&h.pending);
	xmlFreeDoc(doc);
	return 0;
}
